"""The e-mails about calls: invitations, updates, cancellations and agenda reminders.

Requests and the reminder job queue them (``queue_*``); the worker writes them with
the letters below, and records on each invitation whether its e-mail failed.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import formataddr
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult import ical, mail
from consult.accounts.models import User
from consult.calls.models import (
    Attendance,
    Call,
    CallStatus,
    MinutesStatus,
    Partstat,
    Presence,
)
from consult.calls.services import find_attendance
from consult.extensions import db
from consult.i18n.formats import clock, format_date
from consult.outbox.letters import NothingToSend, enqueue, letter
from consult.outbox.models import OutboxMessage, OutboxStatus
from consult.tokens import address_token, make_token, tagged_address
from consult.urls import external_url

RSVP = "call-rsvp"
#: The answers a member can give through a link, as they appear in URLs.
ANSWERS = {
    "accept": Partstat.ACCEPTED,
    "tentative": Partstat.TENTATIVE,
    "decline": Partstat.DECLINED,
}


def local_span(start: datetime, end: datetime, user: User) -> str:
    """A date and times in ``user``'s zone and language, for an e-mail."""
    zone = user.timezone or "UTC"
    with mail.in_language_of(user):
        return "{}, {}\u2013{} ({})".format(
            format_date(start.astimezone(ZoneInfo(zone)), "full", rebase=False),
            clock(start, zone),
            clock(end, zone),
            zone,
        )


def local_when(call: Call, user: User) -> str:
    """The call's date and times in ``user``'s zone and language, for an e-mail."""
    return local_span(call.starts_at, call.ends_at, user)


def item_clock(call: Call, items: list, user: User) -> dict[int, str]:
    """Each timed agenda item's start and end in ``user``'s zone (untimed items: empty)."""
    zone = user.timezone or "UTC"
    times = call.item_times(items)
    with mail.in_language_of(user):
        return {
            item.id: "{}\u2013{}".format(*(clock(moment, zone) for moment in times[item.id]))
            if item.id in times
            else ""
            for item in items
        }


def rsvp_token(attendance: Attendance) -> str:
    """A signed token naming one member and one call."""
    return make_token(RSVP, {"call": attendance.call_id, "user": attendance.user_id})


def rsvp_links(attendance: Attendance) -> dict[str, str]:
    """Accept, tentative and decline links for one member and one call."""
    token = rsvp_token(attendance)
    return {
        name: external_url(
            "calls.rsvp",
            call_id=attendance.call_id,
            user_id=attendance.user_id,
            token=token,
            answer=name,
        )
        for name in ANSWERS
    }


#: What the token in a member's reply address is for.
REPLY_PURPOSE = "calls-reply"


def reply_base() -> str:
    """``CALLS_ORGANIZER_EMAIL``, else ``calls@`` the sender's domain: its mail goes to mail-in."""
    return current_app.config.get("CALLS_ORGANIZER_EMAIL") or f"calls@{mail.sender_domain()}"


def reply_address(user: User) -> str:
    """The member's own reply address, ``calls+<id>-<signature>@domain``.

    It is the ORGANIZER and the From of every invitation the member gets, so the REPLY
    their calendar program sends comes back to it: the token proves the answer comes
    from someone who received the member's invitation, the From that it is the member.
    """
    return tagged_address(reply_base(), address_token(REPLY_PURPOSE, user.id))


def organiser_address(call: Call, reader: User | None = None) -> ical.Person:
    """The ORGANIZER, named for the series' organiser: ``reader``'s own reply address."""
    address = reply_address(reader) if reader is not None else reply_base()
    return ical.Person(address, call.series.organiser.display_name)


def sender(call: Call, reader: User) -> str:
    """The From of ``reader``'s invitations: the ORGANIZER, so that they are the same."""
    person = organiser_address(call, reader)
    return formataddr((person.name, person.email))


