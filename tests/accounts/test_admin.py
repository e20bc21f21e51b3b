"""The Secretariat manages members and constituencies; members change their password."""

from consult.accounts.models import Constituency, Role, User
from consult.extensions import db
from tests.conftest import TEST_PASSWORD, body_text


def _constituency(slug: str) -> Constituency:
    return db.session.scalar(db.select(Constituency).where(Constituency.slug == slug))


def _edit_data(user: User, **changes) -> dict:
    data = {
        "display_name": user.display_name,
        "organisation": user.organisation,
        "constituency": user.constituency_id,
        "country": user.country or "",
        "timezone": user.timezone,
        "role": user.role.value,
    }
    data.update(changes)
    return data


def test_secretariat_edits_a_member(secretariat_client, make_member):
    """Can the Secretariat move a member to another constituency and zone, and make them an officer?"""
    member = make_member(name="Trade union member", constituency="ngos")
    page = secretariat_client.get(f"/members/{member.id}/edit")
    assert page.status_code == 200 and "Trade union member" in page.get_data(as_text=True)
    response = secretariat_client.post(
        f"/members/{member.id}/edit",
        data=_edit_data(
            member,
            constituency=_constituency("trade-unions").id,
            timezone="Europe/Brussels",
            country="BE",
            role="secretariat",
        ),
    )
    assert response.status_code == 302
    saved = db.session.get(User, member.id)
    assert saved.constituency.slug == "trade-unions"
    assert (saved.timezone, saved.country, saved.role) == (
        "Europe/Brussels",
        "BE",
        Role.SECRETARIAT,
    )


def test_bad_member_edit_is_refused_and_nothing_saved(secretariat_client, make_member):
    """Is an unknown constituency or zone reported next to the field, with the record unchanged?"""
    member = make_member(constituency="ngos")
    response = secretariat_client.post(
        f"/members/{member.id}/edit",
        data=_edit_data(member, constituency=999999, timezone="Nowhere/Town"),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="constituency-error"' in html and 'id="timezone-error"' in html
    assert db.session.get(User, member.id).constituency.slug == "ngos"


def test_officer_cannot_change_own_role(secretariat_client):
    """Is an officer stopped from demoting themselves (and losing the Secretariat's pages)?"""
    officer = secretariat_client.user
    response = secretariat_client.post(
        f"/members/{officer.id}/edit", data=_edit_data(officer, role="member")
    )
    assert response.status_code == 422
    assert "You cannot change your own role." in response.get_data(as_text=True)
    assert db.session.get(User, officer.id).role is Role.SECRETARIAT


def test_member_cannot_edit_members_or_constituencies(member_client, make_member):
    """Are the management pages closed to members?"""
    other = make_member()
    assert member_client.get(f"/members/{other.id}/edit").status_code == 403
    assert member_client.get("/constituencies").status_code == 403
    assert (
        member_client.post("/constituencies", data={"name": "Local authorities"}).status_code == 403
    )


def test_secretariat_adds_renames_and_orders_constituencies(secretariat_client, make_member):
    """Can the Secretariat add a constituency, rename it and move it up the list?"""
    response = secretariat_client.post(
        "/constituencies", data={"name": "Local authorities", "description": "Cities and regions"}
    )
    assert response.status_code == 302
    added = db.session.scalar(
        db.select(Constituency).where(Constituency.name == "Local authorities")
    )
    assert added.slug == "local-authorities"
    secretariat_client.post(f"/constituencies/{added.id}/edit", data={"name": "Local governments"})
    assert db.session.get(Constituency, added.id).name == "Local governments"

    before = [
        c.id for c in db.session.scalars(db.select(Constituency).order_by(Constituency.position))
    ]
    secretariat_client.post(f"/constituencies/{added.id}/move/up")
    after = [
        c.id for c in db.session.scalars(db.select(Constituency).order_by(Constituency.position))
    ]
    assert after.index(added.id) == before.index(added.id) - 1
    invite_page = secretariat_client.get("/members/invite").get_data(as_text=True)
    assert "Local governments" in invite_page


def test_constituency_needs_a_name(secretariat_client):
    """Is a constituency without a name refused with a message?"""
    response = secretariat_client.post("/constituencies", data={"name": ""})
    assert response.status_code == 422
    assert 'id="name-error"' in response.get_data(as_text=True)


def test_member_changes_password(member_client):
    """Can a signed-in member change their password by giving the current one?"""
    new = "a fresh passphrase here"
    wrong = member_client.post(
        "/profile/password",
        data={"current_password": "not it at all", "password": new, "confirm": new},
    )
    assert wrong.status_code == 422
    assert "This is not your current password." in wrong.get_data(as_text=True)
    response = member_client.post(
        "/profile/password",
        data={"current_password": TEST_PASSWORD, "password": new, "confirm": new},
    )
    assert response.status_code == 302
    member_client.post("/sign-out")
    email = member_client.user.email
    assert member_client.post("/sign-in", data={"email": email, "password": new}).status_code == 302


def test_changing_the_password_signs_out_every_other_session(app, member_client, client):
    """After a password change, are other browsers and remember-me cookies signed out?"""
    other = app.test_client()
    email = member_client.user.email
    assert (
        other.post(
            "/sign-in", data={"email": email, "password": TEST_PASSWORD, "remember": "y"}
        ).status_code
        == 302
    )
    assert other.get("/dashboard").status_code == 200
    new = "another long passphrase"
    member_client.post(
        "/profile/password",
        data={"current_password": TEST_PASSWORD, "password": new, "confirm": new},
    )
    assert member_client.get("/dashboard").status_code == 200, "the session that changed it stays"
    assert other.get("/dashboard").status_code == 302
    other.delete_cookie("session", domain="consult.test")
    assert other.get("/dashboard").status_code == 302, "nor does the remember-me cookie work"


def test_a_password_reset_signs_out_every_session(app, member_client, mailbox):
    """Does resetting a forgotten password end the sessions opened with the old one?"""
    email = member_client.user.email
    anonymous = app.test_client()
    anonymous.post("/password/forgot", data={"email": email})
    link = next(
        line for line in body_text(mailbox.last(email)).split() if "/password/reset/" in line
    )
    path = link.replace("http://consult.test", "")
    anonymous.post(path, data={"password": "reset passphrase 1", "confirm": "reset passphrase 1"})
    assert member_client.get("/dashboard").status_code == 302
