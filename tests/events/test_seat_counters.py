"""The seat counters and the partial reads of the waiting list give exactly what the rules give.

Random registrations, cancellations and larger capacities go through the allocation (as the pages call it) on
an event with seats held for a constituency and for a country group, one of them released
half-way; after each step every status must be what :mod:`consult.events.seats` gives when
it reads the whole waiting list, and the counters must match the registrations.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consult.database import utcnow
from consult.events import allocation, decisions, seats
from consult.events.countries import DEVELOPING, country_group
from consult.events.models import Event, Registration, SeatRule, Status
from consult.extensions import db
from tests.events.conftest import constituency_id

CONSTITUENCIES = ("ngos", "business", "gov-developing", "trade-unions")
COUNTRIES = ("KE", "CA", "PL", "BR", "FR", "IN")


@pytest.fixture(autouse=True)
def _request(app):
    """Messages are translated for a reader, so these run inside a request."""
    with app.test_request_context():
        yield


class Model:
    """The rules on plain data, reading the whole waiting list each time."""

    def __init__(self, capacity: int, holds: list[seats.Hold]) -> None:
        self.capacity = capacity
        self.holds = holds
        self.people: list[tuple[seats.Applicant, Status]] = []

    def tally(self) -> seats.Tally:
        return seats.Tally.of(a for a, status in self.people if status is Status.CONFIRMED)

    def fill(self, now) -> None:
        waiting = [i for i, (_, status) in enumerate(self.people) if status is Status.WAITING]
        chosen = seats.promotions(
            [self.people[i][0] for i in waiting], self.capacity, self.tally(), self.holds, now
        )
        for index in chosen:
            self.people[waiting[index]] = (self.people[waiting[index]][0], Status.CONFIRMED)

    def register(self, applicant: seats.Applicant, now) -> None:
        self.fill(now)
        status = seats.decide(applicant, self.capacity, self.tally(), self.holds, now)
        self.people.append((applicant, status))

    def cancel(self, index: int, now) -> None:
        self.people[index] = (self.people[index][0], Status.CANCELLED)
        self.fill(now)


@pytest.mark.parametrize("seed", range(4))
def test_counters_give_what_the_rules_give(make_event, register, seed):
    """Do statuses and counters follow the rules through registrations and cancellations?"""
    rng = random.Random(seed)
    start = utcnow()
    release = start + timedelta(days=5)
    event = make_event(
        capacity=7,
        holds=[("ngos", 2, start + timedelta(days=20)), (DEVELOPING, 2, release)],
    )
    model = Model(
        7,
        [
            seats.Hold("constituency", str(constituency_id("ngos")), 2, start + timedelta(days=20)),
            seats.Hold("group", DEVELOPING, 2, release),
        ],
    )
    made: list[Registration] = []
    for step in range(45):
        now = start + timedelta(minutes=step) if step < 25 else release + timedelta(minutes=step)
        active = [i for i, (_, s) in enumerate(model.people) if s is not Status.CANCELLED]
        roll = rng.random()
        if roll < 0.08:  # several seats free at once: the waiting list is read in turns
            more = rng.randint(2, 4)
            decisions.set_capacity(event.id, model.capacity + more, now=now)
            model.capacity += more
            model.fill(now)
        elif active and roll < 0.35:
            index = rng.choice(active)
            allocation.cancel(made[index].id, now=now)
            model.cancel(index, now)
        else:
            slug, country = rng.choice(CONSTITUENCIES), rng.choice(COUNTRIES)
            made.append(register(event, constituency=slug, country=country, now=now))
            model.register(seats.Applicant(str(constituency_id(slug)), country_group(country)), now)
        db.session.expire_all()
        assert [r.status for r in made] == [s for _, s in model.people], f"step {step}"
        _counters_match(event.id)


def _counters_match(event_id: int) -> None:
    event = db.session.get(Event, event_id)
    confirmed = select(func.count()).where(
        Registration.event_id == event_id, Registration.status == Status.CONFIRMED
    )
    assert event.taken == db.session.scalar(confirmed) <= event.capacity
    for rule in db.session.scalars(select(SeatRule).where(SeatRule.event_id == event_id)):
        assert rule.taken == allocation.confirmed_of(rule)
