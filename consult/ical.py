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
from datetime import UTC, datetime, time, timedelta
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
    #: Written as whole days (VALUE=DATE, the days local to ``timezone``) and free time
    #: (TRANSP:TRANSPARENT): an event whose sessions carry the hours, so that it sits
    #: above them in calendars rather than over them.
    all_day: bool = False


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
    if meeting.all_day:
        first, last = meeting.start.astimezone(zone), meeting.end.astimezone(zone)
        ends_at_midnight = last.time() == time(0) and last.date() > first.date()
        event.add("dtstart", first.date())
        event.add("dtend", last.date() + timedelta(days=0 if ends_at_midnight else 1))
        event.add("transp", "TRANSPARENT")
    else:
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
        if meeting.timezone in used and not meeting.all_day:
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


class NotACalendar(ValueError):
    """The data could not be read as iCalendar."""


class NotAnAnswer(ValueError):
    """A calendar, but not one iTIP answer (another METHOD, no attendee, several events ...)."""


@dataclass(frozen=True)
class AnswerLine:
    """One ATTENDEE line of a REPLY: whose answer, which, and to whom it was delegated."""

    email: str
    partstat: str
    delegated_to: str = ""


@dataclass(frozen=True)
class Reply:
    """An iTIP REPLY (RFC 5546 3.2.3) as read from a mail program's calendar.

    ``sequence`` is 0 when the REPLY has none: RFC 5546 asks for SEQUENCE in a REPLY
    whenever it is not 0, so a REPLY without one answers the first version.
    """

    uid: str
    sequence: int
    lines: tuple[AnswerLine, ...]
    comment: str = ""

    def line_of(self, email: str) -> AnswerLine | None:
        """The ATTENDEE line of ``email`` (in any case), or None."""
        for line in self.lines:
            if line.email == email.lower():
                return line
        return None


def calendar_address(value: object) -> str:
    """The e-mail address of a CAL-ADDRESS: ``mailto:`` in any case, or its EMAIL parameter
    (``urn:uuid:...`` attendees of Apple and CalDAV servers), in lower case; "" if none."""
    text = str(value).strip()
    params = getattr(value, "params", {}) or {}
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    elif params.get("EMAIL"):
        text = str(params["EMAIL"])
    elif ":" in text:
        return ""
    text = text.strip().strip("<>").strip()
    return text.lower() if "@" in text else ""


def _listed(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _addresses(param: object) -> str:
    """Addresses of a parameter such as DELEGATED-TO (one or several, quoted or not)."""
    values = param if isinstance(param, list) else str(param or "").split(",")
    found = [calendar_address(str(v).strip().strip('"')) for v in values]
    return ", ".join(a for a in found if a)


def read_reply(data: bytes | str) -> Reply:
    """The one answer an iTIP REPLY carries, read leniently but exactly.

    Raises :class:`NotACalendar` for what is not iCalendar and :class:`NotAnAnswer`
    for a calendar that is not one REPLY to one event (another METHOD, no VEVENT or
    ATTENDEE, several events, a SEQUENCE that is not a number).
    """
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise NotACalendar(str(error)) from error
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise NotACalendar("no VCALENDAR")
    method = str(calendar.get("method", "")).strip().upper()
    if method != "REPLY":
        raise NotAnAnswer(f"METHOD is {method or 'missing'}, not REPLY")
    events = calendar.walk("VEVENT")
    uids = {str(event.get("uid", "")).strip() for event in events}
    if not events or "" in uids:
        raise NotAnAnswer("no VEVENT with a UID")
    if len(uids) > 1:
        raise NotAnAnswer("answers to several events in one message")
    event = events[0]
    try:
        sequence = int(str(event.get("sequence", 0)).strip())
    except (TypeError, ValueError) as error:
        raise NotAnAnswer(f"SEQUENCE is not a number: {event.get('sequence')!r}") from error
    lines = []
    for attendee in _listed(event.get("attendee")):
        address = calendar_address(attendee)
        if not address:
            continue
        params = attendee.params if hasattr(attendee, "params") else {}
        lines.append(
            AnswerLine(
                email=address,
                partstat=str(params.get("PARTSTAT", "NEEDS-ACTION")).strip().upper(),
                delegated_to=_addresses(params.get("DELEGATED-TO", "")),
            )
        )
    if not lines:
        raise NotAnAnswer("no ATTENDEE with an e-mail address")
    comment = "\n".join(str(c).strip() for c in _listed(event.get("comment")) if str(c).strip())
    return Reply(
        uid=next(iter(uids)), sequence=sequence, lines=tuple(lines), comment=comment[:1000]
    )


def first_answer(calendars: Iterable[bytes]) -> tuple[Reply | None, str]:
    """The first of ``calendars`` that reads as one answer, or None and why none did.

    Given a message's calendars inline copy first (:func:`consult.mailin.calendar_parts`),
    one message gives one answer, the inline one when it reads.
    """
    reasons = []
    for data in calendars:
        try:
            return read_reply(data), ""
        except (NotACalendar, NotAnAnswer) as error:
            reasons.append(str(error) or error.__class__.__name__)
    return None, "; ".join(reasons)
