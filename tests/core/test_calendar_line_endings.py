"""Calendar parts in e-mail keep iCalendar's CRLF line endings (RFC 5545 3.1), outbox included."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta

from consult import ical, mail


def _invitation(to: str) -> tuple[mail.Message, bytes]:
    start = datetime(2027, 3, 29, 8, tzinfo=UTC)
    ics = ical.request(
        ical.Meeting(
            uid="call-crlf@consult.test",
            summary="Steering Group teleconference",
            start=start,
            end=start + timedelta(hours=1),
            description="Agenda:\n1. Toolkit scope\n2. Forum",
            organizer=ical.Person("secretariat@example.org", "CSD Secretariat"),
            attendees=[ical.Attendee(to, "Zoé Bárány")],
            timezone="Europe/Budapest",
        )
    )
    message = mail.Message(to=to, subject="Invitation", text="Call", html="<p>Call</p>")
    message.calendar = mail.CalendarPart(ics=ics, method="REQUEST")
    return message, ics


def _send(message: mail.Message) -> None:
    transport = mail.open_transport()
    try:
        transport.send(mail.build(message))
    finally:
        transport.close()


def _calendar_bodies(message) -> list[bytes]:
    return [
        part.get_payload(decode=True)
        for part in message.walk()
        if part.get_content_type() == "text/calendar"
        or (part.get_filename() or "").endswith(".ics")
    ]


def test_outbox_file_and_its_calendar_parts_use_crlf(app, monkeypatch, tmp_path):
    """Is an invitation written to the outbox an .eml with CRLF line endings only, whose inline
    text/calendar part and .ics attachment are the calendar byte for byte?"""
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))
    message, ics = _invitation("zoe@example.org")
    _send(message)
    (path,) = tmp_path.glob("*.eml")
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n"), "a bare LF in the .eml file"
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert _calendar_bodies(parsed) == [ics, ics]


def test_calendar_parts_sent_over_smtp_use_crlf(app, mailbox):
    """Does the text/calendar part received over SMTP, and the attachment, carry the calendar
    byte for byte, CRLF line endings and a non-ASCII name included?"""
    message, ics = _invitation("zoe@example.org")
    assert b"\r\n" in ics and ics.count(b"\n") == ics.count(b"\r\n")
    _send(message)
    assert _calendar_bodies(mailbox.last("zoe@example.org")) == [ics, ics]
