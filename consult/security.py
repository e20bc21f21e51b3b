"""Response headers that every page carries."""

from __future__ import annotations

from flask import Flask, Response, abort, request
from flask_babel import gettext as _

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response: Response) -> Response:
    """Set the CSP and the other protective headers, unless a view chose its own."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def refuse_nul_characters() -> None:
    """Refuse input holding NUL characters: no database can store them, and no person types them."""
    for values in (request.args, request.form):
        if any("\x00" in value for value in values.values()):
            abort(400, _("The form contains a character that cannot be stored (NUL)."))


def init_app(app: Flask) -> None:
    """Register the input check and the header hook."""
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)
