"""Seats given through the database: statuses, waiting list, approval, cancellation."""

from datetime import timedelta

import pytest

from consult.database import utcnow
from consult.events import addresses, allocation, decisions
from consult.events.countries import DEVELOPING
from consult.events.models import Registration, Status
from consult.extensions import db


@pytest.fixture(autouse=True)
def _request(app):
    """Messages are translated for a reader, so these run inside a request."""
    with app.test_request_context():
        yield


def test_waiting_list_in_arrival_order(make_event, register):
    """Do people past the capacity wait, numbered in the order they arrived?"""
    event = make_event(capacity=2)
    people = [register(event) for _ in range(5)]
    assert [p.arrival for p in people] == [1, 2, 3, 4, 5]
    assert [p.status for p in people] == [Status.CONFIRMED] * 2 + [Status.WAITING] * 3
    assert [allocation.waiting_position(p) for p in people] == [None, None, 1, 2, 3]


def test_one_email_registers_once_per_event(make_event, register):
    """Is a second registration with the same address (any case) refused?"""
    event = make_event()
    register(event, email="amina@example.org")
    with pytest.raises(allocation.RegistrationRefused, match="already registered") as refused:
        register(event, email="Amina@Example.org")
    assert refused.value.field == "email"
    other = make_event()
    assert register(other, email="amina@example.org").status is Status.CONFIRMED


def test_cancelled_person_may_register_again_at_the_back(make_event, register):
    """May someone who cancelled register again, once the address is proved, arriving last?"""
    event = make_event(capacity=1)
    first = register(event, email="back@example.org")
    register(event)
    allocation.cancel(first.id)
    again = register(event, email="back@example.org")
    assert again.id == first.id
    assert again.status is Status.UNCONFIRMED
    register(event)
    proved = addresses.confirm(again.id).registration
    assert proved.status is Status.WAITING
    assert proved.arrival == 5
    assert allocation.waiting_position(proved) == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"published": False}, "not published"),
        ({"registration_opens_at": utcnow() + timedelta(days=1)}, "not opened yet"),
        ({"registration_closes_at": utcnow() - timedelta(minutes=1)}, "closed"),
    ],
)
def test_closed_or_unpublished_events_refuse(make_event, register, fields, message):
    """Are closed, not yet open and unpublished events refused with a clear reason?"""
    event = make_event(**fields)
    with pytest.raises(allocation.RegistrationRefused, match=message):
        register(event)
    assert db.session.query(Registration).filter_by(event_id=event.id).count() == 0


def test_past_event_refuses(make_event, register):
    """Is an event that already happened closed even without a closing date?"""
    past = utcnow() - timedelta(days=3)
    event = make_event(starts_at=past, registration_closes_at=None)
    with pytest.raises(allocation.RegistrationRefused, match="closed"):
        register(event)


def test_reserved_seats_before_and_after_release(make_event, register):
    """Are held seats kept for developing countries until the release date, then open to all?"""
    release = utcnow() + timedelta(days=10)
    event = make_event(capacity=3, holds=[(DEVELOPING, 1, release)])
    north = [register(event, country="CA") for _ in range(3)]
    assert [r.status for r in north] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITING]
    south = register(event, country="IN")
    assert south.status is Status.CONFIRMED
    late = register(event, country="FR")
    assert late.status is Status.WAITING

    event2 = make_event(capacity=3, holds=[(DEVELOPING, 1, release)])
    after = release + timedelta(minutes=1)
    people = [register(event2, country="CA", now=after) for _ in range(3)]
    assert [r.status for r in people] == [Status.CONFIRMED] * 3


def test_release_date_fills_seats_from_the_waiting_list(make_event, register):
    """Once the release date passes, does filling give the held seat to the first waiting?"""
    release = utcnow() + timedelta(days=10)
    event = make_event(capacity=2, holds=[("gov-developing", 1, release)])
    register(event, country="CA")
    second = register(event, country="CA")
    third = register(event, country="CA")
    assert (second.status, third.status) == (Status.WAITING, Status.WAITING)
    assert allocation.fill(event.id, now=utcnow()) == []
    promoted = allocation.fill(event.id, now=release)
    assert [r.id for r in promoted] == [second.id]
    assert db.session.get(Registration, third.id).status is Status.WAITING


