"""Seats given inside database transactions, so that a seat is never given twice.

Every change that gives or frees a seat first locks the event: ``SELECT ...
FOR UPDATE`` on the event's row on PostgreSQL, ``BEGIN IMMEDIATE`` (the
database's write lock) on SQLite. Counting the seats, choosing the status and
writing the registration then happen inside that one transaction, so two
processes can never both see the last free seat. Nothing is locked in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consult.accounts.models import Constituency
from consult.database import utcnow
from consult.events import seats
from consult.events.countries import country_group
from consult.events.models import (
    ACTIVE_STATUSES,
    Event,
    Registration,
    Status,
    new_manage_key,
)
from consult.extensions import db
from consult.transactions import Then, in_write_transaction


class RegistrationRefused(Exception):
    """The registration cannot be taken; the message says why, for the registrant."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        #: The form field the refusal is about, if any.
        self.field = field


@dataclass
class RegistrationForm:
    """What a registrant fills in."""

    name: str
    email: str
    organisation: str
    constituency_id: int | None
    country: str
    position: str = ""
    accessibility_needs: str = ""
    consent_listed: bool = False


@dataclass
class Outcome:
    """What a seat-changing step did: the registration it was about, and who got a seat."""

    registration: Registration
    promoted: list[Registration] = field(default_factory=list)


#: Every seat-changing step runs in one locked write transaction (see :mod:`consult.transactions`).
in_seat_transaction = in_write_transaction


def lock_event(event_id: int) -> Event:
    """The event, its row locked until the transaction ends (PostgreSQL; SQLite holds its lock)."""
    event = db.session.execute(
        select(Event)
        .where(Event.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if event is None:
        raise RegistrationRefused(str(_l("There is no such event.")))
    return event


def holds_of(event: Event) -> list[seats.Hold]:
    """The event's seat rules as data."""
    holds = []
    for rule in event.seat_rules:
        if rule.constituency_id is not None:
            holds.append(
                seats.Hold("constituency", rule.constituency.slug, rule.seats, rule.release_at)
            )
        else:
            holds.append(seats.Hold("group", rule.country_group or "", rule.seats, rule.release_at))
    return holds


def applicant_of(registration: Registration) -> seats.Applicant:
    """The registrant as the rules see them."""
    slug = registration.constituency.slug if registration.constituency else None
    return seats.Applicant(slug, registration.country_group)


def tally_of(event_id: int) -> seats.Tally:
    """The confirmed seats of an event, counted by the database."""
    rows = db.session.execute(
        select(Constituency.slug, Registration.country_group, func.count())
        .select_from(Registration)
        .outerjoin(Constituency, Registration.constituency_id == Constituency.id)
        .where(Registration.event_id == event_id, Registration.status == Status.CONFIRMED)
        .group_by(Constituency.slug, Registration.country_group)
    ).all()
    tally = seats.Tally()
    for slug, group, count in rows:
        tally.confirmed += count
        tally.by_constituency[slug] += count
        tally.by_group[group] += count
    return tally


def registration_state(event: Event, now: datetime | None = None) -> str | None:
    """Why registration is closed (a message for the registrant), or None when it is open."""
    now = now or utcnow()
    if not event.published:
        return str(_l("This event is not published, so registration is not possible."))
    if event.registration_opens_at and now < event.registration_opens_at:
        return str(_l("Registration for this event has not opened yet."))
    closes = event.registration_closes_at or event.starts_at
    if now >= closes or now >= event.ends_at:
        return str(_l("Registration for this event is closed."))
    return None


def fill_seats(event: Event, now: datetime) -> list[Registration]:
    """Give free seats to those waiting, first eligible first (call it inside the lock).

    Once the event has started nobody is promoted: a seat given then could not be used.
    """
    if now >= event.starts_at:
        return []
    waiting = list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.status == Status.WAITING)
            .order_by(Registration.arrival)
        )
    )
    if not waiting:
        return []
    chosen = seats.promotions(
        [applicant_of(r) for r in waiting],
        event.capacity,
        tally_of(event.id),
        holds_of(event),
        now,
    )
    promoted = [waiting[index] for index in chosen]
    for registration in promoted:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
    db.session.flush()
    return promoted


