"""The events' e-mails: where a registrant stands, their invitation, and the Secretariat's messages.

Each step that changes a registration queues its letters inside its own seat
transaction (the ``then`` of :mod:`consult.events.allocation`); the worker writes
them with the letters below, as the registration is when they go out.
"""

from __future__ import annotations

from datetime import timedelta
from email.utils import parseaddr
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult import mail
from consult.database import utcnow
from consult.events import calendar
from consult.events.models import ACTIVE_STATUSES, Event, Registration, Status
from consult.extensions import db
from consult.outbox.letters import NothingToSend, enqueue, letter
from consult.outbox.models import Mailing, OutboxMessage
from consult.tokens import InvalidToken, make_token, read_token
from consult.urls import external_url

MANAGE = "events.manage"
REGISTRATION = "events.registration"
MESSAGE = "events.message"
LINK = "events.link"

#: Which letter each situation sends ("again": the private link, asked for by registering twice).
KINDS = (
    "confirmed",
    "waiting",
    "pending",
    "unconfirmed",
    "promoted",
    "declined",
    "cancelled",
    "updated",
    "again",
    "reminder",
    "reminder-pending",
)
#: The status a letter is about; a letter whose registration has moved on meanwhile is not sent.
EXPECTED = {
    "confirmed": {Status.CONFIRMED},
    "promoted": {Status.CONFIRMED},
    "updated": {Status.CONFIRMED},
    "waiting": {Status.WAITING},
    "pending": {Status.PENDING},
    "unconfirmed": {Status.UNCONFIRMED},
    "declined": {Status.DECLINED},
    "cancelled": {Status.CANCELLED},
    "again": {*ACTIVE_STATUSES, Status.DECLINED},
    "reminder": {Status.CONFIRMED},
    "reminder-pending": {Status.PENDING, Status.UNCONFIRMED},
}
#: A registrant who keeps registering again gets their link at most once in this time.
AGAIN_EVERY = timedelta(minutes=10)


def manage_token(registration: Registration) -> str:
    """The signed token of a registration's private manage link."""
    return make_token(MANAGE, {"r": registration.id, "k": registration.manage_key})


def manage_url(registration: Registration) -> str:
    """The absolute private link to view, correct or cancel a registration."""
    return external_url("events.manage", token=manage_token(registration))


def registration_for_token(token: str) -> Registration:
    """The registration a manage token names; :class:`InvalidToken` if tampered or revoked."""
    payload = read_token(MANAGE, token)
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int):
        raise InvalidToken(_("This link is not valid."))
    registration = db.session.get(Registration, payload["r"])
    if registration is None or registration.manage_key != payload.get("k"):
        raise InvalidToken(_("This link is not valid."))
    return registration


# --- queued by requests and jobs, inside their transactions ---------------------------------


def queue_registration(registration: Registration, kind: str) -> None:
    """Queue the letter telling a registrant where they stand."""
    if kind not in KINDS:
        raise ValueError(f"unknown registration letter {kind!r}")
    enqueue(registration.email, REGISTRATION, {"registration": registration.id, "letter": kind})


def queue_promotions(promoted: list[Registration]) -> None:
    """Queue the invitation of everyone who just got a seat."""
    for registration in promoted:
        queue_registration(registration, "promoted")


def queue_link_again(registration: Registration) -> bool:
    """Queue the private link again (someone registered twice), unless it went out just now."""
    recent = db.session.scalar(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.recipient == registration.email,
            OutboxMessage.kind == LINK,
            OutboxMessage.created_at > utcnow() - AGAIN_EVERY,
        )
        .limit(1)
    )
    if recent is not None:
        return False
    enqueue(registration.email, LINK, {"registration": registration.id, "letter": "again"})
    return True


def queue_updates(event: Event) -> int:
    """Queue the updated invitation to every confirmed participant; return how many."""
    confirmed = db.session.scalars(
        select(Registration).where(
            Registration.event_id == event.id, Registration.status == Status.CONFIRMED
        )
    ).all()
    for registration in confirmed:
        queue_registration(registration, "updated")
    return len(confirmed)


