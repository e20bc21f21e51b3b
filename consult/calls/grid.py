"""The planner's day grid: for each member, where a call starting at each hour would fall.

A plain function on the planner's input, like the planner itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from consult.calls.planner import Period, PlanInput, PlanMember, classify, local_day_bounds


@dataclass(frozen=True)
class GridCell:
    """One member at one hour of the chosen day."""

    local_start: datetime
    period: Period
    away: bool


@dataclass(frozen=True)
class GridRow:
    """One member's line in the day grid."""

    member: PlanMember
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class DayGrid:
    """Members by hours of one organiser day; each hour is a possible call start."""

    day: date
    hours: tuple[datetime, ...]
    rows: tuple[GridRow, ...]


def day_grid(plan: PlanInput, day: date) -> DayGrid:
    """For each member, where a call starting at each hour of ``day`` falls in their day."""
    start, end = local_day_bounds(day, plan.organiser_timezone)
    count = int((end - start).total_seconds() // 3600)
    starts = tuple(start + timedelta(hours=i) for i in range(count))
    rows = []
    for member in sorted(plan.members, key=lambda m: (m.timezone, m.name, m.id)):
        cells = []
        for moment in starts:
            local = moment.astimezone(ZoneInfo(member.timezone))
            period = classify(local.hour * 60 + local.minute, plan.duration_minutes, plan.hours)
            cells.append(GridCell(local, period, member.is_away(local.date())))
        rows.append(GridRow(member, tuple(cells)))
    return DayGrid(day, starts, tuple(rows))
