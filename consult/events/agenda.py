"""The agenda as a day-by-day timetable."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from consult.events.models import EventSession


@dataclass(frozen=True)
class Day:
    """The sessions of one local day."""

    day: date
    sessions: list[EventSession]


def timetable(sessions: Iterable[EventSession], zone: str) -> list[Day]:
    """Sessions grouped by their local date in ``zone``, each day in time order."""
    tz = ZoneInfo(zone)
    days: dict[date, list[EventSession]] = {}
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.position)):
        days.setdefault(session.starts_at.astimezone(tz).date(), []).append(session)
    return [Day(day, items) for day, items in sorted(days.items())]
