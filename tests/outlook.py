"""What Outlook and Exchange make of a VTIMEZONE, for the tests.

[MS-OXCICAL] 2.1.3.1.1.19 reduces a VTIMEZONE to one PidLidTimeZoneStruct: a standard
offset and, when there is a DAYLIGHT sub-component, a daylight offset and two yearly
rules. Of several STANDARD (or DAYLIGHT) sub-components only the one with the latest
DTSTART is read (2.1.3.1.1.19.2, .3); of it only DTSTART, RRULE, TZOFFSETFROM and
TZOFFSETTO. RDATE is ignored. The RRULE must be YEARLY with one BYMONTH and a BYDAY
naming one weekday with its occurrence (``-1`` is stored as 5, "the last"); without an
RRULE the rule is taken from DTSTART's month, weekday and occurrence. The change
happens at DTSTART's hour and minute, read as the wall-clock time then in force.
"""

from __future__ import annotations

import calendar as gregorian
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from icalendar import Calendar

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class OutlookCannotRead(ValueError):
    """The VTIMEZONE has a rule Outlook's import does not accept."""


@dataclass(frozen=True)
class YearlyRule:
    """A SYSTEMTIME with wYear 0: the nth (5: last) weekday of a month at a wall-clock time."""

    month: int
    weekday: int
    occurrence: int
    at: time

    def onset(self, year: int) -> datetime:
        """The change's wall-clock time in ``year``."""
        days = gregorian.monthrange(year, self.month)[1]
        first = (self.weekday - gregorian.weekday(year, self.month, 1)) % 7 + 1
        day = first + 7 * (self.occurrence - 1)
        while day > days:
            day -= 7
        return datetime.combine(datetime(year, self.month, day).date(), self.at)


@dataclass(frozen=True)
class OutlookZone:
    """A time zone as Outlook stores it: a standard offset and maybe daylight rules."""

    standard: timedelta
    daylight: timedelta | None = None
    standard_rule: YearlyRule | None = None
    daylight_rule: YearlyRule | None = None

    def to_utc(self, local: datetime) -> datetime:
        """The UTC instant of a wall-clock time (not one inside a clock change)."""
        offset = self.standard
        if self.daylight is not None and self.standard_rule and self.daylight_rule:
            begins = self.daylight_rule.onset(local.year)
            ends = self.standard_rule.onset(local.year)
            # In the southern hemisphere daylight time spans the new year.
            within = begins <= local < ends if begins < ends else not ends <= local < begins
            if within:
                offset = self.daylight
        return (local - offset).replace(tzinfo=UTC)


def _rule(observance) -> YearlyRule:
    start: datetime = observance.DTSTART
    if "RRULE" not in observance:
        return YearlyRule(start.month, start.weekday(), (start.day - 1) // 7 + 1, start.time())
    rule = observance["RRULE"]
    if rule.get("FREQ") != ["YEARLY"] or "BYMONTHDAY" in rule or len(rule.get("BYDAY", [])) != 1:
        raise OutlookCannotRead(f"not a yearly nth-weekday rule: {rule.to_ical().decode()}")
    byday = str(rule["BYDAY"][0])
    occurrence, weekday = byday[:-2], byday[-2:]
    if occurrence not in ("1", "2", "3", "4", "-1"):
        raise OutlookCannotRead(f"BYDAY without a single occurrence: {byday}")
    month = rule.get("BYMONTH", [start.month])[0]
    number = 5 if occurrence == "-1" else int(occurrence)
    return YearlyRule(int(month), _WEEKDAYS.index(weekday), number, start.time())


def read_zone(data: Calendar | bytes | str, tzid: str) -> OutlookZone:
    """Reduce the VTIMEZONE named ``tzid`` in an .ics (or a parsed one) as Outlook does."""
    calendar = data if isinstance(data, Calendar) else Calendar.from_ical(data)
    zone = next(tz for tz in calendar.walk("VTIMEZONE") if str(tz["TZID"]) == tzid)
    standard = max(zone.walk("STANDARD"), key=lambda o: o.DTSTART, default=None)
    daylight = max(zone.walk("DAYLIGHT"), key=lambda o: o.DTSTART, default=None)
    if standard is None:
        raise OutlookCannotRead("no STANDARD sub-component")
    if daylight is None:
        return OutlookZone(standard.TZOFFSETTO)
    return OutlookZone(standard.TZOFFSETTO, daylight.TZOFFSETTO, _rule(standard), _rule(daylight))
