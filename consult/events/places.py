"""Places left, as a registrant reads them before submitting: in all, and where seats are held.

Read without the event's lock, so a number may be one off by the time the form is
sent; the registration itself is decided under the lock (see :mod:`allocation`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from consult.database import utcnow
from consult.events import seats
from consult.events.allocation import applicant_of, holds_of, tally_of
from consult.events.countries import group_label
from consult.events.models import Event, Registration, SeatRule, Status
from consult.extensions import db


@dataclass(frozen=True)
class Held:
    """Seats still held for one constituency or country group until a date."""

    label: str
    seats: int
    left: int
    release_at: datetime


@dataclass
class Places:
    """How full an event is, as its pages say it."""

    capacity: int
    confirmed: int
    #: Seats anyone may take now (free seats not held for a group).
    open: int
    #: Free seats in all, held or not.
    free: int
    waiting: int
    held: list[Held] = field(default_factory=list)

    @property
    def full(self) -> bool:
        """No free seat at all: newcomers join the waiting list."""
        return self.free <= 0

    @property
    def held_left(self) -> int:
        """Free seats still held for groups."""
        return sum(hold.left for hold in self.held)


def rule_label(rule: SeatRule) -> str:
    """Who a rule holds seats for, in the reader's language."""
    if rule.constituency is not None:
        return rule.constituency.name
    return group_label(rule.country_group)


def of(event: Event, now: datetime | None = None) -> Places:
    """The event's places now: confirmed, open to anyone, held per group, and those waiting."""
    now = now or utcnow()
    tally = tally_of(event)
    holds = holds_of(event)
    held = []
    for rule, hold in zip(event.seat_rules, holds, strict=True):
        if now < hold.release_at:
            left = max(0, hold.seats - tally.matching(hold))
            held.append(Held(rule_label(rule), hold.seats, left, hold.release_at))
    waiting = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.event_id == event.id, Registration.status == Status.WAITING)
    )
    return Places(
        capacity=event.capacity,
        confirmed=tally.confirmed,
        open=seats.open_seats(event.capacity, tally, holds, now),
        free=seats.free_seats(event.capacity, tally),
        waiting=waiting or 0,
        held=held,
    )


def held_for_others(registration: Registration, now: datetime | None = None) -> list[Held]:
    """The held seats still free that ``registration`` may not take (why a waiter waits)."""
    now = now or utcnow()
    event = registration.event
    tally = tally_of(event)
    applicant = applicant_of(registration)
    found = []
    for rule, hold in zip(event.seat_rules, holds_of(event), strict=True):
        left = max(0, hold.seats - tally.matching(hold))
        if now < hold.release_at and left > 0 and not hold.matches(applicant):
            found.append(Held(rule_label(rule), hold.seats, left, hold.release_at))
    return found
