"""Security defaults: CSRF, headers, cookies and friendly error pages."""

from pathlib import Path

from consult import create_app
from tests.conftest import TEST_PASSWORD


def test_form_post_without_csrf_token_is_refused(client, csrf, make_member):
    """Is a sign-in POST without the CSRF token refused with a clear 400 page?"""
    make_member("csrf@example.org")
    response = client.post(
        "/sign-in", data={"email": "csrf@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 400
    assert "The form has expired or was not sent from this site" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_form_post_with_csrf_token_is_accepted(client, csrf, make_member):
    """Does the same POST with the page's token go through?"""
    make_member("csrf2@example.org")
    token = csrf(client, "/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": "csrf2@example.org", "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def test_sign_out_needs_csrf_token(client, csrf, member_client):
    """Can another site not sign a member out with a bare POST?"""
    assert member_client.post("/sign-out").status_code == 400
    assert member_client.get("/dashboard").status_code == 200


def test_security_headers_on_every_page(client):
    """Do pages carry a CSP without inline script, nosniff, a referrer policy and no framing?"""
    for path in ("/", "/sign-in", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script_or_style(client):
    """Do the templates keep to the CSP (no inline script, no style attribute)?"""
    html = client.get("/sign-in").get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html and "onclick" not in html


def test_session_cookie_is_httponly_and_lax(client, make_member):
    """Is the session cookie HttpOnly and SameSite=Lax?"""
    make_member("cookie@example.org")
    response = client.post(
        "/sign-in", data={"email": "cookie@example.org", "password": TEST_PASSWORD}
    )
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and "session=" in v)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_friendly_404(client):
    """Is a missing page a friendly 404 without internals?"""
    response = client.get("/nothing/here")
    assert response.status_code == 404
    assert "There is no page at this address." in response.get_data(as_text=True)


def test_method_not_allowed_is_friendly(client):
    """Is a GET on a POST-only address a 405 page, not a crash?"""
    response = client.get("/sign-out")
    assert response.status_code == 405
    assert "does not accept that kind of request" in response.get_data(as_text=True)


def test_unexpected_error_is_a_500_page_without_stack_trace(tmp_path: Path):
    """Does an unexpected exception give a friendly 500 page, with no traceback shown?"""
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_api_errors_are_json(client):
    """Do API paths answer errors in JSON?"""
    response = client.get("/api/nothing")
    assert response.status_code == 404
    assert response.get_json()["error"] == "Page not found"


def test_a_views_own_bad_request_message_is_shown(tmp_path: Path):
    """Does ``abort(400, message)`` show that message, while a bare 400 shows the generic one?"""
    from flask import abort

    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    @app.get("/explained")
    def explained():
        abort(400, "Registration for this event is closed.")

    @app.get("/bare")
    def bare():
        abort(400)

    client = app.test_client()
    assert "Registration for this event is closed." in client.get("/explained").get_data(
        as_text=True
    )
    bare_page = client.get("/bare").get_data(as_text=True)
    assert "The request could not be understood" in bare_page


def test_huge_ids_in_urls_are_404_not_500(secretariat_client):
    """Is an id too large for the database a 404 rather than a database error?"""
    for path in ("/members/99999999999999999999999/deactivate", "/calls/2147483648"):
        method = secretariat_client.post if path.endswith("deactivate") else secretariat_client.get
        assert method(path).status_code == 404


def test_nul_characters_are_refused_with_a_message(client, make_member):
    """Is input with a NUL character (which PostgreSQL cannot store) a clear 400?"""
    response = client.post("/sign-in", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400
    assert "cannot be stored" in response.get_data(as_text=True)
