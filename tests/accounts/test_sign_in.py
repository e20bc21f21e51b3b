"""Signing in and out."""

import pytest

from consult.accounts.models import User
from consult.extensions import db
from tests.conftest import TEST_PASSWORD, sign_in


def test_sign_in_with_right_password_reaches_dashboard(client, make_member):
    """Does a member with the right password land on the dashboard?"""
    member = make_member("Amina@Example.org", name="Amina")
    response = client.post(
        "/sign-in", data={"email": "AMINA@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response.location.endswith("/dashboard")
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "Welcome, <bdi>Amina</bdi>" in page.get_data(as_text=True)
    assert db.session.get(User, member.id).last_login_at is not None


def test_wrong_password_is_refused_with_message(client, make_member):
    """Is a wrong password refused with a message next to the field and a 4xx?"""
    make_member("kofi@example.org")
    response = client.post(
        "/sign-in", data={"email": "kofi@example.org", "password": "nope nope nope"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The e-mail or the password is wrong" in html
    assert 'id="password-error"' in html
    assert client.get("/dashboard").status_code == 302


def test_unknown_address_gets_the_same_answer(client):
    """Does an unknown address get the same message as a wrong password (no account probing)?"""
    response = client.post(
        "/sign-in", data={"email": "ghost@example.org", "password": "whatever123"}
    )
    assert response.status_code == 422
    assert "The e-mail or the password is wrong" in response.get_data(as_text=True)


def test_inactive_member_cannot_sign_in(client, make_member):
    """Is a deactivated member refused even with the right password?"""
    make_member("gone@example.org", active=False)
    response = client.post(
        "/sign-in", data={"email": "gone@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 422
    assert client.get("/dashboard").status_code == 302


def test_deactivation_ends_an_open_session(client, make_member):
    """Is a member signed out on the next request once deactivated?"""
    member = make_member()
    sign_in(client, member)
    assert client.get("/dashboard").status_code == 200
    member.active = False
    db.session.commit()
    assert client.get("/dashboard").status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "", "password": "x"}, "email", "This field is required."),
        ({"email": "not-an-address", "password": "x"}, "email", "Invalid email address."),
        ({"email": "a@example.org", "password": ""}, "password", "This field is required."),
    ],
)
def test_sign_in_form_validation(client, data, field, message):
    """Is each bad field reported next to itself?"""
    response = client.post("/sign-in", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html


def test_sign_out(client, make_member):
    """Does signing out end the session?"""
    sign_in(client, make_member())
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_next_parameter_cannot_leave_the_site(client, make_member):
    """Is an off-site ``next`` ignored after sign-in?"""
    make_member("nx@example.org")
    response = client.post(
        "/sign-in?next=//evil.example.com/x",
        data={"email": "nx@example.org", "password": TEST_PASSWORD},
    )
    assert response.location.endswith("/dashboard")
    client.post("/sign-out")
    response = client.post(
        "/sign-in?next=/profile", data={"email": "nx@example.org", "password": TEST_PASSWORD}
    )
    assert response.location.endswith("/profile")


def test_sign_in_is_rate_limited(client, make_member):
    """After ten failed tries in a minute, is the eleventh answered 429 with a friendly page?"""
    make_member("target@example.org")
    for _ in range(10):
        response = client.post(
            "/sign-in", data={"email": "target@example.org", "password": "guess guess"}
        )
        assert response.status_code == 422
    response = client.post(
        "/sign-in", data={"email": "target@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert "You have tried too often" in response.get_data(as_text=True)
    assert client.get("/sign-in").status_code == 200
