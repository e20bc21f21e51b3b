"""The events' calendar files, built with :mod:`consult.ical` (used as it is).

A registrant's entry has one UID, that of their registration cycle, wherever it appears:
the invitation, its updates and cancellation, the member's private feed and the
registrant's own agenda file (the public agenda file, which cannot know who reads it,
holds the sessions only when there are sessions). The whole event is written as whole days
when it has sessions, so that it sits above the sessions in calendars rather than over
them; the sessions carry the hours. DESCRIPTION is plain text, never Markdown.

The invitation asks for an answer (RSVP=TRUE) and its ORGANIZER, which is also the From of
the letter, is the registration's own reply address (``events+<id>-<signature>@domain``):
a participant who declines in their calendar program cancels the registration, and the
seat goes to the waiting list (:mod:`consult.events.replies`).
"""

from __future__ import annotations

from datetime import datetime
from email.utils import formataddr, parseaddr
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from consult import mail
from consult.events.models import Event, EventSession, Registration
from consult.i18n.formats import format_datetime
from consult.ical import Attendee, Meeting, Person, build_calendar, cancel, request
from consult.markdown import plain_text
from consult.tokens import address_token, tagged_address
from consult.urls import external_url

UID_DOMAIN = "events.consult"
#: What the token in a registration's reply address is for.
REPLY_PURPOSE = "events-reply"


def reply_base() -> str:
    """``EVENTS_ORGANIZER_EMAIL``, else ``events@`` the sender's domain: its mail goes to mail-in."""
    return current_app.config.get("EVENTS_ORGANIZER_EMAIL") or f"events@{mail.sender_domain()}"


def reply_address(registration: Registration) -> str:
    """The registration's own reply address; registering again (a new key) revokes it."""
    token = address_token(REPLY_PURPOSE, registration.id, extra=registration.manage_key)
    return tagged_address(reply_base(), token)


def organizer(registration: Registration | None = None) -> Person:
    """The ORGANIZER: the registration's reply address, named as the site's letters are."""
    name = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[0] or "Consult"
    address = reply_address(registration) if registration is not None else reply_base()
    return Person(address, name)


def sender(registration: Registration) -> str:
    """The From of a letter carrying the registrant's invitation: its ORGANIZER."""
    person = organizer(registration)
    return formataddr((person.name, person.email))


def event_uid(event: Event) -> str:
    """The UID of the whole event for someone who is not registered."""
    return f"event-{event.id}@{UID_DOMAIN}"


def registration_uid(registration: Registration) -> str:
    """The UID of a registrant's entry: of its registration cycle (``arrival``, renewed when
    registering again), so that a new invitation after a cancellation is a new entry."""
    return f"event-{registration.event_id}-registration-{registration.arrival}@{UID_DOMAIN}"


def _local(moment: datetime, zone: str) -> str:
    """A moment in the event's zone, the zone named (the reader may be anywhere)."""
    return format_datetime(moment.astimezone(ZoneInfo(zone)), "long", rebase=False, zone=True)


def _description(event: Event) -> str:
    """The event's description as plain text, with its times (whole-day entries have none)."""
    start, end = (_local(moment, event.timezone) for moment in (event.starts_at, event.ends_at))
    when = _("From %(start)s to %(end)s", start=start, end=end)
    parts = [plain_text(str(event.localized("description"))), when]
    if event.venue:
        parts.append(event.venue)
    parts.append(external_url("events.show", slug=event.slug))
    return "\n\n".join(part for part in parts if part)


def event_meeting(event: Event, attendee: Registration | None = None) -> Meeting:
    """The whole event as one calendar entry; a registrant's own (their UID, ATTENDEE and
    ORGANIZER) when ``attendee`` is given."""
    attendees = []
    uid = event_uid(event)
    if attendee is not None:
        attendees.append(Attendee(attendee.email, attendee.name, partstat="ACCEPTED"))
        uid = registration_uid(attendee)
    return Meeting(
        uid=uid,
        summary=str(event.localized("title")),
        start=event.starts_at,
        end=event.ends_at,
        sequence=event.sequence,
        description=_description(event),
        location=event.venue,
        url=external_url("events.show", slug=event.slug),
        organizer=organizer(attendee),
        attendees=attendees,
        timezone=event.timezone,
        all_day=bool(event.sessions),
    )


def session_meeting(event: Event, session: EventSession) -> Meeting:
    """One agenda session as a calendar entry."""
    description = session.localized("description")
    lines = [plain_text(str(description))] if description else []
    if session.speaker_list:
        lines.append(_("Speakers: %(names)s", names="; ".join(session.speaker_list)))
    for document in session.documents:
        lines.append(
            " ".join(part for part in (document.title, document.citation, document.url) if part)
        )
    location = ", ".join(part for part in (session.room, event.venue) if part)
    return Meeting(
        uid=f"event-{event.id}-session-{session.id}@{UID_DOMAIN}",
        summary=str(session.localized("title")),
        start=session.starts_at,
        end=session.ends_at,
        sequence=event.sequence,
        description="\n\n".join(lines),
        location=location,
        url=external_url("events.show", slug=event.slug),
        timezone=event.timezone,
    )


def agenda_calendar(event: Event, registration: Registration | None = None) -> bytes:
    """The .ics of the event's agenda: every session, and the whole event under the
    registrant's own UID (``registration``), or, for anyone, only when it has no sessions."""
    meetings = [session_meeting(event, s) for s in event.sessions]
    if registration is not None:
        meetings.insert(0, event_meeting(event, registration))
    elif not meetings:
        meetings.append(event_meeting(event))
    return build_calendar(meetings, name=str(event.localized("title")))


def invitation(event: Event, registration: Registration) -> bytes:
    """The invitation (METHOD:REQUEST) sent to a registrant with a seat."""
    return request(event_meeting(event, registration))


def withdrawal(event: Event, registration: Registration) -> bytes:
    """The METHOD:CANCEL that takes the event out of a cancelled registrant's calendar."""
    meeting = event_meeting(event, registration)
    meeting.sequence += 1
    return cancel(meeting)
