"""The availability poll, as Loomio's time poll and Indico's Newdle, fed by the planner.

The Secretariat picks three to six slots (the planner's or typed) and asks the
series' members; each answers yes, if need be or no for every slot, on the page
or through a signed link in the e-mail, until the poll closes. The planner page
shows the answers beside each slot's time-zone picture, and confirming one of the
slots (the same checks as any confirm) closes the poll in the same transaction.
Members who have not answered get one reminder, queued by an hourly job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from consult import jobs
from consult.accounts.models import User
from consult.calls import poll_notifications, services
from consult.calls.checks import StartReview, review_start
from consult.calls.models import Call, CallSeries
from consult.calls.planner import Candidate, PlanInput, assess, burdens
from consult.calls.poll_models import (
    Availability,
    Poll,
    PollAnswer,
    PollInvitee,
    PollSlot,
    PollStatus,
)
from consult.database import utcnow
from consult.extensions import db
from consult.jobs.claims import queue_each_once

#: A poll asks about this many slots.
MIN_SLOTS, MAX_SLOTS = 3, 6
#: How long members have to answer unless the Secretariat says otherwise.
ANSWER_TIME = timedelta(days=7)
#: The reminder goes out this long before the poll closes (half-way through a shorter poll).
REMINDER_LEAD = timedelta(days=2)


class PollAlreadyOpen(Exception):
    """The series already has an open poll: close it first."""


class PollClosed(Exception):
    """The poll takes no more answers, or was closed (a call was confirmed) meanwhile."""


def open_poll(series: CallSeries) -> Poll | None:
    """The series' open poll, if any."""
    return db.session.scalar(
        select(Poll).where(Poll.series_id == series.id, Poll.status == PollStatus.OPEN)
    )


def latest_poll(series: CallSeries) -> Poll | None:
    """The series' newest poll, open or closed."""
    return db.session.scalar(
        select(Poll).where(Poll.series_id == series.id).order_by(Poll.id.desc()).limit(1)
    )


def waiting_for(user: User, now: datetime) -> list[tuple[Poll, PollInvitee]]:
    """The polls ``user`` is asked to answer that still take answers, with their place in each."""
    rows = db.session.execute(
        select(Poll, PollInvitee)
        .join(PollInvitee, PollInvitee.poll_id == Poll.id)
        .where(
            PollInvitee.user_id == user.id,
            Poll.status == PollStatus.OPEN,
            Poll.closes_at > now,
        )
        .order_by(Poll.closes_at)
    ).all()
    return [(poll, invitee) for poll, invitee in rows]


def default_closing(now: datetime, starts: Sequence[datetime]) -> datetime:
    """When answers stop unless the Secretariat says otherwise: in a week, or at the first slot."""
    return min([(now + ANSWER_TIME).replace(second=0, microsecond=0), *starts])


def reminder_time(opened: datetime, closes: datetime) -> datetime:
    """When the one reminder is due: two days before the poll closes, or half-way through it."""
    return max(opened + (closes - opened) / 2, closes - REMINDER_LEAD)


def problems_with(
    series: CallSeries, starts: Sequence[datetime], closes_at: datetime, now: datetime
) -> tuple[list[str], list[StartReview]]:
    """Why these starts cannot make a poll: in words, and the starts the checks refuse."""
    if not MIN_SLOTS <= len(starts) <= MAX_SLOTS:
        message = _l(
            "Choose between %(low)d and %(high)d different slots (you chose %(count)d).",
            low=MIN_SLOTS,
            high=MAX_SLOTS,
            count=len(starts),
        )
        return [str(message)], []
    if not all(services.start_in_range(start, now) for start in starts):
        return [str(_l("Each slot must start between now and two years from now."))], []
    plan = services.plan_input(series, now, covering=starts)
    refused = [review for review in (review_start(plan, s, now) for s in starts) if review.refusals]
    if refused:
        return [], refused
    if closes_at <= now:
        return [str(_l("The closing date has passed: choose a later one."))], []
    return [], []


def create_poll(
    series: CallSeries, starts: Sequence[datetime], closes_at: datetime, by: User, now: datetime
) -> Poll:
    """Open a poll on ``starts`` for the series' active members and queue their e-mails.

    The poll and its e-mails commit together. Raises :class:`PollAlreadyOpen` when
    the series has an open poll (a partial unique index keeps one, even for two
    officers at the same moment).
    """
    poll = Poll(
        series=series,
        created_by=by,
        created_at=now,
        closes_at=closes_at,
        remind_at=reminder_time(now, closes_at),
        slots=[PollSlot(starts_at=start) for start in sorted(set(starts))],
        invitees=[PollInvitee(user=user) for user in series.members if user.active],
    )
    db.session.add(poll)
    try:
        db.session.flush()
        poll_notifications.queue_poll(poll)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise PollAlreadyOpen from error
    return poll


def answers_of(poll: Poll, user_id: int) -> dict[int, Availability]:
    """One member's answers, by slot id."""
    return {
        answer.slot_id: answer.choice
        for slot in poll.slots
        for answer in slot.answers
        if answer.user_id == user_id
    }


