"""The seat lock does constant work: a full event's waiting list is not read by a change.

Each change is made through the app (the registration form, the private link) on two
full events, one with 10 people waiting and one with 500; the SQL statements sent and
the registrations loaded must be the same for both. Before the seat counters, every
late registration read every waiting row under the event's lock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import event as orm_event
from sqlalchemy import insert

from consult.events import notifications
from consult.events.countries import DEVELOPING
from consult.events.models import Event, Registration, Status
from consult.extensions import db
from tests.events.conftest import constituency_id, form_data
from tests.queries import counting_queries

SEATS = 2


@dataclass
class Work:
    """What one request did in the database."""

    statements: int
    registrations_loaded: int
    status: int
    #: Ids of the registrations loaded (not compared: they differ from event to event).
    loaded_ids: frozenset[int] = frozenset()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Work):
            return NotImplemented
        mine = (self.statements, self.registrations_loaded, self.status)
        return mine == (other.statements, other.registrations_loaded, other.status)


@contextmanager
def measuring() -> Iterator[Callable[[int], Work]]:
    """Count the statements sent and the registration rows turned into objects in the block."""
    loaded: list[int] = []

    def on_load(target: Registration, context: object) -> None:
        loaded.append(target.id)

    orm_event.listen(Registration, "load", on_load)
    try:
        with counting_queries() as statements:
            yield lambda status: Work(len(statements), len(loaded), status, frozenset(loaded))
    finally:
        orm_event.remove(Registration, "load", on_load)


def full_event(make_event, register, waiting: int, **fields) -> Event:
    """An event whose ``SEATS`` seats are taken, with ``waiting`` more people waiting."""
    event = make_event(capacity=SEATS, **fields)
    for _ in range(SEATS):
        register(event)
    ngos = constituency_id("ngos")
    db.session.execute(
        insert(Registration),
        [
            {
                "event_id": event.id,
                "arrival": SEATS + number,
                "status": Status.WAITING,
                "name": f"Waiting {number}",
                "email": f"waiting{number}-{event.id}@example.org",
                "organisation": "Waiting list",
                "constituency_id": ngos,
                "country": "KE",
                "country_group": DEVELOPING,
                "manage_key": f"key-{event.id}-{number}",
            }
            for number in range(1, waiting + 1)
        ],
    )
    event.arrivals = SEATS + waiting
    db.session.commit()
    assert event.taken == SEATS
    return event


def _register(client, event: Event, number: int) -> Work:
    with measuring() as done:
        response = client.post(f"/events/{event.slug}/register", data=form_data(number))
        return done(response.status_code)


def _token(event: Event, arrival: int) -> str:
    registration = db.session.query(Registration).filter_by(event_id=event.id, arrival=arrival)
    return notifications.manage_token(registration.one())


@pytest.fixture
def events(make_event, register, client) -> tuple[Event, Event]:
    """Two full events, 10 and 500 waiting, after one registration that warms the app up."""
    few = full_event(make_event, register, 10)
    many = full_event(make_event, register, 500)
    _register(client, few, 9000)
    return few, many


def test_a_late_registration_does_the_same_work_with_10_or_500_waiting(client, events):
    """Does registering for a full event read nothing of the waiting list, however long?"""
    few, many = events
    with_few = _register(client, few, 1)
    with_many = _register(client, many, 1)
    assert with_few.status == with_many.status == 303
    assert with_few == with_many
    assert with_many.registrations_loaded <= 2  # the new one, read back by the worker's letter
    assert db.session.query(Registration).filter_by(event_id=many.id).count() == SEATS + 501
    newest = db.session.query(Registration).filter_by(event_id=many.id, arrival=SEATS + 501).one()
    assert newest.status is Status.WAITING


def test_cancelling_and_correcting_do_the_same_work_with_10_or_500_waiting(client, events):
    """Do a waiting person's correction and cancellation, and a seat freed, stay constant?"""
    few, many = events
    work = {}
    for name, event in (("few", few), ("many", many)):
        waiting = _token(event, SEATS + 5)
        with measuring() as done:
            response = client.post(
                f"/events/registration/{waiting}",
                data=form_data(5, name="Corrected Name", country="GH"),
            )
            work[name, "correct"] = done(response.status_code)
        with measuring() as done:
            response = client.post(f"/events/registration/{waiting}/cancel")
            work[name, "cancel waiting"] = done(response.status_code)
        with measuring() as done:
            response = client.post(f"/events/registration/{_token(event, 1)}/cancel")
            work[name, "cancel seat"] = done(response.status_code)
    for step in ("correct", "cancel waiting", "cancel seat"):
        assert work["few", step] == work["many", step], step
        assert work["many", step].status == 303
    for event in (few, many):
        db.session.refresh(event)
        first_waiting = _token(event, SEATS + 1)
        seated = notifications.registration_for_token(first_waiting)
        assert seated.status is Status.CONFIRMED  # the freed seat went to the first waiting
        assert event.taken == SEATS
    assert (
        db.session.query(Registration).filter_by(event_id=many.id, status=Status.WAITING).count()
        == 500 - 2
    )


def test_a_freed_held_seat_reads_only_its_group(client, make_event, register):
    """With seats held for a group, does a freed held seat go to the first of that group waiting?"""
    from datetime import timedelta

    from consult.database import utcnow

    event = make_event(capacity=3, holds=[("ngos", 1, utcnow() + timedelta(days=20))])
    ngo = register(event, constituency="ngos")
    register(event, constituency="business")
    register(event, constituency="business")
    later = [register(event, constituency="business") for _ in range(3)]
    ngo_waiting = register(event, constituency="ngos")
    assert [r.status for r in later] == [Status.WAITING] * 3
    assert ngo_waiting.status is Status.WAITING
    with measuring() as done:
        client.post(f"/events/registration/{notifications.manage_token(ngo)}/cancel")
        work = done(0)
    db.session.expire_all()
    assert ngo_waiting.status is Status.CONFIRMED
    assert [r.status for r in later] == [Status.WAITING] * 3
    assert work.loaded_ids == {ngo.id, ngo_waiting.id}  # not those of the other groups
    assert db.session.get(Event, event.id).taken == 3