def register(
    event_id: int, form: RegistrationForm, now: datetime | None = None, then: Then = None
) -> Outcome:
    """Take a registration under the event's lock, after seating those already waiting."""
    email = form.email.strip().lower()

    def work() -> Outcome:
        moment = now or utcnow()
        event = lock_event(event_id)
        refusal = registration_state(event, moment)
        if refusal:
            raise RegistrationRefused(refusal)
        existing = db.session.scalar(
            select(Registration).where(
                Registration.event_id == event.id, Registration.email == email
            )
        )
        if existing is not None and existing.status in ACTIVE_STATUSES:
            raise RegistrationRefused(
                str(
                    _l(
                        "This e-mail address is already registered for this event. "
                        "Use the link in your confirmation e-mail to see or change it."
                    )
                ),
                field="email",
            )
        if existing is not None and existing.status is Status.DECLINED:
            raise RegistrationRefused(
                str(_l("The Secretariat has declined a registration from this address.")),
                field="email",
            )
        # those already waiting come first: seats a release date opened go to them
        promoted = fill_seats(event, moment)
        registration = existing or Registration(event_id=event.id, email=email)
        registration.name = form.name.strip()
        registration.organisation = form.organisation.strip()
        registration.constituency_id = form.constituency_id
        registration.country = form.country.upper()
        registration.country_group = country_group(form.country)
        registration.position = form.position.strip()
        registration.accessibility_needs = form.accessibility_needs.strip()
        registration.consent_listed = form.consent_listed
        registration.cancelled_at = None
        registration.confirmed_at = None
        registration.manage_key = new_manage_key()
        registration.arrival = (
            db.session.scalar(
                select(func.coalesce(func.max(Registration.arrival), 0)).where(
                    Registration.event_id == event.id
                )
            )
            + 1
        )
        registration.constituency = (
            db.session.get(Constituency, form.constituency_id) if form.constituency_id else None
        )
        if event.confirm_address or existing is not None:
            # no place until the address is proved (see addresses.py); an address seen
            # before proves itself again, so nobody re-registers someone else's address
            registration.status = Status.UNCONFIRMED
        else:
            registration.status = seats.decide(
                applicant_of(registration),
                event.capacity,
                tally_of(event.id),
                holds_of(event),
                moment,
                approval_required=event.approval_required,
            )
        if registration.status is Status.CONFIRMED:
            registration.confirmed_at = moment
        db.session.add(registration)
        db.session.flush()
        return Outcome(registration, promoted)

    return in_seat_transaction(work, then)


def cancel(registration_id: int, now: datetime | None = None, then: Then = None) -> Outcome:
    """Cancel a registration; a freed seat goes to the first eligible person waiting."""

    def work() -> Outcome:
        moment = now or utcnow()
        registration = get_registration(registration_id)
        event = lock_event(registration.event_id)
        db.session.refresh(registration)
        if registration.status not in ACTIVE_STATUSES:
            return Outcome(registration)
        registration.status = Status.CANCELLED
        registration.cancelled_at = moment
        db.session.flush()
        return Outcome(registration, fill_seats(event, moment))

    return in_seat_transaction(work, then)


def fill(event_id: int, now: datetime | None = None, then: Then = None) -> list[Registration]:
    """Give every free seat someone may take to those waiting (after a release date, say)."""

    def work() -> list[Registration]:
        moment = now or utcnow()
        return fill_seats(lock_event(event_id), moment)

    return in_seat_transaction(work, then)


#: What a registrant may correct through their private link.
CORRECTABLE = (
    "name",
    "organisation",
    "constituency",
    "country",
    "position",
    "accessibility_needs",
    "consent_listed",
)


def correct(
    registration_id: int, changes: dict, now: datetime | None = None, then: Then = None
) -> Outcome:
    """Save a registrant's corrections; someone with a seat keeps the group it was given for."""

    def work() -> Outcome:
        moment = now or utcnow()
        registration = get_registration(registration_id)
        event = lock_event(registration.event_id)
        db.session.refresh(registration)
        constituency_id = changes.get("constituency", registration.constituency_id)
        country = (changes.get("country") or registration.country).upper()
        regrouped = (
            constituency_id != registration.constituency_id
            or country_group(country) != registration.country_group
        )
        if regrouped and registration.status is Status.CONFIRMED and event.seat_rules:
            raise RegistrationRefused(
                str(
                    _l(
                        "Your seat was given for your constituency and country group; "
                        "please write to the Secretariat to change them."
                    )
                ),
                field="country",
            )
        for name in ("name", "organisation", "position", "accessibility_needs"):
            if name in changes:
                setattr(registration, name, (changes[name] or "").strip())
        registration.consent_listed = bool(changes.get("consent_listed"))
        registration.constituency_id = constituency_id
        registration.constituency = (
            db.session.get(Constituency, constituency_id) if constituency_id else None
        )
        registration.country = country
        registration.country_group = country_group(country)
        db.session.flush()
        promoted = fill_seats(event, moment) if registration.status is Status.WAITING else []
        return Outcome(registration, promoted)

    return in_seat_transaction(work, then)


def waiting_position(registration: Registration) -> int | None:
    """1 for the first person waiting, and so on; None when not waiting."""
    if registration.status is not Status.WAITING:
        return None
    ahead = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.event_id == registration.event_id,
            Registration.status == Status.WAITING,
            Registration.arrival < registration.arrival,
        )
    )
    return (ahead or 0) + 1


def get_registration(registration_id: int) -> Registration:
    """The registration, or a refusal saying it does not exist."""
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise RegistrationRefused(str(_l("There is no such registration.")))
    return registration