def record_answers(
    poll: Poll, invitee: PollInvitee, choices: dict[int, Availability], now: datetime
) -> None:
    """Record (or change) a member's answer for every slot; :class:`PollClosed` once it closed."""
    if not poll.taking_answers(now):
        raise PollClosed
    for slot in poll.slots:
        current = next((a for a in slot.answers if a.user_id == invitee.user_id), None)
        if current is None:
            slot.answers.append(
                PollAnswer(user_id=invitee.user_id, choice=choices[slot.id], answered_at=now)
            )
        elif current.choice is not choices[slot.id]:
            current.choice = choices[slot.id]
            current.answered_at = now
    invitee.answered_at = now


def close_poll(poll: Poll, now: datetime) -> None:
    """Close the poll by hand, without confirming a call: its links stop working."""
    poll.status = PollStatus.CLOSED
    poll.closed_at = now


def close_for_call(series_id: int, call: Call, now: datetime, poll_id: int | None = None) -> None:
    """Inside the confirm's transaction: close the series' open poll, naming the call.

    A poll answers "when is the next call?", so any confirm settles it. When the
    call was confirmed from poll ``poll_id`` and that poll is no longer the open
    one (a colleague confirmed or closed it meanwhile), :class:`PollClosed` undoes
    the confirm.
    """
    poll = db.session.scalar(
        select(Poll)
        .where(Poll.series_id == series_id, Poll.status == PollStatus.OPEN)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if poll_id is not None and (poll is None or poll.id != poll_id):
        raise PollClosed
    if poll is not None:
        close_poll(poll, now)
        poll.call_id = call.id


# --- what the planner page shows ---------------------------------------------------------


@dataclass(frozen=True)
class SlotSummary:
    """One slot of a poll: who answered what, the planner's view of it, and its checks."""

    slot: PollSlot
    answers: dict[Availability, list[User]]
    candidate: Candidate
    review: StartReview

    @property
    def available(self) -> int:
        """Members who answered yes or if need be."""
        return len(self.answers[Availability.YES]) + len(self.answers[Availability.IF_NEED_BE])


@dataclass(frozen=True)
class PollSummary:
    """A poll as the Secretariat reads it: every slot, and who has not answered yet."""

    poll: Poll
    slots: list[SlotSummary]
    waiting: list[User]


def summarise(poll: Poll, plan: PlanInput, now: datetime) -> PollSummary:
    """The answers of every slot beside the planner's score and the checks a confirm would run."""
    people = {invitee.user_id: invitee.user for invitee in poll.invitees}
    burden = burdens(plan)
    slots = []
    for slot in poll.slots:
        grouped: dict[Availability, list[User]] = {choice: [] for choice in Availability}
        for answer in slot.answers:
            if answer.user_id in people:
                grouped[answer.choice].append(people[answer.user_id])
        for users in grouped.values():
            users.sort(key=lambda u: u.display_name)
        slots.append(
            SlotSummary(
                slot,
                grouped,
                assess(plan, slot.starts_at, burden),
                review_start(plan, slot.starts_at, now),
            )
        )
    waiting = sorted(
        (i.user for i in poll.invitees if i.answered_at is None), key=lambda u: u.display_name
    )
    return PollSummary(poll, slots, waiting)


# --- the one reminder ----------------------------------------------------------------------


def send_poll_reminders(now: datetime | None = None) -> list[str]:
    """Queue one reminder for every member of an open poll who has not answered when it is due.

    Each reminder is claimed (``reminded_at`` set where it was empty) in the same
    transaction that queues it, so two runs, even at the same moment, never queue
    it twice. Returns the addresses queued.
    """
    now = now or utcnow()
    due = db.session.execute(
        select(PollInvitee.poll_id, PollInvitee.user_id, User.email)
        .join(Poll, Poll.id == PollInvitee.poll_id)
        .join(User, User.id == PollInvitee.user_id)
        .where(
            Poll.status == PollStatus.OPEN,
            Poll.remind_at <= now,
            Poll.closes_at > now,
            PollInvitee.answered_at.is_(None),
            PollInvitee.reminded_at.is_(None),
            User.active.is_(True),
        )
        .order_by(PollInvitee.poll_id, PollInvitee.user_id)
    ).all()
    db.session.commit()
    return queue_each_once(
        due,
        claim=lambda row: (
            update(PollInvitee)
            .where(
                PollInvitee.poll_id == row.poll_id,
                PollInvitee.user_id == row.user_id,
                PollInvitee.reminded_at.is_(None),
                PollInvitee.answered_at.is_(None),
            )
            .values(reminded_at=now)
        ),
        queue=lambda row: poll_notifications.queue_poll_reminder(*row),
    )


@jobs.periodic("calls.send-poll-reminders", jobs.crontab(minute="30"))
def send_poll_reminders_job() -> None:
    """Every hour, at half past: the poll reminders that have come due."""
    send_poll_reminders()


@click.command("send-poll-reminders")
def send_poll_reminders_command() -> None:
    """Remind members who have not answered an availability poll (the workers run it hourly)."""
    queued = send_poll_reminders()
    click.echo(f"Poll reminders queued: {len(queued)}.")
