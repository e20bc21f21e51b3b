"""The e-mails about calls: invitations, updates, cancellations and agenda reminders."""

from __future__ import annotations

from email.utils import parseaddr
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult import ical, mail
from consult.accounts.models import User
from consult.calls.models import Attendance, Call, Partstat
from consult.tokens import make_token
from consult.urls import external_url

RSVP = "call-rsvp"
#: The answers a member can give through a link, as they appear in URLs.
ANSWERS = {
    "accept": Partstat.ACCEPTED,
    "tentative": Partstat.TENTATIVE,
    "decline": Partstat.DECLINED,
}


def local_when(call: Call, user: User) -> str:
    """The call's date and times in ``user``'s zone and language, for an e-mail."""
    zone = ZoneInfo(user.timezone or "UTC")
    start, end = call.starts_at.astimezone(zone), call.ends_at.astimezone(zone)
    locale = user.language or "en"
    return "{}, {}\u2013{} ({})".format(
        format_date(start, "full", locale=locale),
        format_time(start, "short", locale=locale),
        format_time(end, "short", locale=locale),
        user.timezone,
    )


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


def organiser_address(call: Call) -> ical.Person:
    """The ORGANIZER: the address whose mail is piped to ``mail-in``, named for the organiser."""
    configured = current_app.config.get("CALLS_ORGANIZER_EMAIL")
    address = configured or parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
    return ical.Person(address, call.series.organiser.display_name)


def meeting(call: Call) -> ical.Meeting:
    """The call as calendars see it."""
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
        organizer=organiser_address(call),
        attendees=[
            ical.Attendee(a.user.email, a.user.display_name, partstat=str(a.partstat))
            for a in sorted(call.attendances, key=lambda a: a.user.email)
        ],
        timezone=call.series.organiser.timezone,
    )


def _record(call: Call, report: mail.DeliveryReport) -> None:
    for attendance in call.attendances:
        if attendance.user.email in report.failed:
            attendance.delivery_error = report.failed[attendance.user.email][:500]
        elif attendance.user.email in report.sent:
            attendance.delivery_error = ""


def send_invitations(call: Call, *, update: bool = False) -> mail.DeliveryReport:
    """E-mail every invitee the call with its iTIP REQUEST; one SMTP connection for all."""
    part = mail.CalendarPart(ical.request(meeting(call)), "REQUEST")
    name = call.series.name
    subject = (
        _l("Changed: %(name)s", name=name) if update else _l("Invitation: %(name)s", name=name)
    )
    messages = [
        mail.compose(
            attendance.user,
            "calls/invite",
            subject,
            calendar=part,
            call=call,
            user=attendance.user,
            when=local_when(call, attendance.user),
            links=rsvp_links(attendance),
            page=external_url("calls.call", call_id=call.id),
            update=update,
        )
        for attendance in call.attendances
    ]
    report = mail.send_all(messages)
    _record(call, report)
    return report


def send_cancellations(call: Call) -> mail.DeliveryReport:
    """E-mail every invitee that the call is off, with its iTIP CANCEL."""
    part = mail.CalendarPart(ical.cancel(meeting(call)), "CANCEL")
    messages = [
        mail.compose(
            attendance.user,
            "calls/cancel",
            _l("Cancelled: %(name)s", name=call.series.name),
            calendar=part,
            call=call,
            user=attendance.user,
            when=local_when(call, attendance.user),
        )
        for attendance in call.attendances
    ]
    report = mail.send_all(messages)
    _record(call, report)
    return report


def agenda_messages(call: Call, attendances: list[Attendance]) -> list[mail.Message]:
    """The agenda reminder for each of ``attendances``."""
    return [
        mail.compose(
            attendance.user,
            "calls/agenda",
            _l("Agenda: %(name)s", name=call.series.name),
            call=call,
            user=attendance.user,
            when=local_when(call, attendance.user),
            items=call.published_agenda,
            links=rsvp_links(attendance),
            page=external_url("calls.call", call_id=call.id),
        )
        for attendance in attendances
    ]


def send_failure_report(call: Call, failed: dict[str, str]) -> mail.DeliveryReport:
    """Tell the series' organiser which members an e-mail about ``call`` did not reach."""
    organiser = call.series.organiser
    message = mail.compose(
        organiser,
        "calls/failures",
        _l("Not delivered: %(name)s", name=call.series.name),
        call=call,
        user=organiser,
        when=local_when(call, organiser),
        failed=sorted(failed.items()),
        page=external_url("calls.call", call_id=call.id),
    )
    return mail.send(message)
