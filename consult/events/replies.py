"""A participant's calendar answer to their event invitation, fed to ``flask mail-in``.

The invitation asks for an answer and its ORGANIZER is the registration's own reply
address (:func:`consult.events.calendar.reply_address`). A DECLINED REPLY sent to that
address From the registrant's address cancels the registration exactly as the private
link does: in the seat transaction, the freed seat going to the first person waiting who
may take it, each letter queued with it. ACCEPTED and TENTATIVE change nothing (the seat is
theirs already); DELEGATED is refused (a seat is personal: the delegate registers).
Whatever is refused is logged with the reason.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import select

from consult.database import utcnow
from consult.events import allocation, calendar, notifications
from consult.events.models import Registration, Status
from consult.extensions import db
from consult.ical import first_answer
from consult.mailin import Outcome, calendar_parts
from consult.tokens import address_ids, address_token_valid, find_tagged_token

_UID = re.compile(rf"^event-(\d+)-registration-(\d+)@{re.escape(calendar.UID_DOMAIN)}$")


def _registration_of_uid(uid: str) -> Registration | None:
    match = _UID.match(uid)
    if match is None:
        return None
    event_id, arrival = (int(group) for group in match.groups())
    return db.session.scalar(
        select(Registration).where(
            Registration.event_id == event_id, Registration.arrival == arrival
        )
    )


def _registration_of_token(token: str) -> Registration | None:
    ids = address_ids(token, 1)
    registration = db.session.get(Registration, ids[0]) if ids else None
    if registration is None or not address_token_valid(
        calendar.REPLY_PURPOSE, token, ids, registration.manage_key
    ):
        return None
    return registration


def _queue_cancellation(outcome: allocation.Outcome) -> None:
    """Inside the cancellation's transaction: its letter, and the invitations of those seated."""
    notifications.queue_registration(outcome.registration, "cancelled")
    notifications.queue_promotions(outcome.promoted)


def handle_reply(message: EmailMessage) -> Outcome:
    """Take a REPLY to an event invitation (by its address or its UID); leave the rest."""
    token = find_tagged_token(message, calendar.reply_base())
    parts = calendar_parts(message)
    if token is None and not parts:
        return Outcome.NOT_MINE
    reply, problem = first_answer(parts)
    named = _registration_of_uid(reply.uid) if reply else None
    if token is None and (reply is None or not reply.uid.endswith("@" + calendar.UID_DOMAIN)):
        return Outcome.NOT_MINE
    log = current_app.logger
    sender = parseaddr(str(message.get("From", "")))[1].lower()

    def refuse(reason: str, *args: object) -> Outcome:
        log.warning("Event calendar reply from %s refused: " + reason, sender, *args)
        return Outcome.REJECTED

    if reply is None:
        if not parts:
            return refuse("it carries no calendar (a letter to the reply address?)")
        return refuse("its calendar cannot be read as one answer (%s)", problem)
    if named is None:
        return refuse("unknown UID %s", reply.uid)
    if token is None:
        return refuse("it was not sent to the registration's reply address")
    registration = _registration_of_token(token)
    if registration is None or registration.id != named.id:
        return refuse("the reply address's token is not valid for %s", reply.uid)
    if sender != registration.email.lower():
        return refuse("the reply address belongs to %s", registration.email)
    line = reply.line_of(registration.email)
    if line is None and len(reply.lines) == 1:
        line = reply.lines[0]  # the participant's calendar knows them by another address
    if line is None:
        return refuse("none of its ATTENDEE lines is %s's", registration.email)
    event = registration.event
    if reply.sequence != event.sequence:
        return refuse(
            "it answers version %s of event %s, which is at %s",
            reply.sequence,
            event.id,
            event.sequence,
        )
    if event.ends_at <= utcnow():
        return refuse("event %s is over", event.id)
    if registration.status is not Status.CONFIRMED:
        return refuse("registration %s is %s", registration.id, registration.status.value)
    if line.partstat in ("ACCEPTED", "TENTATIVE"):
        log.info("Event calendar reply of %s: %s, nothing to change", sender, line.partstat)
        db.session.commit()
        return Outcome.ACCEPTED
    if line.partstat != "DECLINED":
        return refuse("PARTSTAT %s is not taken for an event seat", line.partstat)
    allocation.cancel(registration.id, then=_queue_cancellation)
    log.info("Event registration %s cancelled by its calendar's DECLINED reply", registration.id)
    return Outcome.ACCEPTED
