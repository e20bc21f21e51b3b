"""Constituencies and users."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.database import str_enum, utcnow
from consult.extensions import db


def credential_fingerprint(password_hash: str | None) -> str:
    """A short digest that changes whenever the password does."""
    return hashlib.sha256((password_hash or "unset").encode()).hexdigest()[:16]


def session_fingerprint(password_hash: str | None, session_version: int) -> str:
    """What a session must carry: changes with the password and with the session version.

    Version 0 gives the fingerprint sessions carried before versions existed.
    """
    if not session_version:
        return credential_fingerprint(password_hash)
    material = f"{password_hash or 'unset'}:{session_version}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


class Role(enum.StrEnum):
    """What a signed-in user may do."""

    SECRETARIAT = "secretariat"
    MEMBER = "member"


class Constituency(db.Model):
    """A stakeholder group of the Steering Group (business, trade unions, NGOs ...)."""

    __tablename__ = "constituencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable identifier used in code, URLs and data files.
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    members: Mapped[list[User]] = relationship(back_populates="constituency")

    def __repr__(self) -> str:
        return f"<Constituency {self.slug}>"


class User(UserMixin, db.Model):
    """A Steering Group member or a Secretariat officer. Event participants are not users."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased, so uniqueness is case-insensitive on every database.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    constituency_id: Mapped[int | None] = mapped_column(ForeignKey("constituencies.id"))
    #: ISO 3166-1 alpha-2 code.
    country: Mapped[str | None] = mapped_column(String(2))
    #: IANA time zone name, such as ``Africa/Nairobi``.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    language: Mapped[str] = mapped_column(String(10), default="en")
    role: Mapped[Role] = mapped_column(
        str_enum(Role),
        default=Role.MEMBER,
    )
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    website: Mapped[str] = mapped_column(String(300), default="")
    #: The member agreed to appear in the public members directory.
    listed_in_directory: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    #: Raised on signing out and deactivation: every session and remember-me cookie issued
    #: before stops working, wherever it was copied to.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    constituency: Mapped[Constituency | None] = relationship(back_populates="members")

    def __repr__(self) -> str:
        return f"<User {self.email}>"

    def get_id(self) -> str:
        """What the session remembers: the user, the password and the session version.

        Changing or resetting the password, signing out and deactivation end every other
        session and remember-me cookie, because their fingerprint no longer matches.
        """
        return f"{self.id}:{session_fingerprint(self.password_hash, self.session_version)}"

    @property
    def is_active(self) -> bool:
        """Deactivated members cannot sign in (Flask-Login checks this)."""
        return self.active

    @property
    def is_secretariat(self) -> bool:
        """True for Secretariat officers."""
        return self.role is Role.SECRETARIAT

    @property
    def has_password(self) -> bool:
        """False until an invited member has set a password."""
        return bool(self.password_hash)
