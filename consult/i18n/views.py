"""The language switcher: remembers a visitor's choice in a cookie, a member's on their profile."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult.extensions import db
from consult.i18n.locales import COOKIE, COOKIE_MAX_AGE, normalise

bp = Blueprint("i18n", __name__)


def safe_next(target: str | None) -> str:
    """A path on this site to go back to; anything else (another host, a scheme) is the home page."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("public.home")


@bp.post("/language")
def choose_language() -> Response:
    """Switch the site's language and go back to the page the reader was on."""
    language = normalise(request.form.get("language"), current_app.config["LANGUAGES"])
    if language is None:
        abort(400, _("Choose one of the languages offered."))
    if current_user.is_authenticated and current_user.language != language:
        current_user.language = language
        db.session.commit()
    response = redirect(safe_next(request.form.get("next")), code=303)
    response.set_cookie(
        COOKIE,
        language,
        max_age=COOKIE_MAX_AGE,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
