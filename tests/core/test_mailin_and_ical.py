"""The incoming-mail command and the calendar module."""

from datetime import UTC, datetime, timedelta

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


def test_parse_replies_reads_partstat():
    """Is an attendee's answer read from a REPLY?"""
    reply = _meeting(attendees=[ical.Attendee("NGO.Nairobi@example.org", partstat="ACCEPTED")])
    data = ical.build_calendar([reply], "REPLY")
    assert ical.parse_replies(data) == [
        ical.Reply(
            uid="call-1@consult.test",
            attendee="ngo.nairobi@example.org",
            partstat="ACCEPTED",
            sequence=0,
        )
    ]
    assert ical.parse_replies(ical.request(_meeting())) == []
