"""iTIP REPLY by e-mail: ``flask --app consult mail-in < reply.eml`` records a member's answer.

A member's calendar program sends its REPLY to the invitation's ORGANIZER, which is the
member's own reply address (``calls+<id>-<signature>@domain``,
:func:`consult.calls.notifications.reply_address`). An answer is recorded only when that
address's signature is good, names an active member invited to the call, and the message
comes From that member's address: a forged From alone changes nothing, and neither does a
token without the member's From.

The reader is lenient in form (``Mailto:`` in any case, ``urn:uuid`` attendees with an
EMAIL parameter, the ``.ics`` under any content type, several ATTENDEE lines) and exact in
substance: one answer per message (the inline calendar before an attached copy), the
member's own line, SEQUENCE 0 when absent (RFC 5546), the COMMENT and DELEGATED-TO kept.
Whatever is refused is logged with the reason.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import select

from consult.accounts.models import User
from consult.calls import notifications, services
from consult.calls.models import Call, CallStatus, Partstat
from consult.database import utcnow
from consult.extensions import db
from consult.ical import first_answer
from consult.mailin import Outcome, calendar_parts
from consult.tokens import address_ids, address_token_valid, find_tagged_token

#: The PARTSTAT values a REPLY may give, as recorded.
ANSWERS = {
    "ACCEPTED": Partstat.ACCEPTED,
    "TENTATIVE": Partstat.TENTATIVE,
    "DECLINED": Partstat.DECLINED,
    "DELEGATED": Partstat.DELEGATED,
}


def _member_for(token: str) -> User | None:
    """The member a reply address's token names, when its signature is good."""
    ids = address_ids(token, 1)
    if ids is None or not address_token_valid(notifications.REPLY_PURPOSE, token, ids):
        return None
    return db.session.get(User, ids[0])


def _someone_else(address: str) -> bool:
    """Whether ``address`` is a member's (then a line naming it is that member's answer)."""
    return db.session.scalar(select(User.id).where(User.email == address)) is not None


def handle_reply(message: EmailMessage) -> Outcome:
    """Take a REPLY to a call (by its address or its UID); leave anything else to others."""
    token = find_tagged_token(message, notifications.reply_base())
    parts = calendar_parts(message)
    if token is None and not parts:
        return Outcome.NOT_MINE
    log = current_app.logger
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    reply, problem = first_answer(parts)
    call = db.session.scalar(select(Call).where(Call.uid == reply.uid)) if reply else None
    if token is None and call is None:
        return Outcome.NOT_MINE  # a calendar, but not about a call: another handler's, maybe

    def refuse(reason: str, *args: object) -> Outcome:
        log.warning("Calendar reply from %s refused: " + reason, sender, *args)
        return Outcome.REJECTED

    if reply is None:
        if not parts:
            return refuse("it carries no calendar (a letter to the reply address?)")
        return refuse("its calendar cannot be read as one answer (%s)", problem)
    if call is None:
        return refuse("unknown UID %s", reply.uid)
    if token is None:
        return refuse("it was not sent to the member's reply address (call %s)", call.id)
    member = _member_for(token)
    if member is None:
        return refuse("the reply address's token is not valid")
    if not member.active:
        return refuse("member %s is deactivated", member.id)
    if sender != member.email.lower():
        return refuse("the reply address belongs to %s", member.email)
    attendance = services.find_attendance(call.id, member.id)
    if attendance is None:
        return refuse("%s is not invited to call %s", member.email, call.id)
    line = reply.line_of(member.email)
    if line is None and len(reply.lines) == 1 and not _someone_else(reply.lines[0].email):
        line = reply.lines[0]  # the member's calendar knows them by another address
        log.info("Calendar reply of %s names %s", member.email, line.email)
    if line is None:
        return refuse("none of its ATTENDEE lines is %s's", member.email)
    if call.status is not CallStatus.CONFIRMED:
        return refuse("call %s is %s", call.id, call.status.value)
    if call.ends_at <= utcnow():
        return refuse("call %s is over", call.id)
    if reply.sequence > call.sequence:
        return refuse("SEQUENCE %s of call %s was never sent", reply.sequence, call.id)
    if reply.sequence < call.sequence:
        return refuse(
            "it answers version %s of call %s, which has changed since (now %s)",
            reply.sequence,
            call.id,
            call.sequence,
        )
    partstat = ANSWERS.get(line.partstat)
    if partstat is None:
        return refuse("PARTSTAT %s is not an answer", line.partstat)
    services.answer(attendance, partstat, comment=reply.comment, delegated_to=line.delegated_to)
    db.session.commit()
    log.info("Calendar reply of %s to call %s: %s", member.email, call.id, partstat.value)
    return Outcome.ACCEPTED
