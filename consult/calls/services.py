"""Rules on calls that touch the database: planning input, confirming, rescheduling, answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from consult.accounts.models import User
from consult.calls.checks import SHORT_NOTICE as NOTICE
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
from consult.calls.planner import Hours, PlanInput, PlanMember, organiser_date, too_close
from consult.calls.public_holidays import UN_HEADQUARTERS, holidays_in
from consult.database import utcnow
from consult.extensions import db
from consult.transactions import Then, in_write_transaction

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


def booked_starts(series: CallSeries, *, besides: Call | None = None) -> list[datetime]:
    """Starts of the series' confirmed and held calls (leaving out ``besides``)."""
    query = select(Call.starts_at).where(Call.series_id == series.id, Call.status.in_(LIVE))
    if besides is not None and besides.id is not None:
        query = query.where(Call.id != besides.id)
    return list(db.session.scalars(query.order_by(Call.starts_at)))


def holiday_country(user: User) -> str | None:
    """Whose public holidays keep ``user`` away: the UN's for the Secretariat, else their country's."""
    return UN_HEADQUARTERS if user.is_secretariat else user.country


def plan_input(
    series: CallSeries, now: datetime | None = None, *, besides: Call | None = None
) -> PlanInput:
    """Everything the planner needs about ``series``, read from the database.

    The window counts from the series' latest confirmed or held call, wherever it
    falls, so a call already confirmed further out is never planned over. When a
    call is being moved (``besides``), it is left out of the calls it must keep
    its distance from.
    """
    now = now or utcnow()
    members = [m for m in series.members if m.active]
    ids = [m.id for m in members]
    away: dict[int, list[tuple]] = {i: [] for i in ids}
    if ids:
        for period in db.session.scalars(select(AwayPeriod).where(AwayPeriod.user_id.in_(ids))):
            away[period.user_id].append((period.starts_on, period.ends_on))
    booked = booked_starts(series, besides=besides)
    history = [start for start in booked if start < now][-6:]
    # With no call yet, or when the whole window is already past, the window opens a week
    # ahead, so that the first call still gives members notice.
    opening = now + NOTICE - timedelta(days=series.cadence_min_days)
    anchor = booked[-1] if booked else opening
    if anchor + timedelta(days=series.cadence_max_days) < now:
        anchor = opening
    # Holidays are looked up over the window, a day wider on each side for zones ahead or behind.
    first = (anchor + timedelta(days=series.cadence_min_days - 1)).date()
    last = (anchor + timedelta(days=series.cadence_max_days + 1)).date()
    closed = set(db.session.scalars(select(Holiday.day)))
    closed.update(day for day, _ in holidays_in(holiday_country(series.organiser), first, last))
    return PlanInput(
        organiser_timezone=series.organiser.timezone,
        members=[
            PlanMember(
                m.id,
                m.display_name,
                m.timezone,
                tuple(sorted(away[m.id])),
                holidays_in(holiday_country(m), first, last),
            )
            for m in members
        ],
        last_call=anchor,
        duration_minutes=series.duration_minutes,
        cadence_min_days=series.cadence_min_days,
        cadence_max_days=series.cadence_max_days,
        hours=Hours(series.acceptable_from, series.acceptable_to, series.good_from, series.good_to),
        holidays=frozenset(closed),
        history=tuple(history),
        not_before=now,
        booked=tuple(booked),
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


def confirm_call(series_id: int, start: datetime, then: Then = None) -> Call:
    """Create a confirmed call at ``start`` with every active member invited (``then`` queues
    the invitations in the same transaction).

    Runs in its own locked transaction: the gap to every other call is checked
    again under the series' lock, and the call takes the series' next number,
    which a unique index keeps for one live call only, so two confirms at the
    same moment give one call. Raises :class:`ScheduleConflict` otherwise.
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
        return call

    try:
        return in_write_transaction(work, then)
    except IntegrityError as error:
        db.session.rollback()
        raise ScheduleConflict from error


def reschedule(call_id: int, start: datetime, then: Then = None) -> Call:
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

    return in_write_transaction(work, then)


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
