"""The incoming-mail command and the calendar module."""

from datetime import UTC, datetime, timedelta

import pytest
import recurring_ical_events
from icalendar import Calendar

from consult import ical, signals
from consult.mailin import MailHandler, Outcome

RAW = (
    b"From: someone@example.org\r\nTo: consult@example.org\r\nSubject: Re: hello\r\n\r\nThanks!\r\n"
)


def test_mail_in_with_no_taker_exits_non_zero(app):
    """Is a message that no capability takes reported and refused?"""
    result = app.test_cli_runner().invoke(args=["mail-in"], input=RAW)
    assert result.exit_code == 1
    assert "not mine" in result.output


def test_mail_in_offers_the_message_to_handlers_in_order(app):
    """Does the first handler that claims a message decide, the others not being asked?"""
    seen = []

    def ignores(message):
        seen.append(("ignores", message["Subject"]))
        return Outcome.NOT_MINE

    def takes(message):
        seen.append(("takes", message["Subject"]))
        return Outcome.ACCEPTED

    def never(message):
        seen.append(("never", message["Subject"]))
        return Outcome.ACCEPTED

    def offer_never(sender):
        return MailHandler(never, order=3)

    def offer_two(sender):
        return [MailHandler(takes, order=2), MailHandler(ignores, order=1)]

    with (
        signals.mail_handlers.connected_to(offer_never, app),
        signals.mail_handlers.connected_to(offer_two, app),
    ):
        result = app.test_cli_runner().invoke(args=["mail-in"], input=RAW)
    assert result.exit_code == 0 and "accepted" in result.output
    assert seen == [("ignores", "Re: hello"), ("takes", "Re: hello")]


def _meeting(**changes) -> ical.Meeting:
    start = datetime(2000, 4, 28, 13, 0, tzinfo=UTC)
    values = dict(
        uid="call-1@consult.test",
        summary="Steering Group teleconference",
        start=start,
        end=start + timedelta(hours=1),
        organizer=ical.Person("secretariat@example.org", "CSD Secretariat"),
        attendees=[ical.Attendee("ngo.nairobi@example.org", "NGO member (Nairobi)")],
        location="Bridge +1 212 555 0100, code 2000",
    )
    values.update(changes)
    return ical.Meeting(**values)


def test_request_is_read_back_by_an_independent_parser():
    """Does a REQUEST carry method, UID, sequence, attendee and times that another library reads?"""
    data = ical.request(_meeting(sequence=2, timezone="Africa/Nairobi"))
    calendar = Calendar.from_ical(data)
    assert calendar["METHOD"] == "REQUEST"
    event = next(iter(calendar.walk("VEVENT")))
    assert event["UID"] == "call-1@consult.test" and event["SEQUENCE"] == 2
    attendee = event["ATTENDEE"]
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION" and attendee.params["RSVP"] == "TRUE"
    assert calendar.walk("VTIMEZONE"), "a VTIMEZONE for the TZID used"
    occurrences = recurring_ical_events.of(calendar).between(
        datetime(2000, 4, 1), datetime(2000, 5, 1)
    )
    assert occurrences[0]["DTSTART"].dt == datetime(2000, 4, 28, 13, 0, tzinfo=UTC)


def test_cancel_marks_the_event_cancelled():
    """Is a CANCEL sent with status CANCELLED and the same UID?"""
    calendar = Calendar.from_ical(ical.cancel(_meeting(sequence=3)))
    event = next(iter(calendar.walk("VEVENT")))
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED" and event["UID"] == "call-1@consult.test"


def _reply_text(*attendees: str, extra: tuple[str, ...] = (), method: str = "REPLY") -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Test mail client//EN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        "UID:call-1@consult.test",
        "DTSTAMP:20300101T000000Z",
        *extra,
        *attendees,
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    return "\r\n".join(lines).encode()


def test_read_reply_reads_partstat_sequence_and_comment():
    """Is an attendee's answer read from a REPLY built by icalendar, with its SEQUENCE?"""
    reply = _meeting(
        attendees=[ical.Attendee("NGO.Nairobi@example.org", partstat="ACCEPTED")], sequence=2
    )
    read = ical.read_reply(ical.build_calendar([reply], "REPLY"))
    assert read.uid == "call-1@consult.test" and read.sequence == 2
    assert read.lines == (ical.AnswerLine("ngo.nairobi@example.org", "ACCEPTED"),)
    assert read.line_of("NGO.nairobi@EXAMPLE.org") == read.lines[0]


def test_read_reply_is_lenient_in_form():
    """Are ``Mailto:`` in mixed case, a ``urn:uuid`` attendee with an EMAIL parameter, a
    DELEGATED answer, a COMMENT and a missing SEQUENCE (0, RFC 5546) all read?"""
    read = ical.read_reply(
        _reply_text(
            "ATTENDEE;PARTSTAT=accepted:Mailto:Chair@Example.org",
            'ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO="mailto:deputy@example.org";'
            "EMAIL=ngo.nairobi@example.org:urn:uuid:0a1b2c3d-0000-4000-8000-000000000001",
            extra=("COMMENT:My deputy will join\\, I am travelling.",),
        )
    )
    assert read.sequence == 0
    assert read.comment == "My deputy will join, I am travelling."
    assert read.line_of("chair@example.org") == ical.AnswerLine("chair@example.org", "ACCEPTED")
    assert read.line_of("ngo.nairobi@example.org") == ical.AnswerLine(
        "ngo.nairobi@example.org", "DELEGATED", "deputy@example.org"
    )
    assert read.line_of("someone.else@example.org") is None


def test_read_reply_refuses_what_is_not_one_answer():
    """Are another METHOD, no attendee, a non-numeric SEQUENCE and non-iCalendar refused?"""
    attendee = "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@example.org"
    with pytest.raises(ical.NotAnAnswer, match="REQUEST"):
        ical.read_reply(_reply_text(attendee, method="REQUEST"))
    with pytest.raises(ical.NotAnAnswer, match="ATTENDEE"):
        ical.read_reply(_reply_text())
    with pytest.raises(ical.NotAnAnswer, match="SEQUENCE"):
        ical.read_reply(_reply_text(attendee, extra=("SEQUENCE:abc",)))
    with pytest.raises(ical.NotACalendar):
        ical.read_reply(b"BEGIN:VCALENDAR\r\nthis is not iCalendar\r\n")


def test_calendars_are_found_under_any_label_the_inline_one_first(app):
    """Are calendars found as text/calendar, as a ``.ics`` of any type, and as an unnamed
    ``application/octet-stream`` that starts with BEGIN:VCALENDAR, the inline one first, and
    is an ordinary attachment left alone?"""
    from email.message import EmailMessage

    from consult.mailin import calendar_parts

    def attach(message, data: bytes, maintype: str, subtype: str, filename: str) -> None:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)

    inline = _reply_text("ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@example.org")
    message = EmailMessage()
    message["From"] = "a@example.org"
    message.set_content("Accepted")
    message.add_alternative(inline.decode(), subtype="calendar", params={"method": "REPLY"})
    attach(
        message,
        b"\xef\xbb\xbf" + inline.replace(b"ACCEPTED", b"DECLINED"),
        "application",
        "octet-stream",
        "reply.dat",
    )
    attach(message, b"%PDF-1.4 not a calendar", "application", "octet-stream", "agenda.pdf")
    attach(message, inline.replace(b"ACCEPTED", b"TENTATIVE"), "text", "plain", "invite.ics")
    found = calendar_parts(message)
    assert [ical.read_reply(data).lines[0].partstat for data in found] == [
        "ACCEPTED",
        "DECLINED",
        "TENTATIVE",
    ]
