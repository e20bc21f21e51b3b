"""Every e-mail Consult sends is written and carried by this module.

Requests never send: they write rows to the outbox (:mod:`consult.outbox`), and
workers turn each row into a :class:`Message` and hand it to a transport. With
``MAIL_SERVER`` set the transport is SMTP, one connection for a whole batch;
without it, each message is written as an ``.eml`` file to the outbox folder, so
a local install needs no mail server.
"""

from __future__ import annotations

import functools
import smtplib
import ssl
import uuid
from collections.abc import Iterator
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


@contextmanager
def in_language_of(recipient: Any) -> Iterator[None]:
    """Render what follows in the recipient's language when the site offers it, else the default.

    Works outside a request too (the workers, mail-in). Members have a saved language;
    an event registrant has the language of the page they registered from. A recipient
    without one gets the current locale (the worker sets the language of the page that
    queued the letter).
    """
    from consult.i18n.locales import normalise

    language = getattr(recipient, "language", None)
    if language is None:
        yield
        return
    config = current_app.config
    language = normalise(language, config["LANGUAGES"]) or config["BABEL_DEFAULT_LOCALE"]
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


def sender_domain() -> str:
    """The domain of ``MAIL_DEFAULT_SENDER`` (for Message-IDs and reply addresses)."""
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2] or "localhost"


def new_message_id() -> str:
    """A fresh, globally unique Message-ID on the sender's domain."""
    return make_msgid(domain=sender_domain())


def build(message: Message, message_id: str | None = None) -> EmailMessage:
    """Assemble the MIME tree: alternative(text, html[, calendar]) inside mixed when attached.

    ``message_id`` is kept when given: an outbox row has one for life, so a message
    sent twice (a worker died before recording it) is recognised as the same one.

    Lines end in CRLF everywhere, as RFC 5322 and iCalendar (RFC 5545 3.1) want, in the
    outbox files too: some calendar programs refuse a text/calendar part with bare LFs.
    """
    sender = message.sender or current_app.config["MAIL_DEFAULT_SENDER"]
    email = EmailMessage(policy=SMTP)
    # user text may hold line breaks; other spaces stay (French puts a no-break space before ":")
    email["Subject"] = " ".join(message.subject.splitlines()).strip()
    email["From"] = sender
    email["To"] = message.to
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message_id or new_message_id()
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


def envelope_sender() -> str:
    """The SMTP envelope sender (where bounces go): the site's own address, ``MAIL_DEFAULT_SENDER``,
    even for a message From another address (an invitation From its reply address), so that
    bounces never reach ``mail-in``."""
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The TLS settings of every SMTP connection, made once per process.

    Making one reads the system's certificate authorities (tens of milliseconds), which
    would otherwise be paid again for each connection, that is for each delivery job.
    """
    return ssl.create_default_context()


def _connect() -> smtplib.SMTP:
    config = current_app.config
    server, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        connection: smtplib.SMTP = smtplib.SMTP_SSL(
            server, port, timeout=timeout, context=tls_context()
        )
    else:
        connection = smtplib.SMTP(server, port, timeout=timeout)
        if config["MAIL_USE_TLS"]:
            connection.starttls(context=tls_context())
    if config["MAIL_USERNAME"]:
        connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return connection


# --- transports: how the workers hand a built message over ------------------------------


class DeliveryError(Exception):
    """A message was not accepted; ``permanent`` when the server said no for good (5xx)."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class TransportDown(DeliveryError):
    """The mail server cannot be reached (or dropped us): every message left must wait."""


def _answer(code: int, text: bytes | str) -> str:
    """An SMTP answer as the server gave it, e.g. ``550 5.1.1 mailbox unavailable``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


class SmtpTransport:
    """One SMTP connection for a batch, opened at the first message and reopened once if lost."""

    def __init__(self) -> None:
        self._connection: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        if self._connection is None:
            try:
                self._connection = _connect()
            except (OSError, smtplib.SMTPException) as error:
                raise TransportDown(f"cannot reach the mail server: {error}") from error
        return self._connection

    def send(self, email: EmailMessage) -> None:
        """Hand ``email`` to the server; :class:`DeliveryError` says why it was not taken."""
        for attempt in (1, 2):
            connection = self._open()
            try:
                connection.send_message(email, from_addr=envelope_sender())
                return
            except smtplib.SMTPRecipientsRefused as error:
                code, text = next(iter(error.recipients.values()))
                raise DeliveryError(_answer(code, text), permanent=500 <= code < 600) from error
            except smtplib.SMTPResponseException as error:  # sender refused, data refused ...
                answer = _answer(error.smtp_code, error.smtp_error)
                raise DeliveryError(answer, permanent=500 <= error.smtp_code < 600) from error
            except smtplib.SMTPServerDisconnected as error:
                self.close()
                if attempt == 2:
                    raise TransportDown(
                        f"the mail server closed the connection: {error}"
                    ) from error
            except (OSError, smtplib.SMTPException) as error:  # timeout, reset ...
                self.close()
                raise TransportDown(f"the mail server did not answer: {error}") from error

    def close(self) -> None:
        """Say goodbye to the server, or just drop the connection if it is gone."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()


class FolderTransport:
    """Without a mail server: each message becomes an ``.eml`` file in ``MAIL_OUTBOX_DIR``."""

    def __init__(self) -> None:
        self.folder = Path(current_app.config["MAIL_OUTBOX_DIR"])

    def send(self, email: EmailMessage) -> None:
        """Write the file; a full or read-only disk is a temporary failure."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / f"{stamp}-{uuid.uuid4().hex[:12]}.eml").write_bytes(email.as_bytes())
        except OSError as error:
            raise TransportDown(f"cannot write to {self.folder}: {error}") from error

    def close(self) -> None:
        """Nothing to close."""


def open_transport() -> SmtpTransport | FolderTransport:
    """SMTP when ``MAIL_SERVER`` is set, else the outbox folder."""
    return SmtpTransport() if current_app.config.get("MAIL_SERVER") else FolderTransport()
