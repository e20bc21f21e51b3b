"""VTIMEZONE components in the form every calendar program keeps, from the zone database.

Why not a library: icalendar's ``Timezone.from_tzinfo`` lists every onset as an RDATE
after a 1970 DTSTART, with a COMMENT directly under VTIMEZONE (RFC 5545 does not allow
one there); vobject's ``TimezoneComponent`` assumes whole-hour, one-hour, never-December
changes; the zone files shipped as iCalendar data (vzic) start today's rule in 1970, so
older dates come out wrong, and they lag the ``tzdata`` that ``zoneinfo`` reads. Here
the clock changes are found with ``zoneinfo`` itself and written as yearly rules.

What Outlook and Exchange keep decides the shape ([MS-OXCICAL] 2.1.3.1.1.19): TZID,
and of the STANDARD and the DAYLIGHT sub-component with the latest DTSTART only
DTSTART, RRULE (a single ``BYMONTH`` and ``BYDAY=nDD``), TZOFFSETFROM and TZOFFSETTO;
RDATE is dropped, and a zone without DAYLIGHT is one fixed offset. So, for events
from one year to another:

- each rule of yearly changes in force during the events is a sub-component with an
  RRULE; its DTSTART is the first change under that rule (back to 1970 at most), so
  the rule in force for the last events has the latest DTSTART;
- a rule that ended before the last event (a calendar that spans a change of rule)
  keeps its changes since the first event as RDATEs, which Outlook ignores and
  everyone else reads;
- a zone whose clocks have not changed for years gets one STANDARD and nothing else,
  as does a zone that gave up daylight-saving time before the first event;
- DTSTART is the wall-clock time *before* the change, read with TZOFFSETFROM
  (RFC 5545 3.6.5), to the second.

Following a rule back to its start keeps the VTIMEZONE true for every date it covers,
and gives vobject clock changes to see: it takes a zone whose offset is 0 and which
does not change between 2000 and 2020 for UTC (London, Dublin, Lisbon).

A rule that ends after the last event says so with UNTIL, in UTC (RFC 5545 3.6.5).
One that ended before it is written as RDATEs instead: dateutil (under icalendar,
vobject and recurring_ical_events) compares UNTIL with local times and would drop the
last change of a rule east of Greenwich.

The changes are read once per zone and decade, and each VTIMEZONE built once per zone
and range of years (:func:`vtimezone`), because every invitation needs one.
"""

from __future__ import annotations

import calendar as gregorian
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

#: How far past the last event the rules are read, so that "last Sunday" and "fourth
#: Sunday" (which agree in some years) are told apart and an open rule is known to last.
LOOKAHEAD_YEARS = 8

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_LAST = 0  # "the last <weekday> of the month"; other day rules are the first day of a week
_SAMPLE = 3 * 86_400  # seconds between two looks at the offset
_EPOCH = datetime(1970, 1, 1)
#: Rules are not followed back past this year (the zone files of vzic start there too).
FLOOR_YEAR = 1970


@dataclass(frozen=True)
class Change:
    """One change of a zone's offset from UTC."""

    at: datetime  #: the instant, in UTC
    before: timedelta  #: offset from UTC until then
    after: timedelta  #: offset from UTC from then on
    daylight: bool  #: whether the new offset is daylight-saving time
    name: str  #: the new offset's abbreviation (TZNAME)

    @property
    def onset(self) -> datetime:
        """The wall-clock time just before the change: DTSTART, read with TZOFFSETFROM."""
        return (self.at + self.before).replace(tzinfo=None)


