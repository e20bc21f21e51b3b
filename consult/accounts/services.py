"""Account rules: passwords, sign-in, invitations and one-time links."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from consult import sockets
from consult.accounts.models import (
    Constituency,
    Role,
    User,
    credential_fingerprint,
    session_fingerprint,
)
from consult.database import utcnow
from consult.extensions import db
from consult.forms import parse_id
from consult.ordering import move
from consult.tokens import InvalidToken, make_token, read_token

RESET = "password-reset"
INVITE = "invitation"
MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    """E-mail addresses are compared and stored lower-cased and trimmed."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The user with this address, whatever its case."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def set_password(user: User, password: str) -> None:
    """Hash and store a new password."""
    user.password_hash = generate_password_hash(
        password, method=current_app.config["PASSWORD_HASH_METHOD"]
    )


def check_password(user: User, password: str) -> bool:
    """True when ``password`` is the user's password."""
    return bool(user.password_hash) and check_password_hash(user.password_hash, password)


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Same work whether or not the user exists."""
    user = find_user_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password(user, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def _dummy_hash() -> str:
    cache = current_app.extensions.setdefault("consult_dummy_hash", {})
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in cache:
        cache[method] = generate_password_hash("not a password", method=method)
    return cache[method]


def _fingerprint(user: User) -> str:
    """Changes whenever the password does, so a link stops working once it has been used."""
    return credential_fingerprint(user.password_hash)


def make_account_token(user: User, purpose: str) -> str:
    """A signed link token for resetting or first setting ``user``'s password."""
    return make_token(purpose, {"user": user.id, "fp": _fingerprint(user)})


def user_for_token(token: str, purpose: str) -> User:
    """The user a valid, unused, unexpired token belongs to; else :class:`InvalidToken`."""
    max_age = current_app.config[
        "RESET_TOKEN_MAX_AGE" if purpose == RESET else "INVITE_TOKEN_MAX_AGE"
    ]
    payload = read_token(purpose, token, max_age=max_age)
    user = db.session.get(User, payload.get("user")) if isinstance(payload, dict) else None
    if user is None or not user.active:
        raise InvalidToken(_l("This link is not valid."))
    if payload.get("fp") != _fingerprint(user):
        raise InvalidToken(_l("This link has already been used."))
    return user


@dataclass
class Invitation:
    """What the Secretariat enters to invite a member."""

    email: str
    display_name: str
    organisation: str
    constituency: Constituency | None
    country: str | None
    timezone: str
    role: Role = Role.MEMBER


class DuplicateEmail(ValueError):
    """Another account already uses this address."""


def invite_member(invitation: Invitation) -> User:
    """Create an account without a password; the member sets one through the e-mailed link."""
    if find_user_by_email(invitation.email):
        raise DuplicateEmail(invitation.email)
    user = User(
        email=normalise_email(invitation.email),
        display_name=invitation.display_name.strip(),
        organisation=invitation.organisation.strip(),
        constituency=invitation.constituency,
        country=invitation.country or None,
        timezone=invitation.timezone,
        role=invitation.role,
    )
    db.session.add(user)
    db.session.flush()
    return user


def update_member(user: User, changes: dict) -> None:
    """Apply the Secretariat's changes to a member's record."""
    for name in ("display_name", "organisation", "constituency", "country", "timezone", "role"):
        if name in changes:
            setattr(user, name, changes[name])
    user.display_name = user.display_name.strip()
    user.organisation = (user.organisation or "").strip()


def _slug_for(name: str) -> str:
    base = "-".join(re.findall(r"[a-z0-9]+", name.lower())) or "constituency"
    slug, number = base[:36], 2
    taken = set(db.session.scalars(select(Constituency.slug)))
    while slug in taken:
        slug = f"{base[:33]}-{number}"
        number += 1
    return slug


def add_constituency(name: str, description: str = "") -> Constituency:
    """A new constituency, placed last."""
    last = db.session.scalar(select(func.max(Constituency.position))) or 0
    constituency = Constituency(
        slug=_slug_for(name), name=name.strip(), description=description.strip(), position=last + 1
    )
    db.session.add(constituency)
    db.session.flush()
    return constituency


def move_constituency(constituency: Constituency, direction: str) -> None:
    """Move a constituency one place ``up`` or ``down`` the list."""
    ordered = db.session.scalars(
        select(Constituency).order_by(Constituency.position, Constituency.id)
    ).all()
    move(ordered, constituency, direction)


def user_for_session(session_id: str) -> User | None:
    """The active user a session or remember-me cookie names, if its password is still in force."""
    ident, _, fingerprint = session_id.partition(":")
    user_id = parse_id(ident)
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.active:
        return None
    expected = session_fingerprint(user.password_hash, user.session_version)
    return user if hmac.compare_digest(fingerprint.encode(), expected.encode()) else None


def end_sessions(user: User) -> None:
    """Make every session and remember-me cookie of ``user`` worthless (commit, then call
    :func:`disconnect_sockets`)."""
    user.session_version = (user.session_version or 0) + 1


def disconnect_sockets(user: User) -> None:
    """After the commit that ended the user's access: their open sockets close now, in every
    server process, instead of hearing the discussion until they send another event."""
    sockets.disconnect_member(user.id)