def meeting(call: Call, reader: User | None = None) -> ical.Meeting:
    """The call as calendars see it (``reader``: whose copy, for the ORGANIZER address)."""
    page = external_url("calls.call", call_id=call.id)
    description = "\n\n".join(
        part
        for part in (
            call.series.bridge,
            _("Agenda and documents: %(link)s", link=page),
        )
        if part
    )
    return ical.Meeting(
        uid=call.uid,
        summary=call.series.name,
        start=call.starts_at,
        end=call.ends_at,
        sequence=call.sequence,
        description=description,
        location=call.series.bridge.splitlines()[0] if call.series.bridge else "",
        url=page,
        organizer=organiser_address(call, reader),
        attendees=[
            ical.Attendee(a.user.email, a.user.display_name, partstat=str(a.partstat))
            for a in sorted(call.attendances, key=lambda a: a.user.email)
        ],
        timezone=call.series.organiser.timezone,
    )


INVITE = "calls.invite"
CANCEL = "calls.cancel"
AGENDA = "calls.agenda"
FAILURES = "calls.failures"


def queue_invitations(call: Call, *, update: bool = False, what: str = "time") -> None:
    """Queue every invitee the call with its iTIP REQUEST (an update when ``update``; ``what``
    changed: ``time`` or ``bridge``)."""
    for attendance in call.attendances:
        params = {"call": call.id, "user": attendance.user_id, "update": update}
        if update:
            params["what"] = what
        enqueue(attendance.user.email, INVITE, params)


def queue_cancellations(call: Call) -> None:
    """Queue every invitee the news that the call is off, with its iTIP CANCEL."""
    for attendance in call.attendances:
        enqueue(attendance.user.email, CANCEL, {"call": call.id, "user": attendance.user_id})


def queue_agenda(call: Call, attendance: Attendance) -> None:
    """Queue the agenda reminder of ``call`` for one invitee."""
    enqueue(attendance.user.email, AGENDA, {"call": call.id, "user": attendance.user_id})


def _invitation(params: dict[str, Any]) -> tuple[Call, Attendance]:
    """The call and the invitation a letter is about, or :class:`NothingToSend`."""
    call = db.session.get(Call, params["call"])
    attendance = find_attendance(params["call"], params["user"]) if call else None
    if call is None or attendance is None:
        raise NothingToSend("the call or this member's invitation is gone")
    return call, attendance


def _calendar(call: Call, method: str, reader: User) -> mail.CalendarPart:
    """The call's iTIP part for one member: their own ORGANIZER address, their language."""
    with mail.in_language_of(reader):  # its description is in the reader's language
        build = ical.request if method == "REQUEST" else ical.cancel
        return mail.CalendarPart(build(meeting(call, reader)), method)


def _from_organiser(message: mail.Message, call: Call, reader: User) -> mail.Message:
    """An invitation comes from its ORGANIZER; people's replies go to the organiser."""
    message.sender = sender(call, reader)
    message.reply_to = call.series.organiser.email
    return message


def _record(row: OutboxMessage) -> None:
    """Show on the call page who an invitation, update, cancellation or reminder did not reach."""
    if row.status not in (OutboxStatus.SENT, OutboxStatus.FAILED):
        return
    attendance = find_attendance(row.params["call"], row.params["user"])
    if attendance is None:
        return
    attendance.delivery_error = row.last_error[:500] if row.status is OutboxStatus.FAILED else ""


def _record_reminder(row: OutboxMessage) -> None:
    """As :func:`_record`; and tell the series' organiser when a reminder failed for good."""
    _record(row)
    call = db.session.get(Call, row.params["call"])
    if row.status is OutboxStatus.FAILED and call is not None:
        organiser = call.series.organiser
        failed = [[row.recipient, row.last_error]]
        enqueue(organiser.email, FAILURES, {"call": call.id, "failed": failed})


@letter(INVITE, label=_l("Call invitation or change"), on_result=_record)
def invitation_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """The invitation (or, with ``update``, the change) with its iTIP REQUEST."""
    call, attendance = _invitation(params)
    if call.status is CallStatus.CANCELLED:
        raise NothingToSend("the call was cancelled before this went out")
    name = call.series.name
    update = bool(params.get("update"))
    subject = (
        _l("Changed: %(name)s", name=name) if update else _l("Invitation: %(name)s", name=name)
    )
    message = mail.compose(
        attendance.user,
        "calls/invite",
        subject,
        calendar=_calendar(call, "REQUEST", attendance.user),
        call=call,
        user=attendance.user,
        when=local_when(call, attendance.user),
        links=rsvp_links(attendance),
        page=external_url("calls.call", call_id=call.id),
        items=call.published_agenda,
        update=update,
        what=params.get("what", "time"),
    )
    return _from_organiser(message, call, attendance.user)


