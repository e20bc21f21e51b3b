"""The call planner: a plain function from the series and its members to ranked slots.

Nothing here touches the database or a request: dataclasses go in, dataclasses
come out, and the same input always gives the same output.

How a slot is scored: every member present that day earns points for the part
of their local day the whole call falls in (good hours, acceptable hours, or
the night). A member who is away that day (their own away dates or a public
holiday of their country) costs more than the worst hour a present member can
be given, so a day someone would miss always ranks below a day of the same hours
with everyone there. The fairness term charges each bad hour by how much that
member already suffered on recent calls, so the early or late hour moves around
the group.

Which days: those between the cadence's minimum and maximum after the series'
latest call, never a weekend or a holiday of the organiser, and never closer
than the minimum gap to any other call of the series, before or after.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from consult.enums import LabelledEnum

GRID_MINUTES = 15

#: Points a member present brings to a slot, by the part of their day it falls in.
POINTS = {"good": 3.0, "early": 1.0, "late": 1.0, "night": -10.0}
#: How bad a slot is for a member (used by the fairness term and its history).
DISCOMFORT = {"good": 0.0, "early": 1.0, "late": 1.0, "night": 3.0}
#: A member's burden counts up to this much: rotation, but never five nights to spare one.
BURDEN_CAP = 3.0
#: Weight of the most recent past calls in a member's burden, newest first.
HISTORY_WEIGHTS = (1.0, 0.6, 0.35, 0.2, 0.1, 0.05)


class Period(LabelledEnum):
    """Where a call falls in a member's local day."""

    GOOD = "good", _l("good")  # inside good (working) hours
    EARLY = "early", _l("early")  # acceptable, but before good hours
    LATE = "late", _l("late")  # acceptable, but after good hours
    NIGHT = "night", _l("night")  # outside acceptable hours


class Skip(LabelledEnum):
    """Why a day of the window offers no slot."""

    WEEKEND = "weekend", _l("weekend")
    HOLIDAY = "holiday", _l("holiday")
    CADENCE = "cadence", _l("too close to another call")


@dataclass(frozen=True)
class Hours:
    """The local hours of a series: acceptable and good, start inclusive, end exclusive."""

    acceptable_from: int = 7
    acceptable_to: int = 21
    good_from: int = 9
    good_to: int = 18


@dataclass(frozen=True)
class PlanMember:
    """A member as the planner sees them."""

    id: int
    name: str
    timezone: str
    #: Periods away, (first day, last day) inclusive, in the member's local dates.
    away: tuple[tuple[date, date], ...] = ()
    #: Public holidays of the member's country (or the UN's, for the Secretariat), by name.
    holidays: tuple[tuple[date, str], ...] = ()

    def absence(self, day: date) -> str | None:
        """Why the member cannot join on their local ``day``: ``"away"``, a holiday's name, or None."""
        if any(first <= day <= last for first, last in self.away):
            return "away"
        return next((name for holiday, name in self.holidays if holiday == day), None)

    def is_away(self, day: date) -> bool:
        """True when the member cannot join on their local ``day``."""
        return self.absence(day) is not None


@dataclass(frozen=True)
class PlanInput:
    """Everything the planner needs."""

    organiser_timezone: str
    members: Sequence[PlanMember]
    #: The previous call's start (UTC); the window counts from its date.
    last_call: datetime
    duration_minutes: int = 60
    cadence_min_days: int = 28
    cadence_max_days: int = 35
    hours: Hours = Hours()
    #: Days closed for everyone, in the organiser's dates.
    holidays: frozenset[date] = frozenset()
    #: Starts (UTC) of recent calls, in any order; the newest weigh most in fairness.
    history: Sequence[datetime] = ()
    #: No slot before this moment (usually now).
    not_before: datetime | None = None
    #: Strength of the fairness term; 0 turns it off.
    fairness: float = 1.5
    #: Starts (UTC) of the series' other confirmed or held calls: none closer than the minimum gap.
    booked: Sequence[datetime] = ()


@dataclass(frozen=True)
class MemberTime:
    """One member at one slot: their local start time and where it falls."""

    member_id: int
    name: str
    timezone: str
    local_start: datetime
    period: Period


