"""The one mail module: messages built once, carried by SMTP when configured, else to a folder."""

import email
import email.policy

import pytest

from consult import mail


def _message(to: str = "a@example.org") -> mail.Message:
    return mail.Message(to=to, subject="Agenda", text="Plain agenda", html="<p>HTML agenda</p>")


def _send(*messages: mail.Message) -> list[str | None]:
    """Send through one transport; for each message, None or why it was not taken."""
    transport = mail.open_transport()
    outcomes: list[str | None] = []
    try:
        for message in messages:
            try:
                transport.send(mail.build(message))
                outcomes.append(None)
            except mail.DeliveryError as error:
                outcomes.append(
                    ("permanent: " if error.permanent else "temporary: ") + error.reason
                )
    finally:
        transport.close()
    return outcomes


def test_smtp_delivers_text_and_html_parts(app, mailbox):
    """Does a message reach a real SMTP server with a text and an HTML part?"""
    assert _send(_message()) == [None]
    message = mailbox.last("a@example.org")
    assert message["From"] == "Consult <consult@example.org>"
    assert message.get_body(("plain",)).get_content().strip() == "Plain agenda"
    assert "<p>HTML agenda</p>" in message.get_body(("html",)).get_content()
    assert message["Message-ID"] and message["Date"]


def test_a_given_message_id_is_kept(app, mailbox):
    """Does a message built with a Message-ID carry exactly that one (for repeated attempts)?"""
    transport = mail.open_transport()
    transport.send(mail.build(_message(), "<fixed-1@example.org>"))
    transport.close()
    assert mailbox.last()["Message-ID"] == "<fixed-1@example.org>"


def test_one_connection_and_refusals_per_recipient(app, mailbox):
    """Does a refused recipient fail alone (5xx permanent, 4xx temporary), over one connection?"""
    mailbox.refuse.add("bad@example.org")
    mailbox.defer.add("later@example.org")
    outcomes = _send(
        _message("one@example.org"),
        _message("bad@example.org"),
        _message("later@example.org"),
        _message("two@example.org"),
    )
    assert outcomes == [
        None,
        "permanent: 550 5.1.1 mailbox unavailable",
        "temporary: 450 4.2.1 mailbox busy, try again later",
        None,
    ]
    assert [m["To"] for m in mailbox.messages] == ["one@example.org", "two@example.org"]
    assert len(set(mailbox.peers)) == 1


def test_unreachable_server_is_a_temporary_failure(app, monkeypatch):
    """Is a dead mail server a TransportDown (the batch waits), not a crash?"""
    monkeypatch.setitem(app.config, "MAIL_PORT", 1)
    transport = mail.open_transport()
    with pytest.raises(mail.TransportDown, match="cannot reach the mail server") as down:
        transport.send(mail.build(_message("x@example.org")))
    assert not down.value.permanent
    transport.close()


def test_without_mail_server_messages_go_to_the_outbox_folder(app, monkeypatch, tmp_path):
    """With no MAIL_SERVER, is each message written as a readable .eml file?"""
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    assert _send(_message("p@example.org"), _message("q@example.org")) == [None, None]
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
    _send(message)
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
