"""VTIMEZONE: every calendar reader, and Outlook's reduction, lands on zoneinfo's instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from freezegun import freeze_time
from icalendar import Calendar

from consult import ical
from consult.events.demo import NEW_YORK
from consult.vtimezone import _decade, vtimezone
from tests.calendars import ZONES, call_times, clock_changes, instants, wrong_readings

YEARS = (2026, 2027, 2028)


def meeting(tzid: str, start: datetime, uid: str = "call@consult.test") -> ical.Meeting:
    """A one-hour call written in ``tzid``."""
    return ical.Meeting(
        uid=uid,
        summary="Steering Group teleconference",
        start=start,
        end=start + timedelta(hours=1),
        organizer=ical.Person("secretariat@example.org", "CSD Secretariat"),
        attendees=[ical.Attendee("member@example.org", "Member")],
        timezone=tzid,
    )


@pytest.mark.parametrize("tzid", ZONES)
def test_every_reader_gives_zoneinfo_instant_beside_each_clock_change(tzid):
    """Does each invitation beside a 2026-2028 clock change read as zoneinfo's instant in
    icalendar, vobject, recurring_ical_events and Outlook's one-rule reduction?"""
    wrong = []
    for start in call_times(tzid, YEARS):
        data = ical.request(meeting(tzid, start))
        wrong += wrong_readings(data, {"call@consult.test": start.astimezone(UTC)})
    assert not wrong, "\n".join(wrong)


def test_a_feed_of_three_years_in_every_zone_reads_right_everywhere():
    """Does one feed with calls beside every 2026-2028 clock change of every demo zone read
    right in every reader, each zone's VTIMEZONE covering the three years?"""
    meetings = [
        meeting(tzid, start, f"{tzid}-{number}@consult.test")
        for tzid in ZONES
        for number, start in enumerate(call_times(tzid, YEARS))
    ]
    data = ical.build_calendar(meetings, name="Consult")
    wrong = wrong_readings(data, {m.uid: m.start.astimezone(UTC) for m in meetings})
    assert not wrong, "\n".join(wrong)
    assert [str(tz["TZID"]) for tz in Calendar.from_ical(data).walk("VTIMEZONE")] == ZONES


@pytest.mark.parametrize(
    "tzid",
    [
        "Europe/London",  # offset 0 in winter: vobject must not take it for UTC
        "Europe/Dublin",  # winter time is a negative saving in the zone database
        "Australia/Sydney",  # southern hemisphere
        "Australia/Lord_Howe",  # a half-hour change
        "America/St_Johns",  # offsets of -03:30 and -02:30
        "America/Asuncion",  # summer time made permanent in 2024
    ],
)
def test_zones_beyond_the_demo_read_right_everywhere(tzid):
    """Do invitations beside the 2026-2028 changes of harder zones read right in every reader,
    Outlook's reduction included?"""
    wrong = []
    for start in call_times(tzid, YEARS):
        data = ical.request(meeting(tzid, start))
        wrong += wrong_readings(data, {"call@consult.test": start.astimezone(UTC)})
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("tzid", ["America/Santiago", "Asia/Jerusalem", "America/Nuuk"])
def test_a_weekday_after_a_date_is_exact_for_rfc_readers(tzid):
    """Is a rule like "the Friday before the last Sunday" (which no nth-weekday rule, and so
    no Outlook rule, can say) written exactly, as BYDAY with BYMONTHDAY, for the others?"""
    wrong = []
    for start in call_times(tzid, YEARS):
        data = ical.request(meeting(tzid, start))
        wrong += wrong_readings(data, {"call@consult.test": start.astimezone(UTC)}, outlook=False)
    assert not wrong, "\n".join(wrong)
    assert b"BYMONTHDAY=" in data


def test_onsets_are_the_clock_changes_to_the_minute():
    """Is every onset a VTIMEZONE gives for 2026-2028 (DTSTART read with TZOFFSETFROM, and
    its RRULE) one of zoneinfo's clock changes to the minute, and is none missing?"""
    for tzid in ZONES:
        data = ical.build_calendar(
            [meeting(tzid, datetime(year, 6, 1, 12, tzinfo=ZoneInfo(tzid))) for year in YEARS]
        )
        (component,) = Calendar.from_ical(data).walk("VTIMEZONE")
        onsets = set()
        for observance in component.walk("STANDARD") + component.walk("DAYLIGHT"):
            start, before = observance.DTSTART, observance.TZOFFSETFROM
            rdates = observance.get("RDATE", [])
            lists = rdates if isinstance(rdates, list) else [rdates]
            starts = [start] + [leaf.dt for dates in lists for leaf in dates.dts]
            if "RRULE" in observance:
                rule = observance["RRULE"].to_ical().decode()
                starts = list(
                    rrulestr(rule, dtstart=start).between(start, datetime(2029, 1, 1), inc=True)
                )
            for local in starts:
                instant = (local - before).replace(tzinfo=UTC)
                zone = ZoneInfo(tzid)
                assert (instant - timedelta(seconds=1)).astimezone(zone).utcoffset() == before
                assert instant.astimezone(zone).utcoffset() == observance.TZOFFSETTO
                if before != observance.TZOFFSETTO:
                    onsets.add(instant)
        expected = {c for year in YEARS for c in clock_changes(tzid, year)}
        assert {o for o in onsets if o.year in YEARS} == expected, tzid


