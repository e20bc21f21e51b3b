"""Reading Consult's .ics files as calendar programs do, for the time-zone tests.

Four readers: icalendar, recurring_ical_events, vobject and Outlook's one-rule
reduction (:mod:`tests.outlook`); ``zoneinfo`` gives the instants they must agree with.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import recurring_ical_events
import vobject
from icalendar import Calendar

from consult.demo import DEMO_MEMBERS
from consult.events.demo import NEW_YORK
from tests.outlook import read_zone

#: The demo members' zones, the events' zone, and the zones of the case-study countries.
ZONES = sorted(
    {member.timezone for member in DEMO_MEMBERS}
    | {
        NEW_YORK,
        "Europe/Budapest",
        "Asia/Kolkata",
        "Asia/Shanghai",
        "Africa/Johannesburg",
        "America/Sao_Paulo",
        "Asia/Jakarta",
        "America/Mexico_City",
    }
)


@cache
def clock_changes(tzid: str, year: int) -> tuple[datetime, ...]:
    """The UTC instants (to the minute) at which ``tzid``'s offset changes in ``year``."""
    zone = ZoneInfo(tzid)
    found = []
    hour = datetime(year, 1, 1, tzinfo=UTC)
    offset = hour.astimezone(zone).utcoffset()
    while hour.year == year:
        following = hour + timedelta(hours=1)
        if following.astimezone(zone).utcoffset() != offset:
            minute = hour
            while minute.astimezone(zone).utcoffset() == offset:
                minute += timedelta(minutes=1)
            found.append(minute)
            offset = following.astimezone(zone).utcoffset()
        hour = following
    return tuple(found)


def unambiguous(local: datetime) -> bool:
    """Whether a wall-clock time (with its zone) exists, and exists once."""
    first, second = local.replace(fold=0), local.replace(fold=1)
    there_and_back = first.astimezone(UTC).astimezone(local.tzinfo)
    return (
        there_and_back.replace(tzinfo=None) == local.replace(tzinfo=None)
        and first.utcoffset() == second.utcoffset()
    )


def call_times(tzid: str, years: tuple[int, ...]) -> list[datetime]:
    """Calls beside each clock change in ``years``: 90 minutes before and after it, and
    10:00 on the day before, the day itself and the day after.

    A zone without changes gets calls beside the dates Budapest changes on.
    """
    zone = ZoneInfo(tzid)
    changes = [c for year in years for c in clock_changes(tzid, year)]
    if not changes:
        changes = [c for year in years for c in clock_changes("Europe/Budapest", year)]
    times = []
    for change in changes:
        times += [change - timedelta(minutes=90), change + timedelta(minutes=90)]
        day = change.astimezone(zone).date()
        for days in (-1, 0, 1):
            times.append(datetime.combine(day + timedelta(days=days), datetime.min.time()))
            times[-1] = times[-1].replace(hour=10, tzinfo=zone)
    local = {t.astimezone(zone).replace(fold=0) for t in times}
    return sorted(t for t in local if unambiguous(t))


def disguised(data: bytes | str) -> str:
    """The .ics with every TZID renamed, so that readers must use its VTIMEZONEs.

    icalendar, recurring_ical_events and vobject look a known IANA name up in their
    own zone database and would never read the VTIMEZONE; the new names are unique
    because icalendar and vobject keep what they learnt of a TZID for the process.
    """
    text = data.decode() if isinstance(data, bytes) else data
    for tzid in set(re.findall(r"^TZID:(.+?)\r?$", text, flags=re.MULTILINE)):
        alias = f"Consult-{uuid.uuid4().hex[:8]}-{tzid.replace('/', '-')}"
        text = text.replace(f"TZID:{tzid}\r\n", f"TZID:{alias}\r\n")
        text = text.replace(f"TZID={tzid}:", f"TZID={alias}:")
    return text


def instant(value: date | datetime) -> date | datetime:
    """A start as readers must agree on it: a UTC instant, or a date for a whole-day entry."""
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def instants(data: bytes | str, *, outlook: bool = True) -> dict[str, dict[str, datetime]]:
    """Each reader's UTC start of every event of an .ics, by reader and then UID."""
    text = disguised(data)
    parsed = Calendar.from_ical(text)
    events = parsed.walk("VEVENT")
    span = (datetime(1990, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC))
    found = {
        "icalendar": {str(e["UID"]): instant(e["DTSTART"].dt) for e in events},
        "recurring_ical_events": {
            str(e["UID"]): instant(e["DTSTART"].dt)
            for e in recurring_ical_events.of(Calendar.from_ical(text)).between(*span)
        },
        "vobject": {
            e.uid.value: instant(e.dtstart.value) for e in vobject.readOne(text).vevent_list
        },
    }
    if outlook:
        zones = {
            str(tz["TZID"]): read_zone(parsed, str(tz["TZID"])) for tz in parsed.walk("VTIMEZONE")
        }
        found["outlook"] = {
            str(e["UID"]): zones[e["DTSTART"].params["TZID"]].to_utc(
                e["DTSTART"].dt.replace(tzinfo=None)
            )
            if "TZID" in e["DTSTART"].params
            else instant(e["DTSTART"].dt)
            for e in events
        }
    return found


def wrong_readings(
    data: bytes | str, expected: dict[str, datetime], *, outlook: bool = True
) -> list[str]:
    """Every start a reader gives that differs from ``expected`` (UID: UTC instant), in words."""
    return [
        f"{reader} reads {uid} as {found.get(uid)}, zoneinfo {instant}"
        for reader, found in instants(data, outlook=outlook).items()
        for uid, instant in expected.items()
        if found.get(uid) != instant
    ]
