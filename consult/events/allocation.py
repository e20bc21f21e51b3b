"""Seats given inside database transactions, so that a seat is never given twice.

Every change that gives or frees a seat first locks the event's row: a
registration by taking the next arrival number (``UPDATE events SET arrivals =
arrivals + 1 ... RETURNING``), the other changes by ``SELECT ... FOR UPDATE``; on
SQLite ``BEGIN IMMEDIATE`` takes the database's write lock first. Choosing the
status and writing the registration then happen inside that one transaction.

The work under the lock does not grow with the number of people registered or
waiting: the event's row counts its confirmed seats (``taken``) and each held-seat
rule those of its group, so a full event is known from that row alone and the
waiting list is read only when a seat is free, and then only as far as the free
seats go. A seat is taken with a conditional update (``... SET taken = taken + 1
WHERE taken < capacity``), so even a change that forgot the lock could not give
more seats than the room has. Nothing is locked in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from consult.accounts.models import Constituency
from consult.database import utcnow
from consult.events import seats
from consult.events.countries import country_group
from consult.events.models import (
    ACTIVE_STATUSES,
    Event,
    Registration,
    SeatRule,
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
    #: The language of the page registered from: every letter to them is written in it.
    language: str | None = None


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


def next_arrival(event_id: int) -> tuple[Event, int]:
    """The event, its row locked by taking the next arrival number; and that number.

    One statement both locks the row (as :func:`lock_event` does) and numbers the
    registration, instead of reading the highest number given so far.
    """
    event = db.session.scalars(
        update(Event)
        .where(Event.id == event_id)
        .values(arrivals=Event.arrivals + 1)
        .returning(Event)
        .execution_options(populate_existing=True, synchronize_session=False)
    ).one_or_none()
    if event is None:
        raise RegistrationRefused(str(_l("There is no such event.")))
    return event, event.arrivals


def holds_of(event: Event) -> list[seats.Hold]:
    """The event's seat rules as data (constituencies by id)."""
    holds = []
    for rule in event.seat_rules:
        if rule.constituency_id is not None:
            holds.append(
                seats.Hold("constituency", str(rule.constituency_id), rule.seats, rule.release_at)
            )
        else:
            holds.append(seats.Hold("group", rule.country_group or "", rule.seats, rule.release_at))
    return holds


def applicant_of(registration: Registration) -> seats.Applicant:
    """The registrant as the rules see them."""
    constituency = registration.constituency_id
    return seats.Applicant(
        None if constituency is None else str(constituency), registration.country_group
    )


def tally_of(event: Event) -> seats.Tally:
    """The confirmed seats of an event, from its counters (the groups its rules hold seats for)."""
    tally = seats.Tally(confirmed=event.taken)
    for rule in event.seat_rules:
        if rule.constituency_id is not None:
            tally.by_constituency[str(rule.constituency_id)] = rule.taken
        else:
            tally.by_group[rule.country_group] = rule.taken
    return tally


def confirmed_of(rule: SeatRule) -> int:
    """Confirmed registrations of the rule's group, counted (to start a new rule's counter)."""
    group = (
        Registration.constituency_id == rule.constituency_id
        if rule.constituency_id is not None
        else Registration.country_group == rule.country_group
    )
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.event_id == rule.event_id,
            Registration.status == Status.CONFIRMED,
            group,
        )
    )


def _rule_matches(rule: SeatRule, registration: Registration) -> bool:
    if rule.constituency_id is not None:
        return rule.constituency_id == registration.constituency_id
    return rule.country_group == registration.country_group


def move_seats(event: Event, registrations: list[Registration], step: int) -> None:
    """Count seats given (``step`` 1) to or freed (-1) by ``registrations`` (inside the lock).

    The event's counter moves only if the room allows it: a conditional update, so that
    a seat the room does not have cannot be given, whatever called this.
    """
    if not registrations:
        return
    change = step * len(registrations)
    taken = db.session.scalar(
        update(Event)
        .where(Event.id == event.id, Event.taken + change <= Event.capacity)
        .where(Event.taken + change >= 0)
        .values(taken=Event.taken + change)
        .returning(Event.taken)
        .execution_options(synchronize_session=False)
    )
    if taken is None:
        raise RuntimeError(f"event {event.id}: the seat counter refused {change:+d} seats")
    set_committed_value(event, "taken", taken)
    for rule in event.seat_rules:
        matching = sum(1 for registration in registrations if _rule_matches(rule, registration))
        if matching:
            rule.taken += step * matching


