"""The one mail module: SMTP when configured, an outbox folder otherwise."""

import email
import email.policy

from consult import mail


def _message(to: str = "a@example.org") -> mail.Message:
    return mail.Message(to=to, subject="Agenda", text="Plain agenda", html="<p>HTML agenda</p>")


def test_smtp_delivers_text_and_html_parts(app, mailbox):
    """Does a message reach a real SMTP server with a text and an HTML part?"""
    report = mail.send(_message())
    assert report.ok and report.sent == ["a@example.org"]
    message = mailbox.last("a@example.org")
    assert message["From"] == "Consult <consult@example.org>"
    assert message.get_body(("plain",)).get_content().strip() == "Plain agenda"
    assert "<p>HTML agenda</p>" in message.get_body(("html",)).get_content()
    assert message["Message-ID"] and message["Date"]


def test_batch_uses_one_connection_and_reports_failures_per_recipient(app, mailbox):
    """Does a refused recipient fail alone, the others still receiving theirs?"""
    mailbox.refuse.add("bad@example.org")
    messages = [
        _message("one@example.org"),
        _message("bad@example.org"),
        _message("two@example.org"),
    ]
    report = mail.send_all(messages)
    assert report.sent == ["one@example.org", "two@example.org"]
    assert list(report.failed) == ["bad@example.org"]
    assert "550" in report.failed["bad@example.org"]
    assert [m["To"] for m in mailbox.messages] == ["one@example.org", "two@example.org"]


def test_unreachable_server_is_reported_not_raised(app, monkeypatch):
    """Is a dead mail server reported for every recipient instead of crashing the page?"""
    monkeypatch.setitem(app.config, "MAIL_PORT", 1)
    report = mail.send_all([_message("x@example.org"), _message("y@example.org")])
    assert set(report.failed) == {"x@example.org", "y@example.org"}
    assert "cannot reach the mail server" in report.failed["x@example.org"]


def test_without_mail_server_messages_go_to_the_outbox(app, monkeypatch, tmp_path):
    """With no MAIL_SERVER, is each message written as a readable .eml file?"""
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    report = mail.send_all([_message("p@example.org"), _message("q@example.org")])
    assert report.ok
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    parsed = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]
    assert {m["To"] for m in parsed} == {"p@example.org", "q@example.org"}
    assert parsed[0].get_body(("html",)) is not None


def test_calendar_part_and_attachment(app, mailbox):
    """Is an iTIP body sent inline with its method and attached as a file?"""
    ics = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    message = _message("cal@example.org")
    message.calendar = mail.CalendarPart(ics=ics, method="REQUEST")
    mail.send(message)
    received = mailbox.last("cal@example.org")
    assert received.get_content_type() == "multipart/mixed"
    alternative = next(
        p for p in received.iter_parts() if p.get_content_type() == "multipart/alternative"
    )
    types = [p.get_content_type() for p in alternative.iter_parts()]
    assert types == ["text/plain", "text/html", "text/calendar"]
    calendar = list(alternative.iter_parts())[2]
    assert calendar.get_param("method") == "REQUEST"
    attachment = next(received.iter_attachments())
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content() == ics