def changes(zone: ZoneInfo, start: datetime, end: datetime) -> list[Change]:
    """Every change of ``zone``'s UTC offset between two instants, to the second.

    The offset is sampled every three days and each difference narrowed down by
    bisection to the second. Two changes less than three days apart would be missed:
    the closest in the zone database from 1970 to 2040 are 6.96 days apart (Recife,
    October 2000).
    """

    def local(timestamp: int) -> datetime:
        return datetime.fromtimestamp(timestamp, zone)

    def offset(timestamp: int) -> timedelta:
        # The wall clock minus UTC, rather than utcoffset(): that one depends on ``fold``
        # in the hour repeated after a change, which a datetime stand-in may drop
        # (freezegun's does), and a wrong change would stay cached for the process.
        wall = local(timestamp).replace(tzinfo=None)
        return wall - (_EPOCH + timedelta(seconds=timestamp))

    moments = []  # (first second of the new offset, offset before, offset after)
    low, high = int(start.timestamp()), int(end.timestamp())
    current = offset(low)
    while low < high:
        step = min(low + _SAMPLE, high)
        following = offset(step)
        if following != current:
            before, after = low, step  # offset(before) == current != offset(after)
            while after - before > 1:
                middle = (before + after) // 2
                if offset(middle) == current:
                    before = middle
                else:
                    after = middle
            moments.append((after, current, following))
            current = following
        low = step
    ends = [moment[0] - 1 for moment in moments[1:]] + [high - 1] if moments else []
    return [
        Change(
            at=datetime.fromtimestamp(at, UTC),
            before=before,
            after=after,
            daylight=_is_daylight(local(until), local(at - 1)),
            name=local(until).tzname() or "",
        )
        for (at, before, after), until in zip(moments, ends, strict=True)
    ]


def _is_daylight(lasting: datetime, previous: datetime) -> bool:
    """Daylight time as calendar programs understand it: the clock set forward for summer.

    ``lasting`` is the last moment of the new offset, ``previous`` the last of the old:
    the zone database sometimes relabels an offset without changing it (Paraguay made
    its summer time permanent in 2024), and the label that lasts counts. It counts Irish
    winter time (and Morocco's Ramadan time) as a *negative* saving; the summer offset
    beside it is then the daylight one.
    """
    saving, earlier = lasting.dst() or timedelta(), previous.dst() or timedelta()
    return saving > timedelta() or (not saving and earlier < timedelta())


def _day_rules(day: date) -> set[int]:
    """The monthly day rules that give ``day``: ``_LAST`` and/or first days of a week."""
    shortest = 28 if day.month == 2 else gregorian.monthrange(2001, day.month)[1]
    rules = {first for first in range(max(1, day.day - 6), day.day + 1) if first + 6 <= shortest}
    if day.day > gregorian.monthrange(day.year, day.month)[1] - 7:
        rules.add(_LAST)
    return rules


@dataclass
class _Run:
    """Changes of one kind in consecutive years that one yearly rule describes."""

    changes: list[Change]
    rules: set[int] = field(default_factory=set)

    @staticmethod
    def signature(change: Change) -> tuple:
        onset = change.onset
        return (
            change.daylight,
            change.before,
            change.after,
            change.name,
            onset.month,
            onset.weekday(),
            onset.time(),
        )

    def takes(self, change: Change) -> bool:
        """Add ``change`` when it is next year's instance of this run's rule."""
        last = self.changes[-1]
        rules = self.rules & _day_rules(change.onset.date())
        if (
            change.onset.year != last.onset.year + 1
            or self.signature(change) != self.signature(last)
            or not rules
        ):
            return False
        self.changes.append(change)
        self.rules = rules
        return True

    def rrule(self, until: datetime | None) -> vRecur:
        """The yearly rule: last or nth weekday of the month, else a weekday in a week."""
        onset = self.changes[0].onset
        weekday = _WEEKDAYS[onset.weekday()]
        parts: dict[str, object] = {"FREQ": "YEARLY", "BYMONTH": onset.month}
        if until is not None:
            parts["UNTIL"] = until
        nth = sorted(first for first in self.rules if first in (1, 8, 15, 22))
        if _LAST in self.rules:
            parts["BYDAY"] = f"-1{weekday}"
        elif nth:
            parts["BYDAY"] = f"{nth[0] // 7 + 1}{weekday}"
        else:  # e.g. "the Friday before the last Sunday": a weekday in a fixed week
            first = min(self.rules)
            parts["BYDAY"] = weekday
            parts["BYMONTHDAY"] = list(range(first, first + 7))
        return vRecur(parts)


