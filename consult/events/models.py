"""Events, their agenda, reserved-seat rules and registrations."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import Constituency
from consult.database import str_enum, utcnow
from consult.enums import LabelledEnum
from consult.extensions import db
from consult.i18n.content import Translatable


class EventKind(enum.StrEnum):
    """What sort of meeting an event is."""

    FORUM = "forum"
    WORKSHOP = "workshop"
    OTHER = "other"


class Status(LabelledEnum):
    """Where a registration stands."""

    CONFIRMED = "confirmed", _l("Confirmed")
    WAITING = "waiting", _l("Waiting list")
    PENDING = "pending", _l("Awaiting approval")
    DECLINED = "declined", _l("Declined")
    CANCELLED = "cancelled", _l("Cancelled")


#: Statuses of people still hoping for or holding a seat.
ACTIVE_STATUSES = (Status.CONFIRMED, Status.WAITING, Status.PENDING)


class Event(Translatable, db.Model):
    """A meeting people register for: the consultative forum, the NGO workshop."""

    __tablename__ = "events"
    translatable = ("title", "description")

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable part of the public address.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind, "event_kind"))
    #: Markdown, rendered sanitised.
    description: Mapped[str] = mapped_column(Text, default="")
    venue: Mapped[str] = mapped_column(String(300), default="")
    #: IANA zone the event happens in; its pages show times in it.
    timezone: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    #: Seats in the room.
    capacity: Mapped[int] = mapped_column(default=0)
    #: Confirmed seats, kept by :mod:`consult.events.allocation` with each change of a seat, so
    #: that a full event is known from this row alone (``taken < capacity`` gives a seat).
    taken: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The arrival number given last (each registration takes the next one).
    arrivals: Mapped[int] = mapped_column(default=0, server_default="0")
    published: Mapped[bool] = mapped_column(default=False)
    #: Registrations wait for the Secretariat's approval before any seat is given.
    approval_required: Mapped[bool] = mapped_column(default=False)
    #: A practice event for trying registration, shown with a clear label.
    practice: Mapped[bool] = mapped_column(default=False)
    #: Raised whenever the event's time or place changes (iTIP SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sessions: Mapped[list[EventSession]] = relationship(
        back_populates="event",
        order_by="(EventSession.starts_at, EventSession.position)",
        cascade="all, delete-orphan",
    )
    seat_rules: Mapped[list[SeatRule]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="SeatRule.id"
    )
    registrations: Mapped[list[Registration]] = relationship(
        back_populates="event", cascade="all, delete-orphan", lazy="write_only"
    )

    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class EventSession(Translatable, db.Model):
    """A timed item of an event's agenda."""

    __tablename__ = "event_sessions"
    translatable = ("title", "description")

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    room: Mapped[str] = mapped_column(String(120), default="")
    #: One speaker per line ("Name, organisation").
    speakers: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    #: Order of sessions that start at the same time.
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="sessions")
    documents: Mapped[list[SessionDocument]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionDocument.position"
    )

    def __repr__(self) -> str:
        return f"<EventSession {self.id} {self.title[:30]!r}>"

    @property
    def speaker_list(self) -> list[str]:
        """The speakers, one per entry."""
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]


class SessionDocument(db.Model):
    """A document discussed in a session: a link, or a reference entry with its citation."""

    __tablename__ = "event_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("event_sessions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    #: Who issued it, where and when, as a reader would cite it.
    citation: Mapped[str] = mapped_column(String(400), default="")
    #: Empty when the document is a reference entry only.
    url: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[EventSession] = relationship(back_populates="documents")


class SeatRule(db.Model):
    """Seats held for one constituency or one country group until ``release_at``."""

    __tablename__ = "event_seat_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    constituency_id: Mapped[int | None] = mapped_column(ForeignKey("constituencies.id"))
    #: ``developed``, ``developing`` or ``transition`` (see ``countries.py``).
    country_group: Mapped[str | None] = mapped_column(String(20))
    seats: Mapped[int]
    #: From this moment the unused held seats are open to everyone.
    release_at: Mapped[datetime]
    #: Confirmed seats of the rule's constituency or country group (kept with ``Event.taken``).
    taken: Mapped[int] = mapped_column(default=0, server_default="0")

    event: Mapped[Event] = relationship(back_populates="seat_rules")
    constituency: Mapped[Constituency | None] = relationship()

    __table_args__ = (
        CheckConstraint("seats > 0", name="seats_positive"),
        CheckConstraint(
            "(constituency_id IS NULL) <> (country_group IS NULL)", name="one_beneficiary"
        ),
    )


def new_manage_key() -> str:
    """A random secret that makes a registration's manage link unguessable and revocable."""
    return secrets.token_urlsafe(16)


class Registration(db.Model):
    """One person's registration for an event (no account needed)."""

    __tablename__ = "event_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    #: 1, 2, 3 ... in the order the registrations reached the database, per event.
    arrival: Mapped[int]
    status: Mapped[Status] = mapped_column(str_enum(Status, "registration_status"))
    name: Mapped[str] = mapped_column(String(120))
    #: Stored lower-cased: one address registers once per event.
    email: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200))
    constituency_id: Mapped[int | None] = mapped_column(ForeignKey("constituencies.id"))
    #: ISO 3166-1 alpha-2 code.
    country: Mapped[str] = mapped_column(String(2))
    #: ``developed``, ``developing`` or ``transition``, fixed when registering.
    country_group: Mapped[str] = mapped_column(String(20))
    position: Mapped[str] = mapped_column(String(200), default="")
    accessibility_needs: Mapped[str] = mapped_column(Text, default="")
    #: The language of the page they registered from: their letters are written in it.
    language: Mapped[str | None] = mapped_column(String(10))
    #: The registrant agreed to appear on the printed participant list.
    consent_listed: Mapped[bool] = mapped_column(default=False)
    #: Secret part of the manage link; changing it revokes old links.
    manage_key: Mapped[str] = mapped_column(String(40), default=new_manage_key)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship(back_populates="registrations")
    constituency: Mapped[Constituency | None] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "email", name="uq_event_registrations_event_email"),
        UniqueConstraint("event_id", "arrival", name="uq_event_registrations_event_arrival"),
        Index("ix_event_registrations_event_status", "event_id", "status", "arrival"),
    )

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.email} {self.status}>"
