"""The work programme laid out in time, with the milestones toward CSD-10 (2002)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from consult.programme.models import WorkItem, WorkStatus


@dataclass(frozen=True)
class Milestone:
    """A fixed point of the process (FACTS.md), shown between the items."""

    when: date  # for ordering; ``label`` says how precise it is
    label: object
    title: object


#: Dates from the CSD-8 paper (FACTS.md ¶1, ¶5, ¶6, ¶8).
MILESTONES = (
    Milestone(
        date(1999, 3, 1), _l("March 1999"), _l("Toronto consultation identifies the key elements")
    ),
    Milestone(date(2000, 4, 24), _l("24 April to 5 May 2000"), _l("CSD-8, New York")),
    Milestone(date(2000, 4, 28), _l("28 April 2000"), _l("NGO workshop on three codes of conduct")),
    Milestone(date(2000, 5, 1), _l("1 to 5 May 2000"), _l("Consultative forum during CSD-8")),
    Milestone(
        date(2000, 5, 31), _l("May 2000"), _l("Country case studies expected to start, once funded")
    ),
    Milestone(
        date(2002, 12, 31),
        _l("2002"),
        _l("CSD-10 and the ten-year review: the toolkit is to be finished before"),
    ),
)


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: an item or a milestone."""

    when: date
    item: WorkItem | None = None
    milestone: Milestone | None = None


@dataclass
class Year:
    """The entries of one calendar year."""

    year: int
    entries: list[Entry]


def build_timeline(
    items: Iterable[WorkItem], milestones: Iterable[Milestone] = MILESTONES
) -> tuple[list[Year], list[WorkItem]]:
    """Group dated items and milestones by year in date order; return undated items apart.

    Dropped items stay out of the timeline (they remain in the list).
    """
    entries = [Entry(m.when, milestone=m) for m in milestones]
    undated = []
    for item in items:
        if item.status is WorkStatus.DROPPED:
            continue
        if item.due_date is None:
            undated.append(item)
        else:
            entries.append(Entry(item.due_date, item=item))
    entries.sort(key=lambda e: (e.when, e.milestone is None))
    years: list[Year] = []
    for entry in entries:
        if not years or years[-1].year != entry.when.year:
            years.append(Year(entry.when.year, []))
        years[-1].entries.append(entry)
    return years, undated
