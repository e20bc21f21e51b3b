"""The seat rules, as plain functions on plain data.

An event has a capacity and may hold seats back for a constituency or a
country group until a release date. Holding back means "this group is sure of
at least N seats": every confirmed member of the group counts against the
hold, whichever seat they took. After the release date the unused held seats
are open to everyone. Someone who finds no seat they may take waits, in order
of arrival; a freed seat goes to the first person waiting who may take it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from consult.events.models import Status


@dataclass(frozen=True)
class Applicant:
    """What the rules need to know about a person: their constituency and country group."""

    constituency: str | None
    country_group: str


@dataclass(frozen=True)
class Hold:
    """Seats held for a constituency (``kind="constituency"``) or a country group."""

    kind: str  # "constituency" or "group"
    value: str
    seats: int
    release_at: datetime

    def matches(self, applicant: Applicant) -> bool:
        """True when ``applicant`` belongs to the group the seats are held for."""
        if self.kind == "constituency":
            return applicant.constituency == self.value
        return applicant.country_group == self.value


@dataclass
class Tally:
    """Confirmed seats: in all, by constituency and by country group."""

    confirmed: int = 0
    by_constituency: Counter = field(default_factory=Counter)
    by_group: Counter = field(default_factory=Counter)

    @classmethod
    def of(cls, applicants: Iterable[Applicant]) -> Tally:
        """The tally of these confirmed people."""
        tally = cls()
        for applicant in applicants:
            tally.add(applicant)
        return tally

    def add(self, applicant: Applicant) -> None:
        """Count one more confirmed person."""
        self.confirmed += 1
        self.by_constituency[applicant.constituency] += 1
        self.by_group[applicant.country_group] += 1

    def remove(self, applicant: Applicant) -> None:
        """Count one confirmed person less."""
        self.confirmed -= 1
        self.by_constituency[applicant.constituency] -= 1
        self.by_group[applicant.country_group] -= 1

    def matching(self, hold: Hold) -> int:
        """How many confirmed people the hold's group already has."""
        counter = self.by_constituency if hold.kind == "constituency" else self.by_group
        return counter[hold.value]


def active_holds(holds: Iterable[Hold], now: datetime) -> list[Hold]:
    """The holds not yet released at ``now``."""
    return [hold for hold in holds if now < hold.release_at]


def unused_held(holds: Iterable[Hold], tally: Tally, now: datetime) -> list[tuple[Hold, int]]:
    """Each active hold with the number of its seats its group has not used yet."""
    return [(hold, max(0, hold.seats - tally.matching(hold))) for hold in active_holds(holds, now)]


def open_seats(capacity: int, tally: Tally, holds: Iterable[Hold], now: datetime) -> int:
    """Seats anyone may take: free seats minus those still held back."""
    held = sum(unused for _, unused in unused_held(holds, tally, now))
    return max(0, capacity - tally.confirmed - held)


def free_seats(capacity: int, tally: Tally) -> int:
    """Seats nobody has, held back or not."""
    return max(0, capacity - tally.confirmed)


def may_take_seat(
    applicant: Applicant, capacity: int, tally: Tally, holds: Sequence[Hold], now: datetime
) -> bool:
    """True when a seat ``applicant`` may take is free: an open seat or one held for them."""
    if free_seats(capacity, tally) <= 0:
        return False
    if any(
        unused > 0 and hold.matches(applicant) for hold, unused in unused_held(holds, tally, now)
    ):
        return True
    return open_seats(capacity, tally, holds, now) > 0


def decide(
    applicant: Applicant,
    capacity: int,
    tally: Tally,
    holds: Sequence[Hold],
    now: datetime,
    *,
    approval_required: bool = False,
) -> Status:
    """The status a new registration gets: pending, confirmed or waiting."""
    if approval_required:
        return Status.PENDING
    if may_take_seat(applicant, capacity, tally, holds, now):
        return Status.CONFIRMED
    return Status.WAITING


def promotions(
    waiting: Sequence[Applicant],
    capacity: int,
    tally: Tally,
    holds: Sequence[Hold],
    now: datetime,
) -> list[int]:
    """Indexes (in ``waiting``, ordered by arrival) of those who now get a seat, in order.

    The tally is updated as seats are given.
    """
    chosen = []
    for index, applicant in enumerate(waiting):
        if free_seats(capacity, tally) <= 0:
            break
        if may_take_seat(applicant, capacity, tally, holds, now):
            tally.add(applicant)
            chosen.append(index)
    return chosen


def replay(
    arrivals: Sequence[Applicant], capacity: int, holds: Sequence[Hold], now: datetime
) -> list[Status]:
    """The statuses that registrations arriving in this order must get (for checking)."""
    tally = Tally()
    statuses = []
    for applicant in arrivals:
        status = decide(applicant, capacity, tally, holds, now)
        if status is Status.CONFIRMED:
            tally.add(applicant)
        statuses.append(status)
    return statuses


def total_held(holds: Iterable[Hold]) -> int:
    """Seats held back by all holds together, released or not."""
    return sum(hold.seats for hold in holds)
