"""Decisions' e-mail: the reminder to members who have not answered a proposal before it closes."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult import mail
from consult.accounts.models import User
from consult.database import utcnow
from consult.decisions.models import Proposal, Vote
from consult.extensions import db
from consult.i18n.formats import zone_label
from consult.outbox.letters import NothingToSend, enqueue, letter
from consult.urls import external_url

REMINDER = "decisions.proposal-reminder"
OPENED = "decisions.proposal-opened"


def queue_reminder(proposal_id: int, user: User) -> None:
    """Queue the reminder of one proposal to one member."""
    enqueue(user.email, REMINDER, {"proposal": proposal_id, "user": user.id})


def queue_opened(proposal: Proposal, members: list[User]) -> None:
    """Tell every active member but the opener that a proposal awaits their answer."""
    for member in members:
        if member.id != proposal.opened_by_id:
            enqueue(member.email, OPENED, {"proposal": proposal.id, "user": member.id})


def closing_text(proposal: Proposal, user: User) -> str:
    """The closing time in the member's own zone and language, the zone named by its city."""
    zone = ZoneInfo(user.timezone or "UTC")
    locale = user.language or "en"
    local = proposal.closes_at.astimezone(zone)
    return "{}, {} ({})".format(
        format_date(local, "full", locale=locale),
        format_time(local, "short", locale=locale),
        zone_label(zone, locale),
    )


@letter(REMINDER, label=_l("Proposal reminder"))
def reminder_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """Remind a member who has not answered a proposal that it closes soon, with a link."""
    return _letter(recipient, params, reminder=True)


@letter(OPENED, label=_l("New proposal"))
def opened_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """Ask a member to answer a proposal just opened, before its closing time."""
    return _letter(recipient, params, reminder=False)


def _letter(recipient: str, params: dict[str, Any], *, reminder: bool) -> mail.Message:
    proposal = db.session.get(Proposal, params["proposal"])
    user = db.session.get(User, params["user"])
    if proposal is None or user is None:
        raise NothingToSend("the proposal, or the member, is gone")
    if not proposal.is_open(utcnow()):
        raise NothingToSend("the proposal closed before this went out")
    if not user.active or user.email != recipient:
        raise NothingToSend("the member's account is deactivated or has another address")
    answered = db.session.scalar(
        select(Vote.id).where(Vote.proposal_id == proposal.id, Vote.user_id == user.id)
    )
    if answered:
        raise NothingToSend("the member answered meanwhile")
    subject = (
        _l("Reminder: your answer is awaited on %(section)s", section=proposal.section.title)
        if reminder
        else _l(
            "Proposal on %(section)s: %(question)s",
            section=proposal.section.title,
            question=proposal.question,
        )
    )
    return mail.compose(
        user,
        "decisions/reminder",
        subject,
        reminder=reminder,
        proposal=proposal,
        user=user,
        closes=closing_text(proposal, user),
        link=external_url("decisions.proposal", proposal_id=proposal.id, _anchor="answer"),
    )
