"""Meeting records: the published agenda, the attendance register, and the minutes' life.

Minutes are drafted by the Secretariat, approved (then frozen), and circulated: the
invitees get them by e-mail and members read them on the call page. Each step is a
conditional update (``WHERE minutes_status = ...``), so a second click, or two
officers at once, never circulates the same minutes twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from consult.calls import notifications
from consult.calls.models import Call, CallStatus, MinutesStatus, Presence
from consult.extensions import db


class NotYet(Exception):
    """The call has not started: there is no attendance to record yet."""


class WrongState(Exception):
    """The minutes are not in the state this step starts from (someone moved them meanwhile)."""


class NotConfirmed(Exception):
    """Only a confirmed call's agenda is published."""


def publish_agenda(call: Call, now: datetime) -> None:
    """Publish the agenda and queue it for every invitee (again when published again)."""
    if call.status is not CallStatus.CONFIRMED:
        raise NotConfirmed
    call.agenda_published_at = now
    notifications.queue_published_agenda(call)


def can_register(call: Call, now: datetime) -> bool:
    """Attendance is recorded once the call has started, for a confirmed or held call."""
    return call.status in (CallStatus.CONFIRMED, CallStatus.HELD) and call.starts_at <= now


def record_presence(call: Call, presence: dict[int, Presence], now: datetime) -> None:
    """Set the register for the invitees named in ``presence`` (by user id)."""
    if not can_register(call, now):
        raise NotYet
    for attendance in call.attendances:
        if attendance.user_id in presence:
            attendance.presence = presence[attendance.user_id]


def save_minutes(call: Call, text: str) -> None:
    """Change the draft; approved or circulated minutes must be reopened first."""
    if call.status is not CallStatus.HELD or call.minutes_status is not MinutesStatus.DRAFT:
        raise WrongState
    call.minutes = text


#: Each step: the state it starts from, and the state it leads to.
STEPS = {
    "approve": (MinutesStatus.DRAFT, MinutesStatus.APPROVED),
    "circulate": (MinutesStatus.APPROVED, MinutesStatus.CIRCULATED),
    "reopen-approved": (MinutesStatus.APPROVED, MinutesStatus.DRAFT),
    "reopen-circulated": (MinutesStatus.CIRCULATED, MinutesStatus.DRAFT),
}


def step_minutes(call: Call, step: str, now: datetime) -> None:
    """Move the minutes one step; circulating queues them for every invitee.

    Raises :class:`WrongState` when they are not where ``step`` starts (already
    moved by another click), and for approving empty minutes.
    """
    before, after = STEPS[step]
    if call.status is not CallStatus.HELD or (step == "approve" and not call.minutes.strip()):
        raise WrongState
    values: dict = {"minutes_status": after}
    if after is MinutesStatus.APPROVED:
        values["minutes_approved_at"] = now
    if after is MinutesStatus.CIRCULATED:
        values["minutes_circulated_at"] = now
    moved = db.session.execute(
        update(Call)
        .where(Call.id == call.id, Call.minutes_status == before)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise WrongState
    db.session.refresh(call)
    if after is MinutesStatus.CIRCULATED:
        notifications.queue_minutes(call)
