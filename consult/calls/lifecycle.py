"""A call's life: confirmed, moved, cancelled, held. The views call these; nothing else writes it.

Confirming and moving run in their own locked transaction (see :mod:`consult.transactions`):
the gap to every other call of the series is checked again under the series' lock, so two
Secretariat officers acting at the same moment can never leave two calls too close.
``then`` runs inside that transaction, before the commit: the invitations are queued in
the outbox with the change, or neither happens.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from consult.calls import notifications, polls
from consult.calls.models import (
    AGENDA_REMINDER,
    Attendance,
    Call,
    CallSeries,
    CallStatus,
    Notice,
    Partstat,
)
from consult.calls.planner import PlanInput, organiser_date, too_close
from consult.calls.services import LIVE, booked_starts
from consult.database import utcnow
from consult.extensions import db
from consult.transactions import in_write_transaction


class TooEarly(Exception):
    """The call has not started yet, so it cannot be marked held."""


class ScheduleConflict(Exception):
    """Another call of the series is, or has just been made, too close to this start."""


def lock_series(series_id: int) -> CallSeries:
    """The series, its row locked until the transaction ends (SQLite holds its write lock)."""
    return db.session.execute(
        select(CallSeries)
        .where(CallSeries.id == series_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def _check_gap(series: CallSeries, start: datetime, besides: Call | None = None) -> None:
    """Refuse ``start`` if another live call of the series is within the minimum gap."""
    booked = booked_starts(series, besides=besides)
    rule = PlanInput(
        organiser_timezone=series.organiser.timezone,
        members=(),
        last_call=start,
        cadence_min_days=series.cadence_min_days,
        booked=tuple(booked),
    )
    if too_close(rule, organiser_date(rule, start)) is not None:
        raise ScheduleConflict


def confirm_call(
    series_id: int, start: datetime, *, notify: bool = True, poll_id: int | None = None
) -> Call:
    """Create a confirmed call at ``start`` with every active member invited (``then`` queues
    the invitations in the same transaction).

    Runs in its own locked transaction: the gap to every other call is checked
    again under the series' lock, and the call takes the series' next number,
    which a unique index keeps for one live call only, so two confirms at the
    same moment give one call. Raises :class:`ScheduleConflict` otherwise. The
    series' open availability poll is closed in the same transaction; confirming
    from poll ``poll_id`` raises :class:`~consult.calls.polls.PollClosed` (and
    confirms nothing) when that poll was closed meanwhile.
    """

    def work() -> Call:
        series = lock_series(series_id)
        _check_gap(series, start)
        last = db.session.scalar(
            select(func.max(Call.number)).where(Call.series_id == series.id, Call.status.in_(LIVE))
        )
        members = [user for user in series.members if user.active]
        call = Call(
            series=series,
            number=(last or 0) + 1,
            starts_at=start,
            duration_minutes=series.duration_minutes,
            status=CallStatus.CONFIRMED,
            attendances=[Attendance(user=user) for user in members],
        )
        db.session.add(call)
        db.session.flush()
        polls.close_for_call(series.id, call, utcnow(), poll_id)
        return call

    try:
        return in_write_transaction(work, notifications.queue_invitations if notify else None)
    except IntegrityError as error:
        db.session.rollback()
        raise ScheduleConflict from error


def move_call(call_id: int, start: datetime, *, notify: bool = True) -> Call:
    """Move a call; SEQUENCE rises, earlier answers are asked again, the reminder is sent anew.

    The gap to the series' other calls is checked again under the series' lock
    (:class:`ScheduleConflict` when it fails).
    """

    def work() -> Call:
        call = db.session.get(Call, call_id)
        lock_series(call.series_id)
        _check_gap(call.series, start, besides=call)
        call.starts_at = start
        call.sequence += 1
        db.session.execute(
            delete(Notice).where(Notice.call_id == call.id, Notice.kind == AGENDA_REMINDER)
        )
        for attendance in call.attendances:
            attendance.partstat = Partstat.NEEDS_ACTION
            attendance.responded_at = None
        return call

    def tell(moved: Call) -> None:
        notifications.queue_invitations(moved, update=True)

    return in_write_transaction(work, tell if notify else None)


def upcoming_calls(series: CallSeries, now: datetime | None = None) -> list[Call]:
    """The series' confirmed calls that have not ended yet."""
    now = now or utcnow()
    calls = db.session.scalars(
        select(Call).where(Call.series_id == series.id, Call.status == CallStatus.CONFIRMED)
    )
    return [call for call in calls if call.ends_at > now]


def bridge_changed(series: CallSeries) -> list[Call]:
    """The series' dial-in details changed: each upcoming call's SEQUENCE rises and every
    invitee gets the update (METHOD:REQUEST), queued in the caller's transaction.

    Answers stay: the call keeps its time, so RFC 5546 lets the organiser keep them.
    """
    calls = upcoming_calls(series)
    for call in calls:
        call.sequence += 1
        notifications.queue_invitations(call, update=True, what="bridge")
    return calls


def cancel_call(call: Call) -> None:
    """Call it off: SEQUENCE rises (RFC 5546 asks for it on CANCEL too), every invitee is told."""
    call.status = CallStatus.CANCELLED
    call.sequence += 1
    notifications.queue_cancellations(call)


def hold_call(call: Call, now: datetime | None = None) -> None:
    """Record that the call took place, once it has started (then minutes can follow)."""
    if (now or utcnow()) < call.starts_at:
        raise TooEarly
    call.status = CallStatus.HELD
