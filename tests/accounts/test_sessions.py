"""Access ends when it ends: signing out, deactivation and a new password revoke sessions and
remember-me cookies on the server, and disconnect the member's live sockets at once."""

from __future__ import annotations

import contextvars

from consult.extensions import socketio
from consult.toolkit.live import NAMESPACE
from tests.conftest import TEST_PASSWORD, sign_in


def _signed_in_through_the_form(app, member, remember: bool = True):
    client = app.test_client()
    answer = client.post(
        "/sign-in",
        data={"email": member.email, "password": TEST_PASSWORD, "remember": "y"}
        if remember
        else {"email": member.email, "password": TEST_PASSWORD},
    )
    assert answer.status_code == 302
    return client


def _copy(app, client, *names):
    """Another browser holding copies of ``client``'s cookies."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name, domain=app.config["SERVER_NAME"])
        assert cookie is not None, name
        thief.set_cookie(name, cookie.value, domain=app.config["SERVER_NAME"])
    return thief


def _socket(app, client):
    """A Socket.IO test client connected in its own context (as each HTTP request is), so that
    no signed-in user carries over from one connection to the next through ``g``."""
    socket = contextvars.Context().run(
        socketio.test_client, app, namespace=NAMESPACE, flask_test_client=client
    )
    assert socket.is_connected(NAMESPACE)
    return socket


def test_signing_out_revokes_copied_session_and_remember_cookies(app, make_member):
    """After signing out, does a copy of the session cookie, or of the remember-me cookie,
    stop working (revoked on the server, not only deleted in the browser)?"""
    member = make_member()
    browser = _signed_in_through_the_form(app, member)
    session_copy = _copy(app, browser, "session")
    remember_copy = _copy(app, browser, "remember_token")
    assert session_copy.get("/dashboard").status_code == 200
    assert remember_copy.get("/dashboard").status_code == 200

    assert browser.post("/sign-out").status_code == 302
    assert browser.get("/dashboard").status_code == 302
    assert session_copy.get("/dashboard").status_code == 302
    domain = app.config["SERVER_NAME"]
    assert browser.get_cookie("remember_token", domain=domain) is None  # deleted here too
    remember_only = _copy(app, remember_copy, "remember_token")
    assert remember_only.get("/dashboard").status_code == 302

    again = _signed_in_through_the_form(app, member)  # signing in again works
    assert again.get("/dashboard").status_code == 200


def test_signing_out_disconnects_the_members_sockets_and_only_theirs(app, make_member):
    """Are the member's open sockets disconnected when they sign out, and others' kept?"""
    member, other = make_member(), make_member()
    browser = _signed_in_through_the_form(app, member)
    page, second_tab = _socket(app, browser), _socket(app, _copy(app, browser, "session"))
    other_client = app.test_client()
    sign_in(other_client, other)
    bystander = _socket(app, other_client)

    browser.post("/sign-out")
    assert not page.is_connected(NAMESPACE)
    assert not second_tab.is_connected(NAMESPACE)
    assert bystander.is_connected(NAMESPACE)
    bystander.disconnect(NAMESPACE)


def test_deactivation_disconnects_and_revokes(app, make_member, make_secretariat):
    """Does deactivating a member disconnect their sockets at once, and does reactivating
    them not revive the cookies they had?"""
    member, officer = make_member(), make_secretariat()
    browser = _signed_in_through_the_form(app, member)
    page = _socket(app, browser)
    admin = app.test_client()
    sign_in(admin, officer)

    assert admin.post(f"/members/{member.id}/deactivate").status_code == 303
    assert not page.is_connected(NAMESPACE)
    assert browser.get("/dashboard").status_code == 302
    admin.post(f"/members/{member.id}/reactivate")
    assert browser.get("/dashboard").status_code == 302
    assert _signed_in_through_the_form(app, member).get("/dashboard").status_code == 200


def test_a_new_password_disconnects_the_other_sessions_sockets(app, make_member):
    """When a member changes their password, are the sockets of their other sessions
    disconnected and those sessions ended, while the page that changed it stays signed in?"""
    member = make_member()
    laptop = _signed_in_through_the_form(app, member)
    phone = _signed_in_through_the_form(app, member)
    phone_page = _socket(app, phone)
    answer = laptop.post(
        "/profile/password",
        data={
            "current_password": TEST_PASSWORD,
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    assert not phone_page.is_connected(NAMESPACE)
    assert phone.get("/dashboard").status_code == 302
    assert laptop.get("/dashboard").status_code == 200


def test_a_refused_socket_cannot_connect_again_with_the_old_cookie(app, make_member):
    """After signing out, is a socket opened with a copy of the old cookie refused?"""
    member = make_member()
    browser = _signed_in_through_the_form(app, member)
    session_copy = _copy(app, browser, "session")
    browser.post("/sign-out")
    socket = contextvars.Context().run(
        socketio.test_client, app, namespace=NAMESPACE, flask_test_client=session_copy
    )
    assert not socket.is_connected(NAMESPACE)
