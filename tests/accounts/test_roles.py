"""Who may see which page."""

import pytest

from consult.accounts.models import User
from consult.extensions import db

SECRETARIAT_PAGES = ["/members", "/members/invite"]
MEMBER_PAGES = ["/dashboard", "/profile"]


@pytest.mark.parametrize("path", SECRETARIAT_PAGES + MEMBER_PAGES)
def test_anonymous_is_sent_to_sign_in(client, path):
    """Is an anonymous visitor sent to sign in, with the page to come back to?"""
    response = client.get(path)
    assert response.status_code == 302
    assert "/sign-in?next=" in response.location


@pytest.mark.parametrize("path", SECRETARIAT_PAGES)
def test_member_gets_403_on_secretariat_pages(member_client, path):
    """Does a member get a friendly 403 on Secretariat pages?"""
    response = member_client.get(path)
    assert response.status_code == 403
    assert "You do not have permission" in response.get_data(as_text=True)


def test_member_cannot_deactivate_anyone(member_client, make_member):
    """Is the deactivate action itself guarded, not only the page that links to it?"""
    other = make_member()
    assert member_client.post(f"/members/{other.id}/deactivate").status_code == 403
    assert db.session.get(User, other.id).active


@pytest.mark.parametrize("path", SECRETARIAT_PAGES + MEMBER_PAGES)
def test_secretariat_reaches_every_page(secretariat_client, path):
    """Can the Secretariat open its pages and the members' pages?"""
    assert secretariat_client.get(path).status_code == 200


def test_navigation_shows_only_what_the_role_may_reach(client, member_client, make_secretariat):
    """Does the navigation hide Secretariat links from members and member links from visitors?"""
    public = client.application.test_client().get("/").get_data(as_text=True)
    assert 'href="/dashboard"' not in public and 'href="/members"' not in public
    member = member_client.get("/dashboard").get_data(as_text=True)
    assert 'href="/dashboard"' in member and 'href="/members"' not in member
    from tests.conftest import sign_in

    officer = sign_in(client.application.test_client(), make_secretariat())
    assert 'href="/members"' in officer.get("/dashboard").get_data(as_text=True)


def test_secretariat_deactivates_and_reactivates_a_member(secretariat_client, make_member):
    """Can the Secretariat close an account and open it again?"""
    member = make_member(name="Closing Member")
    response = secretariat_client.post(f"/members/{member.id}/deactivate")
    assert response.status_code == 303
    assert not db.session.get(User, member.id).active
    page = secretariat_client.get("/members").get_data(as_text=True)
    assert "Deactivated" in page
    secretariat_client.post(f"/members/{member.id}/reactivate")
    assert db.session.get(User, member.id).active


def test_secretariat_cannot_deactivate_itself(secretariat_client):
    """Is an officer stopped from locking themselves out?"""
    officer = secretariat_client.user
    secretariat_client.post(f"/members/{officer.id}/deactivate")
    assert db.session.get(User, officer.id).active


def test_unknown_member_is_404(secretariat_client):
    """Does acting on a missing account give 404, not 500?"""
    assert secretariat_client.post("/members/999999/deactivate").status_code == 404
