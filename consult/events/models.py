"""Events, their agenda, reserved-seat rules and registrations."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
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
    #: Waits for its address to be proved by the e-mailed link; holds no place yet.
    UNCONFIRMED = "unconfirmed", _l("Address not yet confirmed")
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
    #: A registration counts only once its address is confirmed through the e-mailed link.
    confirm_address: Mapped[bool] = mapped_column(default=False)
    #: Only people holding a personal invitation may register.
    invitation_only: Mapped[bool] = mapped_column(default=False)
    #: Days before the start the registrants are reminded (None: no reminders).
    remind_days_before: Mapped[int | None]
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
    form_fields: Mapped[list[FormField]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="(FormField.position, FormField.id)",
        foreign_keys="FormField.event_id",
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
    #: When the registrant proved the address by following the e-mailed link.
    address_confirmed_at: Mapped[datetime | None]
    #: When the reminder before the event went out (once per registration).
    reminded_at: Mapped[datetime | None]
    #: When the reminder to act on a registration still pending went out (once).
    pending_reminded_at: Mapped[datetime | None]
    #: When the participant was checked in at the door (:mod:`consult.events.checkin`), once.
    checked_in_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship(back_populates="registrations")
    constituency: Mapped[Constituency | None] = relationship()
    answers: Mapped[list[FormAnswer]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("event_id", "email", name="uq_event_registrations_event_email"),
        UniqueConstraint("event_id", "arrival", name="uq_event_registrations_event_arrival"),
        Index("ix_event_registrations_event_status", "event_id", "status", "arrival"),
    )

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.email} {self.status}>"


class FieldKind(LabelledEnum):
    """The kinds of question an event's form may ask."""

    TEXT = "text", _l("Text")
    CHOICE = "choice", _l("One choice")
    MULTIPLE = "multiple", _l("Several choices")
    COUNTRY = "country", _l("Country")
    DATE = "date", _l("Date")
    YESNO = "yesno", _l("Yes or no")
    FILE = "file", _l("File")
    #: A heading; its condition applies to every field after it until the next section.
    SECTION = "section", _l("Section heading")


class FormField(Translatable, db.Model):
    """A question the Secretariat adds to an event's registration form."""

    __tablename__ = "event_form_fields"
    translatable = ("label", "help", "options")

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[FieldKind] = mapped_column(str_enum(FieldKind, "form_field_kind"))
    label: Mapped[str] = mapped_column(String(300))
    help: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    #: The choices, one per line (their translations keep the same order).
    options: Mapped[str] = mapped_column(Text, default="")
    #: Shown (and asked) only when this yes/no or choice field has ``shown_if_value``.
    shown_if_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_form_fields.id", ondelete="SET NULL")
    )
    shown_if_value: Mapped[str] = mapped_column(String(200), default="")
    #: File fields: the largest file accepted, in kilobytes, and the extensions accepted.
    max_kb: Mapped[int | None]
    file_types: Mapped[str] = mapped_column(String(200), default="")

    event: Mapped[Event] = relationship(back_populates="form_fields", foreign_keys=[event_id])
    shown_if: Mapped[FormField | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<FormField {self.id} {self.kind} {self.label[:30]!r}>"

    @property
    def option_list(self) -> list[str]:
        """The choices as written (the stored answers use these)."""
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def localized_options(self) -> list[tuple[str, str]]:
        """(stored value, text in the reader's language) of each choice."""
        originals = self.option_list
        shown = [
            line.strip() for line in str(self.localized("options")).splitlines() if line.strip()
        ]
        if len(shown) != len(originals):
            shown = originals
        return list(zip(originals, shown, strict=True))


class FormAnswer(db.Model):
    """One registrant's answer to one question of the event's form."""

    __tablename__ = "event_form_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("event_registrations.id", ondelete="CASCADE"), index=True
    )
    field_id: Mapped[int] = mapped_column(
        ForeignKey("event_form_fields.id", ondelete="CASCADE"), index=True
    )
    #: Text, a choice, a list of choices, an ISO date or country code, true/false, a file name.
    value: Mapped[object] = mapped_column(JSON)
    #: File answers: the random name of the stored file inside ``UPLOAD_DIR/event-answers``.
    stored_name: Mapped[str] = mapped_column(String(64), default="")

    registration: Mapped[Registration] = relationship(back_populates="answers")
    field: Mapped[FormField] = relationship()

    __table_args__ = (
        UniqueConstraint(
            "registration_id", "field_id", name="uq_event_form_answers_registration_field"
        ),
    )


def new_invitation_key() -> str:
    """The secret that makes an invitation link unguessable and single-use."""
    return secrets.token_urlsafe(16)


class Invitation(db.Model):
    """A personal invitation to register for an invitation-only event."""

    __tablename__ = "event_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: Stored lower-cased; one invitation per address and event.
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120), default="")
    constituency_id: Mapped[int | None] = mapped_column(ForeignKey("constituencies.id"))
    language: Mapped[str | None] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(40), default=new_invitation_key)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the invitation was last queued for sending.
    sent_at: Mapped[datetime | None]
    #: When the registration it allowed was taken: the link works once.
    used_at: Mapped[datetime | None]
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_registrations.id", ondelete="SET NULL")
    )

    event: Mapped[Event] = relationship()
    constituency: Mapped[Constituency | None] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "email", name="uq_event_invitations_event_email"),
    )
