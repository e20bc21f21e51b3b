"""Every .ics file Consult makes or reads goes through this module (the ``icalendar`` package).

Invitations follow iTIP (RFC 5546): METHOD:REQUEST for a new or changed
meeting, METHOD:CANCEL to call it off, with the same UID for the meeting's
whole life and a SEQUENCE raised on every change. Replies (METHOD:REPLY) from
mail clients are read back with :func:`parse_replies`.

Times are written in the meeting's zone, with a VTIMEZONE for each zone used from
:mod:`consult.vtimezone` (yearly rules, as Outlook keeps them), never icalendar's
``add_missing_timezones`` (1970-based RDATE lists that Outlook drops).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from consult.vtimezone import vtimezone

PRODID = "-//Consult//Steering Group workspace//EN"

#: Answers an attendee can give (PARTSTAT values of RFC 5545).
PARTSTATS = ("NEEDS-ACTION", "ACCEPTED", "TENTATIVE", "DECLINED")


@dataclass(frozen=True)
class Person:
    """Someone named in a calendar entry."""

    email: str
    name: str = ""


@dataclass(frozen=True)
class Attendee(Person):
    """An invited person and their answer."""

    partstat: str = "NEEDS-ACTION"
    rsvp: bool = True
    role: str = "REQ-PARTICIPANT"


@dataclass
class Meeting:
    """One meeting as calendars see it."""

    uid: str
    summary: str
    start: datetime
    end: datetime
    sequence: int = 0
    description: str = ""
    location: str = ""
    url: str = ""
    organizer: Person | None = None
    attendees: list[Attendee] = field(default_factory=list)
    status: str = "CONFIRMED"
    #: When set, DTSTART and DTEND are written in this zone with its VTIMEZONE.
    timezone: str | None = None


def _address(person: Person) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = vText(person.name)
    return address


def _event(meeting: Meeting, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.summary)
    zone = ZoneInfo(meeting.timezone) if meeting.timezone else UTC
    event.add("dtstart", meeting.start.astimezone(zone))
    event.add("dtend", meeting.end.astimezone(zone))
    event.add("status", meeting.status)
    if meeting.description:
        event.add("description", meeting.description)
    if meeting.location:
        event.add("location", meeting.location)
    if meeting.url:
        event.add("url", meeting.url)
    if meeting.organizer:
        event.add("organizer", _address(meeting.organizer))
    for attendee in meeting.attendees:
        address = _address(attendee)
        address.params["ROLE"] = vText(attendee.role)
        address.params["PARTSTAT"] = vText(attendee.partstat)
        address.params["RSVP"] = vText("TRUE" if attendee.rsvp else "FALSE")
        event.add("attendee", address, encode=0)
    return event


def build_calendar(
    meetings: Iterable[Meeting],
    method: str | None = None,
    *,
    name: str | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """An .ics holding ``meetings``; ``method`` is REQUEST, CANCEL or None for a feed."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    stamp = stamp or datetime.now(UTC)
    meetings = list(meetings)
    for meeting in meetings:
        if method == "CANCEL":
            meeting.status = "CANCELLED"
        calendar.add_component(_event(meeting, stamp))
    calendar.subcomponents[:0] = _timezones(calendar, meetings)
    return calendar.to_ical()


def _timezones(calendar: Calendar, meetings: list[Meeting]) -> list[Timezone]:
    """A VTIMEZONE for each TZID the calendar uses, covering its meetings' local years.

    Built by :func:`consult.vtimezone.vtimezone` (yearly rules that Outlook keeps too),
    not by icalendar's ``add_missing_timezones``.
    """
    used = calendar.get_missing_tzids()
    years: dict[str, list[int]] = {}
    for meeting in meetings:
        if meeting.timezone in used:
            zone = ZoneInfo(meeting.timezone)
            years.setdefault(meeting.timezone, []).extend(
                moment.astimezone(zone).year for moment in (meeting.start, meeting.end)
            )
    return [vtimezone(tzid, min(found), max(found)) for tzid, found in sorted(years.items())]


def request(meeting: Meeting, **kwargs: object) -> bytes:
    """An invitation or update (METHOD:REQUEST) for one meeting."""
    return build_calendar([meeting], "REQUEST", **kwargs)  # type: ignore[arg-type]


def cancel(meeting: Meeting, **kwargs: object) -> bytes:
    """A cancellation (METHOD:CANCEL) for one meeting; raise its SEQUENCE first."""
    return build_calendar([meeting], "CANCEL", **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Reply:
    """One attendee's answer read from a METHOD:REPLY calendar."""

    uid: str
    attendee: str
    partstat: str
    sequence: int


class NotACalendar(ValueError):
    """The data could not be read as iCalendar."""


def parse_replies(data: bytes | str) -> list[Reply]:
    """The answers in an iTIP REPLY; an empty list when the calendar is not a REPLY."""
    try:
        calendar = Calendar.from_ical(data)
    except ValueError as error:
        raise NotACalendar(str(error)) from error
    if str(calendar.get("method", "")).upper() != "REPLY":
        return []
    replies = []
    for event in calendar.walk("VEVENT"):
        attendees = event.get("attendee")
        if attendees is None:
            continue
        if not isinstance(attendees, list):
            attendees = [attendees]
        try:
            sequence = int(event.get("sequence", 0))
        except (TypeError, ValueError):
            continue  # a malformed SEQUENCE: the event cannot be trusted, skip it
        for attendee in attendees:
            email = str(attendee).removeprefix("mailto:").removeprefix("MAILTO:").strip().lower()
            partstat = str(attendee.params.get("PARTSTAT", "NEEDS-ACTION")).upper()
            replies.append(
                Reply(
                    uid=str(event.get("uid", "")),
                    attendee=email,
                    partstat=partstat,
                    sequence=sequence,
                )
            )
    return replies
