"""Teleconferences: series, calls, attendance, away dates, holidays, agendas and minutes.

The action items agreed on a call are work items of the work programme (``consult.programme``).
"""

from __future__ import annotations

import enum
import secrets
import uuid
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.database import str_enum, utcnow
from consult.enums import LabelledEnum
from consult.extensions import db


class CallStatus(LabelledEnum):
    """Where a call stands."""

    PROPOSED = "proposed", _l("Proposed")
    CONFIRMED = "confirmed", _l("Confirmed")
    CANCELLED = "cancelled", _l("Cancelled")
    HELD = "held", _l("Held")


class Partstat(LabelledEnum):
    """An invited member's answer (the PARTSTAT values of RFC 5545)."""

    NEEDS_ACTION = "NEEDS-ACTION", _l("No answer yet")
    ACCEPTED = "ACCEPTED", _l("Accepted")
    TENTATIVE = "TENTATIVE", _l("Tentative")
    DECLINED = "DECLINED", _l("Declined")
    #: Answered from a calendar program: someone else was sent in the member's place.
    DELEGATED = "DELEGATED", _l("Delegated")


class AgendaStatus(enum.StrEnum):
    """An agenda item's state."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Presence(LabelledEnum):
    """Whether an invitee took part, as the Secretariat records it at the call."""

    UNKNOWN = "unknown", _l("Not recorded")
    PRESENT = "present", _l("Present")
    APOLOGIES = "apologies", _l("Apologies")
    ABSENT = "absent", _l("Absent")


class MinutesStatus(LabelledEnum):
    """Where a call's minutes stand: drafted, approved, then circulated to the invitees."""

    DRAFT = "draft", _l("Draft")
    APPROVED = "approved", _l("Approved")
    CIRCULATED = "circulated", _l("Circulated")


