"""Time building .ics files: Consult's VTIMEZONEs beside icalendar's ``add_missing_timezones``.

Run by hand: ``.venv/bin/python bench/ical_build.py``. Each case builds the same calendar both
ways: "before" is what ``consult.ical`` did until VTIMEZONEs were its own (icalendar's
1970-2038 RDATE lists, built anew for every file); "after" is ``consult.ical`` now, whose
VTIMEZONE is built once per zone and range of years. The cold case clears that cache
before every run: the cost of the first invitation in a zone after a restart.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from consult import ical
from consult.vtimezone import _decade, vtimezone

RUNS = 200


def call(number: int, start: datetime, tzid: str) -> ical.Meeting:
    """A one-hour call with the demo's fifteen invitees."""
    return ical.Meeting(
        uid=f"call-{number}@consult.bench",
        summary="Steering Group teleconference",
        start=start,
        end=start + timedelta(hours=1),
        description="Dial-in numbers and the access code are sent by the Secretariat.",
        organizer=ical.Person("secretariat@example.org", "CSD Secretariat"),
        attendees=[ical.Attendee(f"member{i}@example.org", f"Member {i}") for i in range(15)],
        timezone=tzid,
    )


def before(meetings: list[ical.Meeting], method: str | None) -> bytes:
    """The .ics as it was built with icalendar's VTIMEZONE (1970-2038, RDATE lists)."""
    calendar = Calendar()
    calendar.add("prodid", ical.PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    stamp = datetime.now(UTC)
    for meeting in meetings:
        calendar.add_component(ical._event(meeting, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def after(meetings: list[ical.Meeting], method: str | None) -> bytes:
    """The .ics as Consult builds it now."""
    return ical.build_calendar(meetings, method)


def cold(meetings: list[ical.Meeting], method: str | None) -> bytes:
    """As :func:`after`, with every VTIMEZONE built anew and the zones' history read again."""
    vtimezone.cache_clear()
    _decade.cache_clear()
    return ical.build_calendar(meetings, method)


def timed(build: Callable, meetings: list[ical.Meeting], method: str | None) -> tuple:
    """Median and p95 in milliseconds, and the size in bytes."""
    size = len(build(meetings, method))  # warm up
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        build(meetings, method)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))], size


def main() -> None:
    """Print the figures for BENCHMARKS.md."""
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{platform.machine()}, {RUNS} runs each"
    )
    budapest = ZoneInfo("Europe/Budapest")
    invitation = [call(1, datetime(2027, 3, 29, 10, tzinfo=budapest), "Europe/Budapest")]
    new_york = ZoneInfo("America/New_York")
    feed = [call(n, datetime(2000, 2, 1, 9, tzinfo=new_york), "America/New_York") for n in (1, 2)]
    feed += [
        call(n, datetime(2026, 12, 1, 9, tzinfo=new_york) + timedelta(days=30 * n), tzid)
        for n in range(3, 33)
        for tzid in ("America/New_York" if n % 2 else "Europe/Budapest",)
    ]
    for label, meetings, method in (
        ("invitation, 1 call, Budapest", invitation, "REQUEST"),
        ("feed, 32 calls 2000-2029, 2 zones", feed, None),
    ):
        for name, build in (("before", before), ("after", after), ("after, cold", cold)):
            median, p95, size = timed(build, meetings, method)
            print(
                f"{label:34} {name:12} median {median:7.2f} ms   p95 {p95:7.2f} ms   "
                f"{size:7,} bytes"
            )


if __name__ == "__main__":
    main()
