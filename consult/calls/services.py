"""Rules on calls that touch the database: planning input, confirming, rescheduling, answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload, selectinload

from consult.accounts.models import User
from consult.calls.models import (
    AGENDA_REMINDER,
    ActionItem,
    AgendaItem,
    Attendance,
    AwayPeriod,
    Call,
    CallSeries,
    CallStatus,
    Holiday,
    Notice,
    Partstat,
    SeriesMember,
)
from consult.calls.planner import Hours, PlanInput, PlanMember
from consult.database import utcnow
from consult.extensions import db

#: Calls that took or will take place (they count for the cadence and for fairness).
LIVE = (CallStatus.CONFIRMED, CallStatus.HELD)


def last_call(series: CallSeries, before: datetime | None = None) -> Call | None:
    """The newest confirmed or held call of ``series`` (starting before ``before``, if given)."""
    query = select(Call).where(Call.series_id == series.id, Call.status.in_(LIVE))
    if before is not None:
        query = query.where(Call.starts_at < before)
    return db.session.scalar(query.order_by(Call.starts_at.desc()).limit(1))


def next_call(series: CallSeries, now: datetime | None = None) -> Call | None:
    """The next confirmed call of ``series``."""
    now = now or utcnow()
    return db.session.scalar(
        select(Call)
        .where(
            Call.series_id == series.id,
            Call.status == CallStatus.CONFIRMED,
            Call.starts_at >= now,
        )
        .order_by(Call.starts_at)
        .limit(1)
    )


def plan_input(series: CallSeries, now: datetime | None = None) -> PlanInput:
    """Everything the planner needs about ``series``, read from the database."""
    now = now or utcnow()
    members = [m for m in series.members if m.active]
    ids = [m.id for m in members]
    away: dict[int, list[tuple]] = {i: [] for i in ids}
    if ids:
        for period in db.session.scalars(select(AwayPeriod).where(AwayPeriod.user_id.in_(ids))):
            away[period.user_id].append((period.starts_on, period.ends_on))
    previous = last_call(series, before=now + timedelta(days=series.cadence_max_days))
    history = db.session.scalars(
        select(Call.starts_at)
        .where(Call.series_id == series.id, Call.status.in_(LIVE))
        .order_by(Call.starts_at.desc())
        .limit(6)
    ).all()
    # With no call yet, or when the whole window is already past, the window opens today.
    anchor = previous.starts_at if previous else now - timedelta(days=series.cadence_min_days)
    if anchor + timedelta(days=series.cadence_max_days) < now:
        anchor = now - timedelta(days=series.cadence_min_days)
    return PlanInput(
        organiser_timezone=series.organiser.timezone,
        members=[
            PlanMember(m.id, m.display_name, m.timezone, tuple(sorted(away[m.id]))) for m in members
        ],
        last_call=anchor,
        duration_minutes=series.duration_minutes,
        cadence_min_days=series.cadence_min_days,
        cadence_max_days=series.cadence_max_days,
        hours=Hours(series.acceptable_from, series.acceptable_to, series.good_from, series.good_to),
        holidays=frozenset(db.session.scalars(select(Holiday.day))),
        history=tuple(history),
        not_before=now,
    )


def set_members(series: CallSeries, users: list[User]) -> None:
    """Invite exactly ``users`` to the series' future calls."""
    wanted = {u.id for u in users}
    series.memberships[:] = [m for m in series.memberships if m.user_id in wanted]
    present = {m.user_id for m in series.memberships}
    for user in users:
        if user.id not in present:
            series.memberships.append(SeriesMember(user=user))


#: How far ahead a call may be set.
HORIZON = timedelta(days=2 * 366)


def start_in_range(start: datetime, now: datetime | None = None) -> bool:
    """Whether ``start`` lies between a day ago and two years ahead (far dates overflow)."""
    now = now or utcnow()
    try:
        return now - timedelta(days=1) <= start <= now + HORIZON
    except OverflowError:
        return False


def confirm_call(series: CallSeries, start: datetime) -> Call:
    """Create a confirmed call at ``start`` with every series member invited (not yet e-mailed)."""
    members = [user for user in series.members if user.active]
    call = Call(
        series=series,
        starts_at=start,
        duration_minutes=series.duration_minutes,
        status=CallStatus.CONFIRMED,
        attendances=[Attendance(user=user) for user in members],
    )
    db.session.add(call)
    db.session.flush()
    return call


def reschedule(call: Call, start: datetime) -> None:
    """Move a call; SEQUENCE rises, earlier answers are asked again, the reminder is sent anew."""
    call.starts_at = start
    call.sequence += 1
    db.session.execute(
        delete(Notice).where(Notice.call_id == call.id, Notice.kind == AGENDA_REMINDER)
    )
    for attendance in call.attendances:
        attendance.partstat = Partstat.NEEDS_ACTION
        attendance.responded_at = None


def cancel_call(call: Call) -> None:
    """Call it off; SEQUENCE rises (RFC 5546 asks for it on CANCEL too)."""
    call.status = CallStatus.CANCELLED
    call.sequence += 1


def answer(attendance: Attendance, partstat: Partstat) -> None:
    """Record a member's answer to an invitation."""
    attendance.partstat = partstat
    attendance.responded_at = utcnow()


def find_attendance(call_id: int, user_id: int) -> Attendance | None:
    """The invitation of one member to one call."""
    return db.session.scalar(
        select(Attendance).where(Attendance.call_id == call_id, Attendance.user_id == user_id)
    )


def counts(call: Call) -> dict[Partstat, int]:
    """How many invitees gave each answer."""
    result = dict.fromkeys(Partstat, 0)
    for attendance in call.attendances:
        result[attendance.partstat] += 1
    return result


def load_call(call_id: int) -> Call | None:
    """One call with everything its page shows, loaded in a fixed number of queries."""
    return db.session.scalar(
        select(Call)
        .options(
            joinedload(Call.series).joinedload(CallSeries.organiser),
            selectinload(Call.attendances),
            selectinload(Call.agenda_items).joinedload(AgendaItem.proposed_by),
            selectinload(Call.action_items).joinedload(ActionItem.owner),
        )
        .where(Call.id == call_id)
    )


def calls_for(user: User, statuses: tuple[CallStatus, ...] = LIVE) -> list[Call]:
    """The calls ``user`` is invited to, oldest first."""
    return list(
        db.session.scalars(
            select(Call)
            .join(Attendance)
            .options(
                joinedload(Call.series).joinedload(CallSeries.organiser),
                selectinload(Call.attendances),
            )
            .where(Attendance.user_id == user.id, Call.status.in_(statuses))
            .order_by(Call.starts_at)
        )
    )