class SeriesMember(db.Model):
    """A member invited to every call of a series."""

    __tablename__ = "call_series_members"

    series_id: Mapped[int] = mapped_column(
        ForeignKey("call_series.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)

    #: Loaded for all memberships at once: the planner reads every member.
    user: Mapped[User] = relationship(lazy="selectin")


class CallSeries(db.Model):
    """A recurring teleconference, such as the Steering Group's call every four to five weeks."""

    __tablename__ = "call_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    #: The next call falls this many days after the previous one, at the earliest ...
    cadence_min_days: Mapped[int] = mapped_column(default=28)
    #: ... and at the latest.
    cadence_max_days: Mapped[int] = mapped_column(default=35)
    duration_minutes: Mapped[int] = mapped_column(default=60)
    #: Local hours every member can take a call (start inclusive, end exclusive).
    acceptable_from: Mapped[int] = mapped_column(default=7)
    acceptable_to: Mapped[int] = mapped_column(default=21)
    #: Local working hours: the good part of the day.
    good_from: Mapped[int] = mapped_column(default=9)
    good_to: Mapped[int] = mapped_column(default=18)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Bridge number, dial-in codes or a conference link.
    bridge: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organiser: Mapped[User] = relationship()
    memberships: Mapped[list[SeriesMember]] = relationship(cascade="all, delete-orphan")
    calls: Mapped[list[Call]] = relationship(
        back_populates="series", order_by="Call.starts_at", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<CallSeries {self.name!r}>"

    @property
    def members(self) -> list[User]:
        """The invited members, by name."""
        return sorted((m.user for m in self.memberships), key=lambda u: u.display_name)


def _new_uid() -> str:
    return f"{uuid.uuid4()}@consult"


#: The calls that count: confirmed or held (as SQL, for the partial unique index).
LIVE_SQL = "status IN ('confirmed', 'held')"


class Call(db.Model):
    """One teleconference of a series."""

    __tablename__ = "calls"
    __table_args__ = (
        # Two confirms racing each other both take the next number: the database keeps one.
        Index(
            "uq_calls_series_id_number_live",
            "series_id",
            "number",
            unique=True,
            sqlite_where=text(LIVE_SQL),
            postgresql_where=text(LIVE_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("call_series.id", ondelete="CASCADE"))
    #: The call's place in its series (1, 2, ...), unique among confirmed and held calls.
    number: Mapped[int | None]
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(default=60)
    status: Mapped[CallStatus] = mapped_column(str_enum(CallStatus), default=CallStatus.PROPOSED)
    #: The iCalendar UID, fixed for the call's whole life.
    uid: Mapped[str] = mapped_column(String(120), unique=True, default=_new_uid)
    #: The iCalendar SEQUENCE, raised on every change sent to the invitees.
    sequence: Mapped[int] = mapped_column(default=0)
    agenda_published_at: Mapped[datetime | None]
    minutes: Mapped[str] = mapped_column(Text, default="")
    #: Draft (the Secretariat only), approved (frozen), circulated (members read them).
    minutes_status: Mapped[MinutesStatus] = mapped_column(
        str_enum(MinutesStatus), default=MinutesStatus.DRAFT, server_default="draft"
    )
    minutes_approved_at: Mapped[datetime | None]
    minutes_circulated_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    series: Mapped[CallSeries] = relationship(back_populates="calls")
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="call", cascade="all, delete-orphan"
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="call", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Call {self.id} {self.status} {self.starts_at:%Y-%m-%d %H:%M}Z>"

    @property
    def ends_at(self) -> datetime:
        """When the call ends (UTC)."""
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def published_agenda(self) -> list[AgendaItem]:
        """The accepted agenda items, in the Secretariat's order; none until it is published."""
        if self.agenda_published_at is None:
            return []
        return [item for item in self.agenda_items if item.status is AgendaStatus.ACCEPTED]

    def agenda_for(self, user: User) -> list[AgendaItem]:
        """The items ``user`` may see: all for the Secretariat, else published ones and their own."""
        if user.is_secretariat:
            return list(self.agenda_items)
        published = {item.id for item in self.published_agenda}
        return [
            item
            for item in self.agenda_items
            if item.id in published or item.proposed_by_id == user.id
        ]

    def attendance_of(self, user: User) -> Attendance | None:
        """The invitation of ``user`` to this call, if any."""
        return next((a for a in self.attendances if a.user_id == user.id), None)

    def register(self) -> dict[Presence, list[User]]:
        """The attendance register: invitees by presence, each list by name."""
        found: dict[Presence, list[User]] = {presence: [] for presence in Presence}
        for attendance in sorted(self.attendances, key=lambda a: a.user.display_name):
            found[attendance.presence].append(attendance.user)
        return found

    def item_times(self, items: list[AgendaItem]) -> dict[int, tuple[datetime, datetime]]:
        """When each item starts and ends, from the call's start, while items give a duration."""
        times, start = {}, self.starts_at
        for item in items:
            if not item.duration_minutes:
                break
            end = start + timedelta(minutes=item.duration_minutes)
            times[item.id] = (start, end)
            start = end
        return times

    def minutes_visible_to(self, user: User) -> bool:
        """The Secretariat reads every draft; the others read circulated minutes only."""
        return user.is_secretariat or self.minutes_status is MinutesStatus.CIRCULATED


class Attendance(db.Model):
    """A member invited to one call, and their answer."""

    __tablename__ = "call_attendances"
    __table_args__ = (UniqueConstraint("call_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    partstat: Mapped[Partstat] = mapped_column(str_enum(Partstat), default=Partstat.NEEDS_ACTION)
    responded_at: Mapped[datetime | None]
    #: Why the last e-mail to this member failed (empty when it went out).
    delivery_error: Mapped[str] = mapped_column(String(500), default="")
    #: What the member wrote with their calendar's answer (the REPLY's COMMENT).
    comment: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    #: Who the member's calendar answer delegated the call to (DELEGATED-TO).
    delegated_to: Mapped[str] = mapped_column(String(320), default="", server_default="")
    #: The attendance register: present, apologies or absent, recorded at the call.
    presence: Mapped[Presence] = mapped_column(
        str_enum(Presence), default=Presence.UNKNOWN, server_default="unknown"
    )

    call: Mapped[Call] = relationship(back_populates="attendances")
    #: Loaded for all attendances at once: the call page lists every answer.
    user: Mapped[User] = relationship(lazy="selectin")


class AwayPeriod(db.Model):
    """Dates a member cannot take calls (both days included)."""

    __tablename__ = "away_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()


class Holiday(db.Model):
    """A day closed for everyone (a UN holiday, for instance)."""

    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(200))


class AgendaItem(db.Model):
    """A point on a call's agenda, proposed by a member or the Secretariat."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    details: Mapped[str] = mapped_column(Text, default="")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[AgendaStatus] = mapped_column(
        str_enum(AgendaStatus), default=AgendaStatus.PROPOSED
    )
    position: Mapped[int] = mapped_column(default=0)
    #: Minutes given to the item; the page shows each item's time from the call's start.
    duration_minutes: Mapped[int | None]
    #: Who introduces the item.
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[Call] = relationship(back_populates="agenda_items")
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    lead: Mapped[User | None] = relationship(foreign_keys=[lead_id])
    documents: Mapped[list[AgendaDocument]] = relationship(
        back_populates="item",
        order_by="AgendaDocument.id",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class AgendaDocument(db.Model):
    """A document for an agenda item: a link into the library, or any web address.

    A link, not a foreign key: the library is another capability, which offers its
    files through ``signals.linkable_documents``, and opening one still goes
    through the library's own access check.
    """

    __tablename__ = "agenda_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(1000))

    item: Mapped[AgendaItem] = relationship(back_populates="documents")


#: The kind of :class:`Notice` recorded for the agenda reminder.
AGENDA_REMINDER = "agenda-reminder"


class Notice(db.Model):
    """An e-mail about a call sent to one member (so a cron job never sends it twice)."""

    __tablename__ = "call_notices"
    __table_args__ = (UniqueConstraint("call_id", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: ``agenda-reminder`` for now.
    kind: Mapped[str] = mapped_column(String(40))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


def _new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class FeedToken(db.Model):
    """The secret in a user's private calendar feed URL."""

    __tablename__ = "calendar_feed_tokens"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True, default=_new_feed_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    def regenerate(self) -> None:
        """Replace the secret; the old URL stops working."""
        self.token = _new_feed_token()
        self.created_at = utcnow()