def confirm(event: Event, registrations: list[Registration], now: datetime) -> None:
    """Give each of ``registrations`` a seat (the rules have said they may take one)."""
    move_seats(event, registrations, 1)
    for registration in registrations:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now


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


def _waiting_after(event: Event, arrival: int, holds: list[seats.Hold] | None, limit: int):
    """Those waiting after ``arrival``, first come first, at most ``limit``; with ``holds``,
    only those of the groups these holds are for."""
    statement = select(Registration).where(
        Registration.event_id == event.id,
        Registration.status == Status.WAITING,
        Registration.arrival > arrival,
    )
    if holds is not None:
        statement = statement.where(
            or_(
                *(
                    Registration.constituency_id == int(hold.value)
                    if hold.kind == "constituency"
                    else Registration.country_group == hold.value
                    for hold in holds
                )
            )
        )
    return list(db.session.scalars(statement.order_by(Registration.arrival).limit(limit)))


def fill_seats(event: Event, now: datetime) -> list[Registration]:
    """Give free seats to those waiting, first eligible first (call it inside the lock).

    With no seat free nothing is read. Otherwise the waiting list is read only as far
    as the free seats go: while a seat anyone may take is open, the next ones waiting
    (as many as seats are free); once only held seats are left, the next person waiting
    who belongs to a group they are held for. The outcome is that of
    :func:`seats.promotions` over the whole list.
    Once the event has started nobody is promoted: a seat given then could not be used.
    """
    if now >= event.starts_at or event.taken >= event.capacity:
        return []
    holds = holds_of(event)
    tally = tally_of(event)
    promoted: list[Registration] = []
    after = 0
    while (free := seats.free_seats(event.capacity, tally)) > 0:
        if seats.open_seats(event.capacity, tally, holds, now) > 0:
            batch = _waiting_after(event, after, None, free)
        else:
            unused = [hold for hold, left in seats.unused_held(holds, tally, now) if left > 0]
            if not unused:
                break
            batch = _waiting_after(event, after, unused, 1)
        if not batch:
            break
        chosen = seats.promotions(
            [applicant_of(r) for r in batch], event.capacity, tally, holds, now
        )
        promoted.extend(batch[index] for index in chosen)
        after = batch[-1].arrival
    confirm(event, promoted, now)
    db.session.flush()
    return promoted


def register(
    event_id: int, form: RegistrationForm, now: datetime | None = None, then: Then = None
) -> Outcome:
    """Take a registration under the event's lock, after seating those already waiting."""
    email = form.email.strip().lower()

    def work() -> Outcome:
        moment = now or utcnow()
        event, arrival = next_arrival(event_id)
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
        if form.language:
            registration.language = form.language
        registration.cancelled_at = None
        registration.confirmed_at = None
        registration.manage_key = new_manage_key()
        registration.arrival = arrival
        registration.constituency = (
            db.session.get(Constituency, form.constituency_id) if form.constituency_id else None
        )
        if event.confirm_address or existing is not None:
            # no place until the address is proved (see addresses.py); an address seen
            # before proves itself again, so nobody re-registers someone else's address
            registration.status = Status.UNCONFIRMED
        elif event.approval_required:
            registration.status = Status.PENDING
        elif event.taken >= event.capacity:
            registration.status = Status.WAITING  # full: decided from the event's row alone
        else:
            registration.status = seats.decide(
                applicant_of(registration),
                event.capacity,
                tally_of(event),
                holds_of(event),
                moment,
            )
        if registration.status is Status.CONFIRMED:
            registration.status = Status.WAITING
            confirm(event, [registration], moment)
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
        if registration.status is Status.CONFIRMED:
            move_seats(event, [registration], -1)
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
