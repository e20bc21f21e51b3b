"""The e-mails about calls: invitations, updates, cancellations and agenda reminders."""

from __future__ import annotations

from email.utils import parseaddr
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask import current_app
from flask_babel import gettext as _

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
    ics = ical.request(meeting(call))
    messages = []
    for attendance in call.attendances:
        user = attendance.user
        context = {
            "call": call,
            "user": user,
            "when": local_when(call, user),
            "links": rsvp_links(attendance),
            "page": external_url("calls.call", call_id=call.id),
            "update": update,
        }
        with mail.in_language_of(user):
            text, html = mail.render("calls/invite", **context)
            subject = (
                _("Changed: %(name)s", name=call.series.name)
                if update
                else _("Invitation: %(name)s", name=call.series.name)
            )
        messages.append(
            mail.Message(
                to=user.email,
                subject=subject,
                text=text,
                html=html,
                calendar=mail.CalendarPart(ics, "REQUEST"),
            )
        )
    report = mail.send_all(messages)
    _record(call, report)
    return report


def send_cancellations(call: Call) -> mail.DeliveryReport:
    """E-mail every invitee that the call is off, with its iTIP CANCEL."""
    ics = ical.cancel(meeting(call))
    messages = []
    for attendance in call.attendances:
        with mail.in_language_of(attendance.user):
            text, html = mail.render(
                "calls/cancel",
                call=call,
                user=attendance.user,
                when=local_when(call, attendance.user),
            )
            subject = _("Cancelled: %(name)s", name=call.series.name)
        messages.append(
            mail.Message(
                to=attendance.user.email,
                subject=subject,
                text=text,
                html=html,
                calendar=mail.CalendarPart(ics, "CANCEL"),
            )
        )
    report = mail.send_all(messages)
    _record(call, report)
    return report


def agenda_messages(call: Call, attendances: list[Attendance]) -> list[mail.Message]:
    """The agenda reminder for each of ``attendances``."""
    messages = []
    items = call.published_agenda
    for attendance in attendances:
        with mail.in_language_of(attendance.user):
            text, html = mail.render(
                "calls/agenda",
                call=call,
                user=attendance.user,
                when=local_when(call, attendance.user),
                items=items,
                links=rsvp_links(attendance),
                page=external_url("calls.call", call_id=call.id),
            )
            subject = _("Agenda: %(name)s", name=call.series.name)
        messages.append(
            mail.Message(
                to=attendance.user.email,
                subject=subject,
                text=text,
                html=html,
            )
        )
    return messages


def send_failure_report(call: Call, failed: dict[str, str]) -> mail.DeliveryReport:
    """Tell the series' organiser which members an e-mail about ``call`` did not reach."""
    organiser = call.series.organiser
    with mail.in_language_of(organiser):
        text, html = mail.render(
            "calls/failures",
            call=call,
            user=organiser,
            when=local_when(call, organiser),
            failed=sorted(failed.items()),
            page=external_url("calls.call", call_id=call.id),
        )
        subject = _("Not delivered: %(name)s", name=call.series.name)
    return mail.send(mail.Message(to=organiser.email, subject=subject, text=text, html=html))
