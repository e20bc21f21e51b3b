"""The availability poll's e-mails: the slots in each member's zone, and the one reminder.

Split from :mod:`consult.calls.notifications` (the call's own letters), whose helpers
they share.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask_babel import lazy_gettext as _l

from consult import mail
from consult.calls.notifications import local_span
from consult.calls.poll_models import Poll
from consult.database import utcnow
from consult.extensions import db
from consult.outbox.letters import NothingToSend, enqueue, letter
from consult.tokens import make_token
from consult.urls import external_url

POLL = "calls.poll"
POLL_REMINDER = "calls.poll-reminder"
POLL_LINK = "call-poll"


def poll_token(poll_id: int, user_id: int) -> str:
    """A signed token naming one member and one poll."""
    return make_token(POLL_LINK, {"poll": poll_id, "user": user_id})


def poll_link(poll_id: int, user_id: int) -> str:
    """The member's own link to answer the poll without signing in."""
    token = poll_token(poll_id, user_id)
    return external_url("calls.poll_link", poll_id=poll_id, user_id=user_id, token=token)


def queue_poll(poll: Poll) -> None:
    """Queue the poll for every member asked."""
    for invitee in poll.invitees:
        enqueue(invitee.user.email, POLL, {"poll": poll.id, "user": invitee.user_id})


def queue_poll_reminder(poll_id: int, user_id: int, address: str) -> None:
    """Queue the one reminder of a member who has not answered."""
    enqueue(address, POLL_REMINDER, {"poll": poll_id, "user": user_id})


def _poll_letter(params: dict[str, Any], *, reminder: bool) -> mail.Message:
    """The poll's slots in the member's zone and language, with their own answer link."""
    poll = db.session.get(Poll, params["poll"])
    invitee = poll.invitee(params["user"]) if poll else None
    if poll is None or invitee is None:
        raise NothingToSend("the poll, or this member's place in it, is gone")
    if not poll.taking_answers(utcnow()):
        raise NothingToSend("the poll closed before this went out")
    user = invitee.user
    if not user.active:
        raise NothingToSend("the member's account is deactivated")
    if reminder and invitee.answered_at is not None:
        raise NothingToSend("the member answered meanwhile")
    length = timedelta(minutes=poll.series.duration_minutes)
    name = poll.series.name
    subject = (
        _l("Reminder: when can you meet? %(name)s", name=name)
        if reminder
        else _l("When can you meet? %(name)s", name=name)
    )
    zone = ZoneInfo(user.timezone or "UTC")
    return mail.compose(
        user,
        "calls/poll",
        subject,
        poll=poll,
        user=user,
        slots=[local_span(s.starts_at, s.starts_at + length, user) for s in poll.slots],
        closes="{}, {} ({})".format(
            format_date(poll.closes_at.astimezone(zone), "full", locale=user.language or "en"),
            format_time(poll.closes_at.astimezone(zone), "short", locale=user.language or "en"),
            user.timezone,
        ),
        link=poll_link(poll.id, user.id),
        reminder=reminder,
    )


@letter(POLL, label=_l("Availability poll"))
def poll_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """The Secretariat asks when the member can meet."""
    return _poll_letter(params, reminder=False)


@letter(POLL_REMINDER, label=_l("Availability poll reminder"))
def poll_reminder_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """The one reminder to a member who has not answered the poll."""
    return _poll_letter(params, reminder=True)
