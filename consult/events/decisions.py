"""The Secretariat's decisions on seats: approve, decline, seat by hand, change the capacity.

Each runs in the same locked transaction as registration (see :mod:`allocation`); ``then``
queues the e-mails in that transaction.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from consult.database import utcnow
from consult.events import seats
from consult.events.allocation import (
    Outcome,
    RegistrationRefused,
    Then,
    confirm,
    fill_seats,
    get_registration,
    holds_of,
    in_seat_transaction,
    lock_event,
    tally_of,
)
from consult.events.models import Registration, Status
from consult.extensions import db


def approve(registration_id: int, now: datetime | None = None, then: Then = None) -> Outcome:
    """The Secretariat approves a pending registration: a seat if one is free, else waiting."""

    def work() -> Outcome:
        moment = now or utcnow()
        registration = get_registration(registration_id)
        event = lock_event(registration.event_id)
        db.session.refresh(registration)
        if registration.status is not Status.PENDING:
            return Outcome(registration)
        registration.status = Status.WAITING
        db.session.flush()
        promoted = fill_seats(event, moment)
        return Outcome(registration, [r for r in promoted if r.id != registration.id])

    return in_seat_transaction(work, then)


def decline(registration_id: int, then: Then = None) -> Outcome:
    """The Secretariat declines a pending or waiting registration."""

    def work() -> Outcome:
        registration = get_registration(registration_id)
        lock_event(registration.event_id)
        db.session.refresh(registration)
        if registration.status in (Status.PENDING, Status.WAITING):
            registration.status = Status.DECLINED
        return Outcome(registration)

    return in_seat_transaction(work, then)


def promote(registration_id: int, now: datetime | None = None, then: Then = None) -> Outcome:
    """The Secretariat gives a waiting person a seat by hand (held seats may be used, not extra ones)."""

    def work() -> Outcome:
        moment = now or utcnow()
        registration = get_registration(registration_id)
        event = lock_event(registration.event_id)
        db.session.refresh(registration)
        if registration.status is not Status.WAITING:
            raise RegistrationRefused(str(_l("Only someone on the waiting list can be promoted.")))
        if seats.free_seats(event.capacity, tally_of(event)) <= 0:
            raise RegistrationRefused(
                str(_l("No seat is free: raise the capacity or wait for a cancellation."))
            )
        confirm(event, [registration], moment)
        return Outcome(registration)

    return in_seat_transaction(work, then)


def set_capacity(
    event_id: int, capacity: int, now: datetime | None = None, then: Then = None
) -> list[Registration]:
    """Change the capacity (never below the confirmed or still held seats); fill new seats."""

    def work() -> list[Registration]:
        moment = now or utcnow()
        event = lock_event(event_id)
        confirmed = event.taken
        if capacity < confirmed:
            raise RegistrationRefused(
                str(
                    _l(
                        "The capacity cannot be below the %(count)d confirmed seats.",
                        count=confirmed,
                    )
                )
            )
        held = sum(hold.seats for hold in seats.active_holds(holds_of(event), moment))
        if capacity < held:
            raise RegistrationRefused(
                str(
                    _l(
                        "The capacity cannot be below the %(count)d seats held for "
                        "constituencies or country groups until their release dates; "
                        "remove or reduce those holds first.",
                        count=held,
                    )
                )
            )
        event.capacity = capacity
        db.session.flush()
        return fill_seats(event, moment)

    return in_seat_transaction(work, then)
