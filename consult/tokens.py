"""Signed, expiring tokens for links in e-mails (reset, invitation, RSVP, manage, reply)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class InvalidToken(Exception):
    """The token was tampered with, made for another purpose, or has expired."""

    def __init__(self, message: object, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"consult.{purpose}")


def make_token(purpose: str, payload: Any) -> str:
    """Sign ``payload`` for one ``purpose``; a token for one purpose never passes for another."""
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int | None = None) -> Any:
    """Return the payload of a valid token, or raise :class:`InvalidToken`."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise InvalidToken(_l("This link has expired."), expired=True) from error
    except BadSignature as error:
        raise InvalidToken(_l("This link is not valid.")) from error