@dataclass(frozen=True)
class Candidate:
    """A proposed slot and why it scored as it did."""

    start: datetime
    end: datetime
    score: float
    good: tuple[MemberTime, ...] = ()
    early: tuple[MemberTime, ...] = ()
    late: tuple[MemberTime, ...] = ()
    night: tuple[MemberTime, ...] = ()
    away: tuple[Absence, ...] = ()

    @property
    def day(self) -> date:
        """The UTC date of the start."""
        return self.start.date()

    @property
    def everyone_present(self) -> bool:
        """True when no member would miss the call."""
        return not self.away


@dataclass(frozen=True)
class Absence:
    """A member who would miss a slot, and why (``"away"`` or the holiday's name)."""

    name: str
    reason: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Plan:
    """The planner's answer: the window and the best candidates, best first."""

    first_day: date
    last_day: date
    candidates: tuple[Candidate, ...]
    skipped: tuple[tuple[date, Skip], ...] = field(default=())


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """Midnight to midnight of ``day`` in ``zone``, as UTC moments (23 or 25 hours on DST days)."""
    tz = _zone(zone)
    start = datetime.combine(day, time(0), tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(UTC)
    return start, end


def classify(local_minute: float, duration: int, hours: Hours) -> Period:
    """Where a call starting ``local_minute`` minutes after local midnight falls."""
    end = local_minute + duration
    if hours.good_from * 60 <= local_minute and end <= hours.good_to * 60:
        return Period.GOOD
    if hours.acceptable_from * 60 <= local_minute and end <= hours.acceptable_to * 60:
        return Period.EARLY if local_minute < hours.good_from * 60 else Period.LATE
    return Period.NIGHT


def _local_minute(moment: datetime, zone: str) -> float:
    local = moment.astimezone(_zone(zone))
    return local.hour * 60 + local.minute


def burdens(plan: PlanInput) -> dict[int, float]:
    """How much each member suffered on recent calls (newest weigh most)."""
    recent = sorted(plan.history, reverse=True)[: len(HISTORY_WEIGHTS)]
    result = {}
    for member in plan.members:
        total = 0.0
        for weight, start in zip(HISTORY_WEIGHTS, recent, strict=False):
            period = classify(
                _local_minute(start, member.timezone), plan.duration_minutes, plan.hours
            )
            total += weight * DISCOMFORT[period]
        result[member.id] = min(total, BURDEN_CAP)
    return result


def away_points(plan: PlanInput) -> float:
    """What an absent member costs a slot: less than the worst hour a present member can get."""
    worst = POINTS["night"] - DISCOMFORT["night"] * plan.fairness * BURDEN_CAP
    return worst - 1.0


def organiser_date(plan: PlanInput, moment: datetime) -> date:
    """The organiser's local date of ``moment``."""
    return moment.astimezone(_zone(plan.organiser_timezone)).date()


def too_close(plan: PlanInput, day: date) -> datetime | None:
    """The booked call less than the minimum gap from ``day`` (organiser's dates), if any."""
    for start in sorted(plan.booked):
        if abs((organiser_date(plan, start) - day).days) < plan.cadence_min_days:
            return start
    return None


def window(plan: PlanInput) -> tuple[date, date]:
    """First and last day (organiser's dates) the next call may fall on."""
    last = plan.last_call.astimezone(_zone(plan.organiser_timezone)).date()
    return last + timedelta(days=plan.cadence_min_days), last + timedelta(
        days=plan.cadence_max_days
    )


def _slots(day: date, zone: str) -> list[datetime]:
    start, end = local_day_bounds(day, zone)
    count = int((end - start).total_seconds() // (GRID_MINUTES * 60))
    return [start + timedelta(minutes=GRID_MINUTES * i) for i in range(count)]


def _offsets(zone: str, slots: list[datetime]) -> list[int]:
    """UTC offset in minutes of ``zone`` at each slot (computed per slot only on change days)."""
    tz = _zone(zone)
    first = slots[0].astimezone(tz).utcoffset()
    last = slots[-1].astimezone(tz).utcoffset()
    if first == last:
        return [int(first.total_seconds() // 60)] * len(slots)  # type: ignore[union-attr]
    return [int(s.astimezone(tz).utcoffset().total_seconds() // 60) for s in slots]  # type: ignore[union-attr]


@cache
def _quarter_weights(duration: int, hours: Hours) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Points and discomfort of a call starting at each quarter-hour of a local day."""
    periods = [classify(minute, duration, hours) for minute in range(0, 1440, GRID_MINUTES)]
    return tuple(POINTS[p] for p in periods), tuple(DISCOMFORT[p] for p in periods)


def _day_scores(plan: PlanInput, day: date, burden: dict[int, float]) -> list[tuple[float, int]]:
    """(score, slot index) for every slot of an organiser day, members grouped by zone.

    Within one zone and one local date every member present shares the slot's
    period, so each run of slots on the same local date adds one slice of the
    quarter-hour weights, scaled by how many are present and their burden.
    """
    slots = _slots(day, plan.organiser_timezone)
    midnight = datetime.combine(slots[0].date(), time(0), UTC)
    base = [int((s - midnight).total_seconds() // 60) for s in slots]
    scores = [0.0] * len(slots)
    zones: dict[str, list[PlanMember]] = {}
    for member in plan.members:
        zones.setdefault(member.timezone, []).append(member)
    points, discomfort = _quarter_weights(plan.duration_minutes, plan.hours)
    absent_points = away_points(plan)
    for zone, members in zones.items():
        offsets = _offsets(zone, slots)
        local = [minute + offset for minute, offset in zip(base, offsets, strict=True)]
        steady = offsets[0] == offsets[-1]  # no clock change today: local time only goes up
        start = 0
        while start < len(slots):
            # A member is away by their own date, which may change during the organiser's day.
            day_index = local[start] // 1440
            if steady:
                end = bisect_left(local, (day_index + 1) * 1440, start)
            else:
                end = start
                while end < len(slots) and local[end] // 1440 == day_index:
                    end += 1
            local_date = midnight.date() + timedelta(days=day_index)
            present = [m for m in members if not m.is_away(local_date)]
            count = len(present)
            absent = (len(members) - count) * absent_points
            load = plan.fairness * sum(burden[m.id] for m in present)
            first = local[start] % 1440
            if (
                first % GRID_MINUTES == 0
                and local[end - 1] - local[start] == (end - 1 - start) * GRID_MINUTES
            ):
                q = first // GRID_MINUTES
                scores[start:end] = [
                    score + p * count - d * load + absent
                    for score, p, d in zip(
                        scores[start:end],
                        points[q : q + end - start],
                        discomfort[q : q + end - start],
                        strict=True,
                    )
                ]
            else:  # a clock change inside the run, or an offset off the quarter-hour grid
                for index in range(start, end):
                    period = classify(local[index] % 1440, plan.duration_minutes, plan.hours)
                    scores[index] += POINTS[period] * count - DISCOMFORT[period] * load + absent
            start = end
    return [(round(score, 6), index) for index, score in enumerate(scores)]


def explain(plan: PlanInput, start: datetime, score: float = 0.0) -> Candidate:
    """The candidate at ``start``: who is in good hours, early, late, at night, or away."""
    groups: dict[Period, list[MemberTime]] = {period: [] for period in Period}
    away = []
    for member in sorted(plan.members, key=lambda m: (m.name, m.id)):
        local = start.astimezone(_zone(member.timezone))
        reason = member.absence(local.date())
        if reason is not None:
            away.append(Absence(member.name, reason))
            continue
        period = classify(local.hour * 60 + local.minute, plan.duration_minutes, plan.hours)
        groups[period].append(MemberTime(member.id, member.name, member.timezone, local, period))
    return Candidate(
        start=start,
        end=start + timedelta(minutes=plan.duration_minutes),
        score=score,
        good=tuple(groups[Period.GOOD]),
        early=tuple(groups[Period.EARLY]),
        late=tuple(groups[Period.LATE]),
        night=tuple(groups[Period.NIGHT]),
        away=tuple(away),
    )


def assess(plan: PlanInput, start: datetime, burden: dict[int, float] | None = None) -> Candidate:
    """Any start (a slot typed by hand too), scored by the same rule as the planner's slots."""
    burden = burdens(plan) if burden is None else burden
    score = 0.0
    for member in plan.members:
        local = start.astimezone(_zone(member.timezone))
        if member.is_away(local.date()):
            score += away_points(plan)
            continue
        period = classify(local.hour * 60 + local.minute, plan.duration_minutes, plan.hours)
        score += POINTS[period] - DISCOMFORT[period] * plan.fairness * burden[member.id]
    return explain(plan, start, round(score, 6))


def _open_days(plan: PlanInput) -> tuple[list[date], list[tuple[date, Skip]]]:
    first, last = window(plan)
    days, skipped = [], []
    day = first
    while day <= last:
        if day.weekday() >= 5:
            skipped.append((day, Skip.WEEKEND))
        elif day in plan.holidays:
            skipped.append((day, Skip.HOLIDAY))
        elif too_close(plan, day) is not None:
            skipped.append((day, Skip.CADENCE))
        else:
            days.append(day)
        day += timedelta(days=1)
    return days, skipped


def best_on_day(plan: PlanInput, day: date, burden: dict[int, float] | None = None) -> Candidate:
    """The best slot of one organiser day (weekend or holiday or not)."""
    burden = burdens(plan) if burden is None else burden
    slots = _slots(day, plan.organiser_timezone)
    ranked = _rank(plan, slots, _day_scores(plan, day, burden))
    if not ranked:
        raise ValueError("no slot left on that day")
    score, index = ranked[0]
    return explain(plan, slots[index], score)


def _rank(
    plan: PlanInput, slots: list[datetime], scores: list[tuple[float, int]]
) -> list[tuple[float, int]]:
    """Best first; ties go to whole hours in the organiser's zone, then the earlier slot."""
    allowed = [
        (score, index)
        for score, index in scores
        if plan.not_before is None or slots[index] >= plan.not_before
    ]
    # Slots start at the organiser's local midnight, so every fourth is a whole local hour.
    return sorted(allowed, key=lambda pair: (-pair[0], pair[1] % 4 != 0, pair[1]))


#: Candidates come from at least this many different start hours when the window allows.
DISTINCT_HOURS = 3


def _choose(
    plan: PlanInput, scored: list[tuple[float, datetime]], limit: int
) -> list[tuple[float, datetime]]:
    """Slots worth choosing between: the best of each of the best start hours, then other days.

    First the best slot of each of the ``DISTINCT_HOURS`` best organiser-local start
    hours, then the best remaining slots on days not chosen yet, so the list is
    never one hour on five weekdays.
    """
    zone = _zone(plan.organiser_timezone)
    best_of_hour: dict[int, tuple[float, datetime]] = {}
    for score, start in sorted(scored, key=lambda pair: (-pair[0], pair[1])):
        best_of_hour.setdefault(start.astimezone(zone).hour, (score, start))
    hours = sorted(best_of_hour.values(), key=lambda pair: (-pair[0], pair[1]))
    chosen = hours[: min(DISTINCT_HOURS, limit)]
    days = {start.astimezone(zone).date() for _, start in chosen}
    for score, start in heapq.nsmallest(limit * 8, scored, key=lambda pair: (-pair[0], pair[1])):
        if len(chosen) >= limit:
            break
        if start.astimezone(zone).date() not in days:
            chosen.append((score, start))
            days.add(start.astimezone(zone).date())
    return sorted(chosen, key=lambda pair: (-pair[0], pair[1]))


def plan_call(plan: PlanInput, limit: int = 5) -> Plan:
    """The ``limit`` best slots in the window, of several start hours, best first, explained."""
    days, skipped = _open_days(plan)
    burden = burdens(plan)
    scored = []
    for day in days:
        slots = _slots(day, plan.organiser_timezone)
        ranked = _rank(plan, slots, _day_scores(plan, day, burden))
        # The best slot of each hour of the day is enough to choose from.
        seen: set[int] = set()
        for score, index in ranked:
            if index // 4 not in seen:
                seen.add(index // 4)
                scored.append((score, slots[index]))
    top = _choose(plan, scored, limit)
    first, last = window(plan)
    return Plan(
        first_day=first,
        last_day=last,
        candidates=tuple(explain(plan, start, score) for score, start in top),
        skipped=tuple(skipped),
    )


def plan_ahead(plan: PlanInput, calls: int) -> list[Candidate]:
    """The planner's first choice, call after call, each confirmed before planning the next.

    Shows how the early, late and night hours would move around the group.
    """
    history = list(plan.history)
    booked = list(plan.booked)
    last = plan.last_call
    chosen = []
    for _ in range(calls):
        step = replace(plan, last_call=last, history=tuple(history), booked=tuple(booked))
        candidates = plan_call(step, limit=1).candidates
        if not candidates:
            break
        best = candidates[0]
        chosen.append(best)
        history.append(best.start)
        booked.append(best.start)
        last = best.start
    return chosen
