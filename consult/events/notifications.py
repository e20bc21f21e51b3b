"""The events' e-mails: where a registrant stands, their invitation, and the Secretariat's messages."""

from __future__ import annotations

from flask_babel import gettext as _

from consult import mail
from consult.events import calendar
from consult.events.models import Event, Registration, Status
from consult.tokens import InvalidToken, make_token, read_token
from consult.urls import external_url

MANAGE = "events.manage"

#: Which letter each situation sends.
KINDS = ("confirmed", "waiting", "pending", "promoted", "declined", "cancelled", "updated")


def manage_token(registration: Registration) -> str:
    """The signed token of a registration's private manage link."""
    return make_token(MANAGE, {"r": registration.id, "k": registration.manage_key})


def manage_url(registration: Registration) -> str:
    """The absolute private link to view, correct or cancel a registration."""
    return external_url("events.manage", token=manage_token(registration))


def registration_for_token(token: str) -> Registration:
    """The registration a manage token names; :class:`InvalidToken` if tampered or revoked."""
    from consult.extensions import db

    payload = read_token(MANAGE, token)
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int):
        raise InvalidToken(_("This link is not valid."))
    registration = db.session.get(Registration, payload["r"])
    if registration is None or registration.manage_key != payload.get("k"):
        raise InvalidToken(_("This link is not valid."))
    return registration


def _subject(kind: str, event: Event) -> str:
    subjects = {
        "confirmed": _("Your seat is confirmed: %(title)s", title=event.title),
        "promoted": _("A seat is now yours: %(title)s", title=event.title),
        "waiting": _("You are on the waiting list: %(title)s", title=event.title),
        "pending": _("Your registration awaits approval: %(title)s", title=event.title),
        "declined": _("Your registration was declined: %(title)s", title=event.title),
        "cancelled": _("Your registration is cancelled: %(title)s", title=event.title),
        "updated": _("Your registration is updated: %(title)s", title=event.title),
    }
    return subjects[kind]


def registration_message(
    registration: Registration, kind: str, position: int | None = None
) -> mail.Message:
    """The letter telling a registrant where they stand; a seat comes with the invitation."""
    event = registration.event
    part = None
    if registration.status is Status.CONFIRMED and kind in ("confirmed", "promoted", "updated"):
        part = mail.CalendarPart(calendar.invitation(event, registration), "REQUEST")
    elif kind == "cancelled" and registration.confirmed_at is not None:
        part = mail.CalendarPart(calendar.withdrawal(event, registration), "CANCEL")
    return mail.compose(
        registration,
        "events/registration",
        _subject(kind, event),
        calendar=part,
        kind=kind,
        registration=registration,
        event=event,
        position=position,
        link=manage_url(registration),
        event_url=external_url("events.show", slug=event.slug),
    )


def send_registration(
    registration: Registration, kind: str, position: int | None = None
) -> mail.DeliveryReport:
    """Send one registrant their letter."""
    return mail.send(registration_message(registration, kind, position))


def send_promotions(promoted: list[Registration]) -> mail.DeliveryReport:
    """Tell everyone who just got a seat, with the invitation."""
    return mail.send_all(registration_message(r, "promoted") for r in promoted)


def send_to_participants(
    event: Event, registrations: list[Registration], subject: str, body: str, sender_name: str
) -> mail.DeliveryReport:
    """The Secretariat's message to every confirmed participant, one connection for all."""
    messages = [
        mail.compose(
            registration,
            "events/message",
            subject,
            event=event,
            registration=registration,
            body=body,
            sender_name=sender_name,
            link=manage_url(registration),
        )
        for registration in registrations
    ]
    return mail.send_all(messages)