@pytest.mark.parametrize("tzid", ZONES)
def test_vtimezone_holds_only_what_rfc_5545_allows(tzid):
    """Is there no COMMENT (nor anything else RFC 5545 forbids) directly under VTIMEZONE,
    one STANDARD and one DAYLIGHT yearly rule where the zone changes its clocks, and a
    single STANDARD where it does not?"""
    data = ical.request(meeting(tzid, datetime(2027, 5, 4, 14, tzinfo=UTC)))
    (component,) = Calendar.from_ical(data).walk("VTIMEZONE")
    assert set(component) == {"TZID"}
    allowed = {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "TZNAME", "RRULE", "RDATE"}
    for observance in component.subcomponents:
        assert set(observance) <= allowed, observance.name
    standard, daylight = component.walk("STANDARD"), component.walk("DAYLIGHT")
    if clock_changes(tzid, 2027):
        assert len(standard) == len(daylight) == 1
        assert all("RRULE" in o and "RDATE" not in o for o in standard + daylight)
    else:
        assert len(standard) == 1 and not daylight
        offset = datetime(2027, 5, 4, tzinfo=ZoneInfo(tzid)).utcoffset()
        assert offset == standard[0].TZOFFSETTO
        assert "RRULE" not in standard[0] and "RDATE" not in standard[0]


def test_only_the_zones_used_get_a_vtimezone():
    """Does a calendar carry one VTIMEZONE per TZID its events use, and none for UTC?"""
    start = datetime(2027, 3, 29, 8, tzinfo=UTC)
    data = ical.build_calendar(
        [
            meeting("Europe/Budapest", start, "a@consult.test"),
            meeting("Europe/Budapest", start + timedelta(days=400), "b@consult.test"),
            meeting("Asia/Kolkata", start, "c@consult.test"),
            meeting("UTC", start, "d@consult.test"),
            ical.Meeting(uid="e@consult.test", summary="No zone", start=start, end=start),
        ]
    )
    zones = [str(tz["TZID"]) for tz in Calendar.from_ical(data).walk("VTIMEZONE")]
    assert zones == ["Asia/Kolkata", "Europe/Budapest"]
    assert data.index(b"BEGIN:VTIMEZONE") < data.index(b"BEGIN:VEVENT")


def test_a_change_of_rule_between_two_calls_reads_right_and_outlook_keeps_the_new_rule():
    """With a New York call before and after the 2007 change of rule in one calendar, do all
    readers agree with zoneinfo, and does Outlook's reduction keep the rule of 2007 on?"""
    zone = ZoneInfo(NEW_YORK)
    starts = [
        datetime(2006, 4, 1, 10, tzinfo=zone),  # the day before the old rule's change
        datetime(2006, 10, 28, 10, tzinfo=zone),
        datetime(2007, 3, 12, 10, tzinfo=zone),  # the day after the new rule's change
        datetime(2007, 4, 2, 10, tzinfo=zone),
        datetime(2007, 11, 2, 10, tzinfo=zone),
        datetime(2027, 3, 15, 10, tzinfo=zone),
    ]
    meetings = [meeting(NEW_YORK, s, f"{n}@consult.test") for n, s in enumerate(starts)]
    data = ical.build_calendar(meetings)
    expected = {m.uid: m.start.astimezone(UTC) for m in meetings}
    readings = instants(data)
    outlook = readings.pop("outlook")
    for reader, found in readings.items():
        assert found == expected, reader
    for uid in ("2@consult.test", "4@consult.test", "5@consult.test"):
        assert outlook[uid] == expected[uid]


def test_a_zone_that_gave_up_daylight_time_is_one_offset_after_it():
    """After São Paulo (2019) and Mexico City (2022) gave up daylight-saving time, is a call
    written with a single STANDARD, so that Outlook applies no daylight rule either?"""
    for tzid, year in (("America/Sao_Paulo", 2020), ("America/Mexico_City", 2023)):
        start = datetime(year, 11, 15, 10, tzinfo=ZoneInfo(tzid))
        data = ical.request(meeting(tzid, start))
        (component,) = Calendar.from_ical(data).walk("VTIMEZONE")
        assert [o.name for o in component.subcomponents] == ["STANDARD"], tzid
        assert wrong_readings(data, {"call@consult.test": start.astimezone(UTC)}) == []


def test_a_zones_vtimezone_is_built_once_for_many_invitations():
    """Do the invitations after the first in a zone and year reuse its VTIMEZONE (the hot
    path of every invitation letter), a new range of years getting its own?"""
    vtimezone.cache_clear()  # other tests may have built these already
    start = datetime(2027, 3, 29, 10, tzinfo=ZoneInfo("Europe/Budapest"))
    ical.request(meeting("Europe/Budapest", start))
    built = vtimezone.cache_info().misses
    assert built == 1
    for days in range(1, 20):
        ical.request(meeting("Europe/Budapest", start + timedelta(days=days)))
    assert vtimezone.cache_info().misses == built
    ical.request(meeting("Europe/Budapest", start + timedelta(days=400)))
    assert vtimezone.cache_info().misses == built + 1


def test_a_frozen_clock_builds_the_same_vtimezones():
    """Is a VTIMEZONE built under freezegun (whose datetimes forget ``fold`` in the hour
    repeated after a change) the same as one built normally, so that a test with a frozen
    clock cannot leave a wrong one in the cache for the rest of the process?"""

    def built() -> list[bytes]:
        vtimezone.cache_clear()
        _decade.cache_clear()
        return [vtimezone(tzid, 2027, 2027).to_ical() for tzid in ZONES]

    with freeze_time("2026-11-30 12:00:00"):
        frozen = built()
    assert frozen == built()