def queue_mailing(mailing: Mailing, registrations: list[Registration]) -> None:
    """Queue one copy of the Secretariat's message for each registrant."""
    db.session.add(mailing)
    db.session.flush()
    for registration in registrations:
        enqueue(
            registration.email,
            MESSAGE,
            {"registration": registration.id, "mailing": mailing.id},
            mailing=mailing,
        )


# --- written by the worker ------------------------------------------------------------------


def _subject(kind: str, event: Event) -> str:
    title = event.localized("title")
    subjects = {
        "confirmed": _("Your seat is confirmed: %(title)s", title=title),
        "promoted": _("A seat is now yours: %(title)s", title=title),
        "waiting": _("You are on the waiting list: %(title)s", title=title),
        "pending": _("Your registration awaits approval: %(title)s", title=title),
        "unconfirmed": _(
            "Confirm your address to complete your registration: %(title)s", title=title
        ),
        "declined": _("Your registration was declined: %(title)s", title=title),
        "cancelled": _("Your registration is cancelled: %(title)s", title=title),
        "updated": _("Changed: %(title)s", title=title),
        "again": _("Your registration: %(title)s", title=title),
        "reminder": _("Reminder: %(title)s", title=title),
        "reminder-pending": _("Your registration is not complete: %(title)s", title=title),
    }
    return subjects[kind]


def registration_message(registration: Registration, kind: str) -> mail.Message:
    """The letter telling a registrant where they stand; a seat comes with the invitation."""
    from consult.events.allocation import waiting_position
    from consult.events.places import held_for_others

    event = registration.event
    part = None
    with mail.in_language_of(registration):  # the calendar's text and the subject too
        if registration.status is Status.CONFIRMED and kind in ("confirmed", "promoted", "updated"):
            part = mail.CalendarPart(calendar.invitation(event, registration), "REQUEST")
        elif kind == "cancelled" and registration.confirmed_at is not None:
            part = mail.CalendarPart(calendar.withdrawal(event, registration), "CANCEL")
        subject = _subject(kind, event)
    message = mail.compose(
        registration,
        "events/registration",
        subject,
        calendar=part,
        kind=kind,
        registration=registration,
        event=event,
        position=waiting_position(registration),
        held=held_for_others(registration) if kind == "waiting" else [],
        link=manage_url(registration),
        event_url=external_url("events.show", slug=event.slug),
        agenda_url=external_url("events.registration_agenda", token=manage_token(registration)),
    )
    if part is not None:  # an invitation comes from its ORGANIZER; people's replies go on
        message.sender = calendar.sender(registration)
        config = current_app.config
        message.reply_to = (
            config.get("SECRETARIAT_EMAIL") or parseaddr(config["MAIL_DEFAULT_SENDER"])[1]
        )
    return message


@letter(LINK, label=_l("Event registration: the private link again"))
@letter(REGISTRATION, label=_l("Event registration"))
def registration_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """The registrant's letter, unless their registration has moved on since it was queued."""
    registration = db.session.get(Registration, params["registration"])
    kind = params["letter"]
    if registration is None:
        raise NothingToSend("the registration is gone")
    if registration.status not in EXPECTED[kind]:
        raise NothingToSend(
            f"the registration is {registration.status.value} now; a later letter says so"
        )
    return registration_message(registration, kind)


@letter(MESSAGE, label=_l("Message to participants"))
def message_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """One copy of the Secretariat's message: one greeting, the text, one signature."""
    registration = db.session.get(Registration, params["registration"])
    mailing = db.session.get(Mailing, params["mailing"])
    if registration is None or mailing is None:
        raise NothingToSend("the registration or the message is gone")
    return mail.compose(
        registration,
        "events/message",
        mailing.subject,
        reply_to=mailing.reply_to or None,
        event=registration.event,
        registration=registration,
        paragraphs=[p.strip() for p in mailing.body.split("\n\n") if p.strip()],
        body=mailing.body.strip(),
        sender_name=mailing.author_name,
        link=manage_url(registration),
    )
