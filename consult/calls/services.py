"""Reading calls from the database: the planner's input, members, answers and pages' data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from consult.accounts.models import User
from consult.calls.checks import SHORT_NOTICE as NOTICE
from consult.calls.models import (
    AgendaItem,
    Attendance,
    AwayPeriod,
    Call,
    CallSeries,
    CallStatus,
    Holiday,
    Partstat,
    SeriesMember,
)
from consult.calls.planner import Hours, PlanInput, PlanMember
from consult.calls.public_holidays import UN_HEADQUARTERS, holidays_in
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
    series: CallSeries,
    now: datetime | None = None,
    *,
    besides: Call | None = None,
    covering: Sequence[datetime] = (),
) -> PlanInput:
    """Everything the planner needs about ``series``, read from the database.

    The window counts from the series' latest confirmed or held call, wherever it
    falls, so a call already confirmed further out is never planned over. When a
    call is being moved (``besides``), it is left out of the calls it must keep
    its distance from. Public holidays are read for the window and for the starts
    in ``covering`` (a move, a slot typed by hand), so a start outside the window
    is checked against them too.
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
    for start in covering:
        first = min(first, (start - timedelta(days=1)).date())
        last = max(last, (start + timedelta(days=1)).date())
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


def active_users() -> list[User]:
    """Every active account, by name (the people a series or an action item can name)."""
    return list(db.session.scalars(select(User).where(User.active).order_by(User.display_name)))


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


def answer(
    attendance: Attendance, partstat: Partstat, *, comment: str = "", delegated_to: str = ""
) -> None:
    """Record a member's answer to an invitation (with what their calendar's answer said)."""
    attendance.partstat = partstat
    attendance.responded_at = utcnow()
    attendance.comment = comment[:1000]
    attendance.delegated_to = delegated_to[:320] if partstat is Partstat.DELEGATED else ""


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