@letter(CANCEL, label=_l("Call cancelled"), on_result=_record)
def cancellation_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """The news that the call is off, with its iTIP CANCEL."""
    call, attendance = _invitation(params)
    message = mail.compose(
        attendance.user,
        "calls/cancel",
        _l("Cancelled: %(name)s", name=call.series.name),
        calendar=_calendar(call, "CANCEL", attendance.user),
        call=call,
        user=attendance.user,
        when=local_when(call, attendance.user),
    )
    return _from_organiser(message, call, attendance.user)


@letter(AGENDA, label=_l("Call agenda reminder"), on_result=_record_reminder)
def agenda_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """The agenda, two days before the call, with the answer links."""
    call, attendance = _invitation(params)
    if call.status is not CallStatus.CONFIRMED:
        raise NothingToSend("the call is no longer confirmed")
    return _agenda(call, attendance, _l("Agenda: %(name)s", name=call.series.name))


def _agenda(call: Call, attendance: Any, subject: str, *, published: bool = False) -> mail.Message:
    """The agenda letter: every item's time in the member's zone, with the answer links."""
    return mail.compose(
        attendance.user,
        "calls/agenda",
        subject,
        call=call,
        user=attendance.user,
        when=local_when(call, attendance.user),
        items=call.published_agenda,
        times=item_clock(call, call.published_agenda, attendance.user),
        links=rsvp_links(attendance),
        page=external_url("calls.call", call_id=call.id, _anchor="agenda" if published else None),
        published=published,
    )


@letter(FAILURES, label=_l("Call e-mail not delivered"))
def failure_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """Tell the series' organiser which members an e-mail about a call did not reach."""
    call = db.session.get(Call, params["call"])
    if call is None:
        raise NothingToSend("the call is gone")
    organiser = call.series.organiser
    return mail.compose(
        organiser,
        "calls/failures",
        _l("Not delivered: %(name)s", name=call.series.name),
        call=call,
        user=organiser,
        when=local_when(call, organiser),
        failed=sorted((address, reason) for address, reason in params["failed"]),
        page=external_url("calls.call", call_id=call.id),
    )


# --- meeting records: the agenda when it is published, the minutes when circulated ------------

AGENDA_PUBLISHED = "calls.agenda-published"
MINUTES = "calls.minutes"


def queue_published_agenda(call: Call) -> None:
    """Queue the agenda, just published, for every active invitee."""
    _queue_for_invitees(call, AGENDA_PUBLISHED)


def queue_minutes(call: Call) -> None:
    """Queue the circulated minutes for every active invitee."""
    _queue_for_invitees(call, MINUTES)


def _queue_for_invitees(call: Call, kind: str) -> None:
    for attendance in call.attendances:
        if attendance.user.active:
            enqueue(attendance.user.email, kind, {"call": call.id, "user": attendance.user_id})


@letter(AGENDA_PUBLISHED, label=_l("Call agenda published"), on_result=_record)
def published_agenda_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """The agenda as the Secretariat published it: times, leads and documents."""
    call, attendance = _invitation(params)
    if call.status is not CallStatus.CONFIRMED or call.agenda_published_at is None:
        raise NothingToSend("the call is no longer confirmed, or its agenda not published")
    return _agenda(
        call,
        attendance,
        _l("Agenda published: %(name)s", name=call.series.name),
        published=True,
    )


@letter(MINUTES, label=_l("Call minutes circulated"), on_result=_record)
def minutes_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """The approved minutes, with the attendance register, to every invitee."""
    call, attendance = _invitation(params)
    if call.minutes_status is not MinutesStatus.CIRCULATED:
        raise NothingToSend("the minutes were reopened before this went out")
    return mail.compose(
        attendance.user,
        "calls/minutes",
        _l("Minutes: %(name)s", name=call.series.name),
        call=call,
        user=attendance.user,
        when=local_when(call, attendance.user),
        register=call.register(),
        Presence=Presence,
        page=external_url("calls.call", call_id=call.id, _anchor="minutes"),
    )
