"""The events' calendar files, built with :mod:`consult.ical` (used as it is)."""

from __future__ import annotations

from email.utils import parseaddr

from flask import current_app
from flask_babel import gettext as _

from consult.events.models import Event, EventSession, Registration
from consult.ical import Attendee, Meeting, Person, build_calendar, cancel, request
from consult.urls import external_url

UID_DOMAIN = "events.consult"


def _organizer() -> Person:
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return Person(address, name or "Consult")


def event_meeting(event: Event, attendee: Registration | None = None) -> Meeting:
    """The whole event as one calendar entry, with the registrant as ATTENDEE when given.

    A registrant's copy has a UID of its own registration cycle (its ``arrival``, renewed
    when registering again), so that a new invitation after a cancellation is a new entry
    for calendars rather than an old, already cancelled one.
    """
    attendees = []
    uid = f"event-{event.id}@{UID_DOMAIN}"
    if attendee is not None:
        attendees.append(Attendee(attendee.email, attendee.name, partstat="ACCEPTED", rsvp=False))
        uid = f"event-{event.id}-registration-{attendee.arrival}@{UID_DOMAIN}"
    return Meeting(
        uid=uid,
        summary=str(event.localized("title")),
        start=event.starts_at,
        end=event.ends_at,
        sequence=event.sequence,
        description=str(event.localized("description")),
        location=event.venue,
        url=external_url("events.show", slug=event.slug),
        organizer=_organizer(),
        attendees=attendees,
        timezone=event.timezone,
    )


def session_meeting(event: Event, session: EventSession) -> Meeting:
    """One agenda session as a calendar entry."""
    description = session.localized("description")
    lines = [str(description)] if description else []
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
        description="\n".join(lines),
        location=location,
        url=external_url("events.show", slug=event.slug),
        timezone=event.timezone,
    )


def agenda_calendar(event: Event) -> bytes:
    """The .ics of the whole event: the event itself and every session."""
    meetings = [event_meeting(event)] + [session_meeting(event, s) for s in event.sessions]
    return build_calendar(meetings, name=event.title)


def invitation(event: Event, registration: Registration) -> bytes:
    """The invitation (METHOD:REQUEST) sent to a registrant with a seat."""
    return request(event_meeting(event, registration))


def withdrawal(event: Event, registration: Registration) -> bytes:
    """The METHOD:CANCEL that takes the event out of a cancelled registrant's calendar."""
    meeting = event_meeting(event, registration)
    meeting.sequence += 1
    return cancel(meeting)
