"""Every e-mail Consult sends goes through this module.

With ``MAIL_SERVER`` set, messages go out over SMTP, a whole batch through one
connection; without it, each message is written as an ``.eml`` file to the
outbox folder, so a local install needs no mail server.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale


@dataclass(frozen=True)
class Attachment:
    """A file attached to a message."""

    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


@dataclass(frozen=True)
class CalendarPart:
    """An iTIP body (RFC 6047): shown inline by mail clients and attached as a file."""

    ics: bytes
    method: str
    filename: str = "invite.ics"


@dataclass
class Message:
    """An e-mail to send: always a text part and an HTML part."""

    to: str
    subject: str
    text: str
    html: str
    calendar: CalendarPart | None = None
    attachments: list[Attachment] = field(default_factory=list)
    reply_to: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    sender: str | None = None


@dataclass
class DeliveryReport:
    """What happened to a batch: who got it, and why the others did not."""

    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every message went out."""
        return not self.failed


@contextmanager
def in_language_of(recipient: Any) -> Iterator[None]:
    """Render what follows in the recipient's language when the site offers it, else the default.

    Works outside a request too (cron commands, mail-in). A recipient without a
    language (an event registrant) gets the current locale: the page they used.
    """
    language = getattr(recipient, "language", None)
    if language is None:
        yield
        return
    config = current_app.config
    if language not in config["LANGUAGES"]:
        language = config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        yield


def render(template: str, **context: Any) -> tuple[str, str]:
    """Render ``templates/email/<template>.txt`` and ``.html`` with ``context``."""
    text = render_template(f"email/{template}.txt", **context)
    html = render_template(f"email/{template}.html", **context)
    return text, html


def compose(
    recipient: Any,
    template: str,
    subject: object,
    *,
    calendar: CalendarPart | None = None,
    reply_to: str | None = None,
    **context: Any,
) -> Message:
    """A message to ``recipient`` (anything with ``email``), written in their language.

    ``subject`` is a lazy string (``lazy_gettext``), translated with the templates
    ``email/<template>.txt`` and ``.html``.
    """
    with in_language_of(recipient):
        text, html = render(template, **context)
        return Message(
            to=recipient.email,
            subject=str(subject),
            text=text,
            html=html,
            calendar=calendar,
            reply_to=reply_to,
        )


def build(message: Message) -> EmailMessage:
    """Assemble the MIME tree: alternative(text, html[, calendar]) inside mixed when attached.

    Lines end in CRLF everywhere, as RFC 5322 and iCalendar (RFC 5545 3.1) want, in the
    outbox files too: some calendar programs refuse a text/calendar part with bare LFs.
    """
    sender = message.sender or current_app.config["MAIL_DEFAULT_SENDER"]
    email = EmailMessage(policy=SMTP)
    email["Subject"] = " ".join(message.subject.split())  # user text may hold line breaks
    email["From"] = sender
    email["To"] = message.to
    email["Date"] = formatdate(localtime=False)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    email["Message-ID"] = make_msgid(domain=domain)
    if message.reply_to:
        email["Reply-To"] = message.reply_to
    for name, value in message.headers.items():
        email[name] = value

    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    if message.calendar:
        email.add_alternative(
            message.calendar.ics.decode("utf-8"),
            subtype="calendar",
            params={"method": message.calendar.method},
        )
    attachments = list(message.attachments)
    if message.calendar:
        attachments.insert(
            0, Attachment(message.calendar.filename, message.calendar.ics, "application/ics")
        )
    for attachment in attachments:
        maintype, _, subtype = attachment.mimetype.partition("/")
        email.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return email


def send(message: Message) -> DeliveryReport:
    """Send one message."""
    return send_all([message])


def send_all(messages: Iterable[Message]) -> DeliveryReport:
    """Send a batch through one connection; a failure for one recipient spares the others."""
    built = [(message.to, build(message)) for message in messages]
    report = DeliveryReport()
    if not built:
        return report
    if current_app.config.get("MAIL_SERVER"):
        _send_smtp(built, report)
    else:
        _write_outbox(built, report)
    for recipient, reason in report.failed.items():
        current_app.logger.warning("Mail to %s failed: %s", recipient, reason)
    return report


def _write_outbox(built: list[tuple[str, EmailMessage]], report: DeliveryReport) -> None:
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    for recipient, email in built:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = outbox / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
        path.write_bytes(email.as_bytes())
        report.sent.append(recipient)


def _connect() -> smtplib.SMTP:
    config = current_app.config
    server, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    context = ssl.create_default_context()
    if config["MAIL_USE_SSL"]:
        connection: smtplib.SMTP = smtplib.SMTP_SSL(server, port, timeout=timeout, context=context)
    else:
        connection = smtplib.SMTP(server, port, timeout=timeout)
        if config["MAIL_USE_TLS"]:
            connection.starttls(context=context)
    if config["MAIL_USERNAME"]:
        connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return connection


def _send_smtp(built: list[tuple[str, EmailMessage]], report: DeliveryReport) -> None:
    try:
        connection = _connect()
    except (OSError, smtplib.SMTPException) as error:
        for recipient, _ in built:
            report.failed[recipient] = f"cannot reach the mail server: {error}"
        return
    try:
        for recipient, email in built:
            try:
                connection.send_message(email)
            except smtplib.SMTPServerDisconnected:
                try:
                    connection = _connect()
                    connection.send_message(email)
                except (OSError, smtplib.SMTPException) as error:
                    report.failed[recipient] = str(error)
                    continue
            except (OSError, smtplib.SMTPException) as error:
                report.failed[recipient] = str(error)
                continue
            report.sent.append(recipient)
    finally:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
