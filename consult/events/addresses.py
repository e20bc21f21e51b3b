"""Proof of address: a registration waiting for its e-mailed link to be followed.

An event may ask that a registration counts only once its address is proved
(``Event.confirm_address``); an address registered before, then cancelled,
always proves itself again. Until then the registration is ``unconfirmed``:
it holds no place, neither seat nor rank on the waiting list. Confirming
joins the queue at that moment (a new arrival number), under the same lock as
every other seat change, and the seat rules decide as for a new registration.
"""

from __future__ import annotations

from datetime import datetime

from consult.database import utcnow
from consult.events.allocation import (
    Outcome,
    RegistrationRefused,
    Then,
    fill_seats,
    get_registration,
    in_seat_transaction,
    next_arrival,
    registration_state,
)
from consult.events.models import Status
from consult.extensions import db


def confirm(registration_id: int, now: datetime | None = None, then: Then = None) -> Outcome:
    """The registrant followed their link: the registration joins the queue now.

    With approval required it then awaits the Secretariat; otherwise it takes a
    seat if one it may take is free, after those already waiting, or waits.
    Confirming twice changes nothing.
    """

    def work() -> Outcome:
        moment = now or utcnow()
        registration = get_registration(registration_id)
        # taking the next arrival number locks the event's row
        event, arrival = next_arrival(registration.event_id)
        db.session.refresh(registration)
        if registration.status is not Status.UNCONFIRMED:
            return Outcome(registration)
        refusal = registration_state(event, moment)
        if refusal:
            raise RegistrationRefused(refusal)
        registration.address_confirmed_at = moment
        registration.arrival = arrival
        if event.approval_required:
            registration.status = Status.PENDING
            db.session.flush()
            return Outcome(registration)
        # waiting last in line: those ahead are seated first, then this registrant if a seat is left
        registration.status = Status.WAITING
        db.session.flush()
        promoted = fill_seats(event, moment)
        return Outcome(registration, [r for r in promoted if r.id != registration.id])

    return in_seat_transaction(work, then)