def test_cancellation_promotes_first_eligible(make_event, register):
    """Does a cancelled seat go to the first waiting person who may take it?"""
    release = utcnow() + timedelta(days=10)
    event = make_event(capacity=3, holds=[(DEVELOPING, 1, release)])
    south = register(event, country="BR")
    register(event, country="CA")
    register(event, country="CA")
    north_waiting = register(event, country="GB")
    south_waiting = register(event, country="ZA")
    outcome = allocation.cancel(south.id)
    assert outcome.registration.status is Status.CANCELLED
    # the freed seat is held for developing countries: the first eligible is South Africa
    assert [r.id for r in outcome.promoted] == [south_waiting.id]
    assert db.session.get(Registration, north_waiting.id).status is Status.WAITING


def test_cancelling_twice_changes_nothing(make_event, register):
    """Is a second cancellation harmless (no seat freed twice)?"""
    event = make_event(capacity=1)
    first = register(event)
    waiting = [register(event), register(event)]
    assert len(allocation.cancel(first.id).promoted) == 1
    assert allocation.cancel(first.id).promoted == []
    assert db.session.get(Registration, waiting[1].id).status is Status.WAITING


def test_approval_pending_then_confirmed_or_declined(make_event, register):
    """With approval required, do registrations wait as pending until the Secretariat decides?"""
    event = make_event(capacity=1, approval_required=True)
    first, second, third = register(event), register(event), register(event)
    assert {first.status, second.status, third.status} == {Status.PENDING}
    assert decisions.approve(second.id).registration.status is Status.CONFIRMED
    assert decisions.approve(first.id).registration.status is Status.WAITING
    assert decisions.decline(third.id).registration.status is Status.DECLINED
    with pytest.raises(allocation.RegistrationRefused, match="declined"):
        register(event, email=third.email)


def test_hand_promotion_needs_a_free_seat(make_event, register):
    """Can the Secretariat give a held seat by hand, but never a seat beyond the capacity?"""
    release = utcnow() + timedelta(days=10)
    event = make_event(capacity=2, holds=[(DEVELOPING, 1, release)])
    register(event, country="CA")
    waiting = register(event, country="CA")
    assert decisions.promote(waiting.id).registration.status is Status.CONFIRMED
    extra = register(event, country="IN")
    assert extra.status is Status.WAITING
    with pytest.raises(allocation.RegistrationRefused, match="No seat is free"):
        decisions.promote(extra.id)


def test_raising_capacity_fills_from_waiting_list(make_event, register):
    """Does a higher capacity give the new seats to those waiting, and can it not drop too low?"""
    event = make_event(capacity=1)
    register(event)
    waiting = [register(event) for _ in range(3)]
    promoted = decisions.set_capacity(event.id, 3)
    assert [r.id for r in promoted] == [waiting[0].id, waiting[1].id]
    with pytest.raises(allocation.RegistrationRefused, match="cannot be below"):
        decisions.set_capacity(event.id, 2)


def test_correction_keeps_a_reserved_seat_honest(make_event, register):
    """May someone with a seat held for their group not change group, while others correct freely?"""
    release = utcnow() + timedelta(days=10)
    event = make_event(capacity=2, holds=[(DEVELOPING, 1, release)])
    seated = register(event, country="IN")
    with pytest.raises(allocation.RegistrationRefused, match="write to the Secretariat"):
        allocation.correct(seated.id, {"country": "CA"})
    outcome = allocation.correct(seated.id, {"name": "Priya Sharma", "consent_listed": False})
    assert outcome.registration.name == "Priya Sharma"
    assert outcome.registration.consent_listed is False
    register(event, country="CA")
    waiting = register(event, country="CA")
    allocation.cancel(seated.id)
    assert db.session.get(Registration, waiting.id).status is Status.WAITING
    promoted = allocation.correct(waiting.id, {"country": "KE"}).promoted
    assert [r.id for r in promoted] == [waiting.id]


def test_no_promotion_once_the_event_has_started(make_event, register):
    """Once the event has started, do cancellations, corrections and capacity leave the queue as is?"""
    start = utcnow().replace(second=0, microsecond=0) + timedelta(days=3)
    event = make_event(capacity=1, starts_at=start)
    before = start - timedelta(days=2)
    first = register(event, now=before)
    second = register(event, now=before)
    assert second.status is Status.WAITING
    during = start + timedelta(hours=1)
    assert allocation.cancel(first.id, now=during).promoted == []
    assert allocation.correct(second.id, {"country": "BR"}, now=during).promoted == []
    assert decisions.set_capacity(event.id, 3, now=during) == []
    assert allocation.fill(event.id, now=during) == []
    assert db.session.get(Registration, second.id).status is Status.WAITING
