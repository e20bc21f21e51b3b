"""Counts for the Secretariat: by status, constituency and country group."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from consult.events.countries import GROUP_LABELS
from consult.events.models import Registration, Status
from consult.extensions import db


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: a label, a count and its share of the largest (0 to 100)."""

    key: str
    label: str
    count: int
    percent: int


def bars(counts: Counter, labels: dict | None = None) -> list[Bar]:
    """Bars for ``counts``, largest first, each scaled to the largest count."""
    top = max(counts.values(), default=0) or 1
    return [
        Bar(key, str((labels or {}).get(key, key)), count, round(100 * count / top))
        for key, count in counts.most_common()
    ]


def by_status(registrations: Iterable[Registration]) -> Counter:
    """How many registrations have each status (every status present, even at zero)."""
    counts = Counter({status.value: 0 for status in Status})
    counts.update(r.status.value for r in registrations)
    return counts


def status_counts_by_event() -> dict[int, Counter]:
    """How many registrations of each status every event has, counted in one query."""
    rows = db.session.execute(
        select(Registration.event_id, Registration.status, func.count()).group_by(
            Registration.event_id, Registration.status
        )
    ).all()
    counts: dict[int, Counter] = {}
    for event_id, status, count in rows:
        counts.setdefault(event_id, by_status(()))[Status(status).value] += count
    return counts


def by_constituency(registrations: Iterable[Registration]) -> Counter:
    """Registrations still in play, by constituency name."""
    return Counter(
        r.constituency.name if r.constituency else "—"
        for r in registrations
        if r.status is not Status.CANCELLED and r.status is not Status.DECLINED
    )


def by_group(registrations: Iterable[Registration]) -> Counter:
    """Registrations still in play, by country group key."""
    return Counter(
        r.country_group
        for r in registrations
        if r.status is not Status.CANCELLED and r.status is not Status.DECLINED
    )


def group_labels() -> dict[str, str]:
    """Country group keys and their translated names."""
    return {key: str(label) for key, label in GROUP_LABELS.items()}


@dataclass(frozen=True)
class Day:
    """Registrations received on one day: that day's number, the running total, a bar's length."""

    day: date
    count: int
    total: int
    percent: int


def by_day(registrations: Iterable[Registration], zone: str) -> list[Day]:
    """Registrations received per day (in the event's zone), oldest first, with running totals.

    Every registration counts on the day it arrived, whatever became of it since.
    """
    counts = Counter(r.created_at.astimezone(ZoneInfo(zone)).date() for r in registrations)
    top = max(counts.values(), default=0) or 1
    days, total = [], 0
    for day in sorted(counts):
        total += counts[day]
        days.append(Day(day, counts[day], total, round(100 * counts[day] / top)))
    return days
