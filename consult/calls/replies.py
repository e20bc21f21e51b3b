"""iTIP REPLY by e-mail: ``flask --app consult mail-in < reply.eml`` records an attendee's answer."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import select

from consult.accounts.models import User
from consult.calls import services
from consult.calls.models import Call, CallStatus, Partstat
from consult.extensions import db
from consult.ical import NotACalendar, parse_replies
from consult.mailin import Outcome


def _calendar_parts(message: EmailMessage) -> list[bytes]:
    parts = []
    for part in message.walk():
        if part.get_content_type() in ("text/calendar", "application/ics"):
            payload = part.get_payload(decode=True)
            if payload:
                parts.append(payload)
    return parts


def handle_reply(message: EmailMessage) -> Outcome:
    """Take a message carrying METHOD:REPLY; leave anything else to other handlers."""
    replies = []
    for data in _calendar_parts(message):
        try:
            replies.extend(parse_replies(data))
        except NotACalendar:
            continue
    if not replies:
        return Outcome.NOT_MINE
    log = current_app.logger
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    accepted = False
    for reply in replies:
        call = db.session.scalar(select(Call).where(Call.uid == reply.uid))
        if call is None:
            log.warning("Calendar reply from %s for unknown UID %s", sender, reply.uid)
            return Outcome.REJECTED
        user = db.session.scalar(select(User).where(User.email == reply.attendee))
        attendance = services.find_attendance(call.id, user.id) if user else None
        if attendance is None:
            log.warning(
                "Calendar reply for call %s from %s, who is not invited", call.id, reply.attendee
            )
            return Outcome.REJECTED
        if sender != reply.attendee:
            log.warning("Calendar reply for %s sent by %s: refused", reply.attendee, sender)
            return Outcome.REJECTED
        if call.status is not CallStatus.CONFIRMED:
            log.warning(
                "Calendar reply from %s for call %s, which is %s: refused",
                sender,
                call.id,
                call.status.value,
            )
            return Outcome.REJECTED
        if reply.sequence < call.sequence:
            log.info("Calendar reply of %s to an older version of call %s", sender, call.id)
            continue
        try:
            partstat = Partstat(reply.partstat)
        except ValueError:
            log.warning("Calendar reply with unknown PARTSTAT %s", reply.partstat)
            return Outcome.REJECTED
        services.answer(attendance, partstat)
        accepted = True
    db.session.commit()
    return Outcome.ACCEPTED if accepted else Outcome.REJECTED
