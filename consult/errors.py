"""Friendly error pages: a message for people, never a stack trace."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please check what you sent."),
    ),
    403: (_l("Not allowed"), _l("You do not have permission to see this page.")),
    404: (_l("Page not found"), _l("There is no page at this address.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What you sent is larger than this site accepts.")),
    422: (_l("Cannot be processed"), _l("Please correct the form and try again.")),
    429: (_l("Too many requests"), _l("You have tried too often. Please wait a little.")),
    500: (_l("Something went wrong"), _l("An unexpected error happened. It has been logged.")),
}


def wants_json() -> bool:
    """Answer API paths and JSON clients in JSON."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def render_error(code: int, detail: str | None = None):
    """Render the error page for ``code``."""
    title, message = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    if wants_json():
        return jsonify(error=str(title), message=str(detail or message)), code
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def handle_http_exception(error: HTTPException):
    """Show a friendly page for every HTTP error."""
    code = error.code or 500
    if code < 400:
        return error
    custom = error.description != type(error).description
    return render_error(code, error.description if custom and code in (400, 422) else None)


def handle_csrf_error(error: CSRFError):
    """A form without a valid CSRF token is refused with a clear message."""
    return render_error(
        400, str(_l("The form has expired or was not sent from this site. Please try again."))
    )


def handle_unexpected(error: Exception):
    """Log the error and show the 500 page."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    from flask import current_app

    current_app.logger.exception("Unhandled error", exc_info=error)
    return render_error(InternalServerError.code)


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