def _runs(found: list[Change]) -> list[_Run]:
    runs: list[_Run] = []
    for change in found:
        open_runs = [run for run in runs if run.changes[-1].daylight == change.daylight]
        if not (open_runs and open_runs[-1].takes(change)):
            runs.append(_Run([change], _day_rules(change.onset.date())))
    return runs


def _observance(change: Change) -> TimezoneStandard | TimezoneDaylight:
    observance = TimezoneDaylight() if change.daylight else TimezoneStandard()
    observance.add("dtstart", change.onset)
    observance.add("tzoffsetfrom", change.before)
    observance.add("tzoffsetto", change.after)
    observance.add("tzname", change.name)
    return observance


def _fixed(zone: ZoneInfo, since: datetime, at: datetime) -> TimezoneStandard:
    """One STANDARD for a zone whose offset has not changed since ``since`` (UTC)."""
    local = at.astimezone(zone)
    offset = local.utcoffset() or timedelta()
    return _observance(Change(since, offset, offset, False, local.tzname() or ""))


@lru_cache(maxsize=4096)
def _decade(tzid: str, decade: int) -> tuple[Change, ...]:
    """A decade's changes; cached, so that each zone's history is read once per process."""
    start, end = datetime(decade, 1, 1, tzinfo=UTC), datetime(decade + 10, 1, 1, tzinfo=UTC)
    return tuple(changes(ZoneInfo(tzid), start, end))


def _valid_from(
    found: list[Change], runs: list[_Run], first: datetime, last: datetime
) -> int | None:
    """Index of the earliest change from which the rules in force when the events begin
    hold without a break, or None when nothing changed before ``first``.

    That is the last change before the events, and before it every change that belongs
    to a rule still followed after them (such rules are written as RRULEs).
    """
    before = [index for index, change in enumerate(found) if change.at <= first]
    if not before:
        return None
    run_of = {id(change): run for run in runs for change in run.changes}
    index = before[-1]
    while index > 0 and run_of[id(found[index - 1])].changes[-1].at >= last:
        index -= 1
    return index


@lru_cache(maxsize=512)
def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of ``tzid`` for events from ``first_year`` to ``last_year`` (local dates).

    Cached: the component is shared, and must not be changed by its users.
    """
    zone = ZoneInfo(tzid)
    first = datetime(first_year, 1, 1, tzinfo=zone).astimezone(UTC)
    last = datetime(last_year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
    final_year = last_year + LOOKAHEAD_YEARS
    decade = (first_year - 1) // 10 * 10
    found = [c for d in range(decade, final_year // 10 * 10 + 1, 10) for c in _decade(tzid, d)]
    runs = _runs(found)
    index = _valid_from(found, runs, first, last)
    while index == 0 and decade > FLOOR_YEAR:  # the rules in force may be older still
        decade -= 10
        found = list(_decade(tzid, decade)) + found
        runs = _runs(found)
        index = _valid_from(found, runs, first, last)

    component = Timezone()
    component.add("tzid", tzid)
    observances: list[TimezoneStandard | TimezoneDaylight] = []
    if index is None:  # no change for years: one offset, from the start of what was read
        since = datetime(decade, 1, 1, tzinfo=zone).astimezone(UTC)
        observances.append(_fixed(zone, since, first))
    else:
        since = found[index].at
    for run in runs:
        shown = [change for change in run.changes if since <= change.at < last]
        if not shown:
            continue
        observance = _observance(shown[0])
        end = run.changes[-1]
        if end.onset.year >= final_year:
            observance.add("rrule", run.rrule(None))  # in force as far as the rules are read
        elif end.at >= last:
            observance.add("rrule", run.rrule(end.at))
        elif len(shown) > 1:
            observance.add("rdate", [change.onset for change in shown[1:]])
        observances.append(observance)
    for observance in sorted(observances, key=lambda o: o.DTSTART):
        component.add_component(observance)
    return component
