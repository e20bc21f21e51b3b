"""Incoming mail: ``flask --app consult mail-in < message.eml``.

Capabilities answer ``signals.mail_handlers`` with a :class:`MailHandler`; each
handler looks at the parsed message and says whether it took it (an iTIP REPLY
for a call, a reply to a comment ...). A message nobody takes is logged and dropped.

Mail servers deliver again when they are not sure a pipe took a message, so each
message is acted on once: its Message-ID (or, without one, a digest of its bytes)
is recorded in the transaction of what the handler did, under a unique
constraint; a second copy, even one arriving at the same moment, is a duplicate.

Before any handler sees it, a message the receiving mail server marked as failing DKIM,
SPF or DMARC (its ``Authentication-Results`` header, RFC 8601) is refused: its From
cannot be believed. A message carrying a calendar that no handler takes is refused
too, never left as "not mine", so that the log says why a calendar answer was lost.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from enum import Enum

import click
from flask import Flask, current_app
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from consult import signals
from consult.extensions import db


class Outcome(Enum):
    """What a handler did with a message."""

    NOT_MINE = "not mine"  # let the next handler look
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # meant for this handler, but refused (bad token, unknown sender ...)
    DUPLICATE = "duplicate"  # the same message was received before: nothing done again


@dataclass(frozen=True)
class MailHandler:
    """A function that looks at incoming messages, asked in ``order`` (lower first)."""

    handle: Callable[[EmailMessage], Outcome]
    order: int = 100


def parse(raw: bytes) -> EmailMessage:
    """Read raw RFC 5322 bytes as an :class:`EmailMessage`."""
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def dispatch(message: EmailMessage) -> Outcome:
    """Offer ``message`` to each handler in turn; the first that claims it decides."""
    log = current_app.logger
    failed = authentication_failure(message)
    if failed:
        log.warning(
            "Incoming mail from %s (%s) refused: the mail server reports %s",
            message["From"],
            message["Subject"],
            failed,
        )
        return Outcome.REJECTED
    for handler in signals.ordered(signals.mail_handlers):
        outcome = handler.handle(message)
        if outcome is not Outcome.NOT_MINE:
            return outcome
    if calendar_parts(message):
        log.warning(
            "Calendar message from %s (%s) refused: it answers nothing of ours",
            message["From"],
            message["Subject"],
        )
        return Outcome.REJECTED
    log.warning(
        "Incoming mail from %s (%s) matched no handler", message["From"], message["Subject"]
    )
    return Outcome.NOT_MINE


# --- what a message carries ------------------------------------------------------------------

_CALENDAR_TYPES = ("text/calendar", "application/ics", "text/x-vcalendar")


def _is_calendar(part: EmailMessage) -> bool:
    """A calendar whatever its label: by type, by a ``.ics`` name, or by its first line."""
    if part.is_multipart():
        return False
    name = (part.get_filename() or "").lower()
    if part.get_content_type() in _CALENDAR_TYPES or name.endswith((".ics", ".ifb", ".vcs")):
        return True
    if part.get_content_maintype() in ("application", "text") and part.get_content_subtype() in (
        "octet-stream",
        "plain",
        "x-download",
        "force-download",
    ):
        payload = part.get_payload(decode=True) or b""
        return payload.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper() == b"BEGIN:VCALENDAR"
    return False


def calendar_parts(message: EmailMessage) -> list[bytes]:
    """Every calendar the message carries, the inline ones (not attachments) first.

    iTIP over e-mail (RFC 6047) puts the calendar inline as ``text/calendar``; mail
    programs often attach a copy too, under any content type (``application/ics``,
    ``application/octet-stream``). The inline copy is the one meant to be read.
    """
    inline, attached = [], []
    for part in message.walk():
        if not _is_calendar(part):  # type: ignore[arg-type]
            continue
        payload = (part.get_payload(decode=True) or b"").removeprefix(b"\xef\xbb\xbf")
        if not payload:
            continue
        if part.get_content_disposition() == "attachment":
            attached.append(payload)
        else:
            inline.append(payload)
    return inline + attached


_RESULT = re.compile(r"(?:^|;)\s*(dkim|spf|dmarc)\s*=\s*([a-z]+)", re.IGNORECASE)


def _without_comments(value: str) -> str:
    previous = None
    while previous != value:
        previous, value = value, re.sub(r"\([^()]*\)", " ", value)
    return value


def authentication_failure(message: EmailMessage) -> str:
    """What the receiving mail server found wrong with the sender (``dkim=fail`` ...), or "".

    Read from ``Authentication-Results`` (RFC 8601): only those of the servers named in
    ``MAILIN_AUTHSERV_ID`` when it is set, else the topmost one, which the last server
    (ours) added; older ones may come from anywhere. SPF or DMARC failing refuses the
    message; DKIM failing refuses it unless another signature passed.
    """
    trusted = {
        name.strip().lower()
        for name in (current_app.config.get("MAILIN_AUTHSERV_ID") or "").split(",")
        if name.strip()
    }
    headers = [str(value) for value in message.get_all("Authentication-Results", [])]
    if not trusted:
        headers = headers[:1]
    results: dict[str, set[str]] = {}
    for header in headers:
        text = _without_comments(header)
        server = text.split(";", 1)[0].strip().split()[0].lower() if text.strip() else ""
        if trusted and server not in trusted:
            continue
        for method, result in _RESULT.findall(text.split(";", 1)[-1] if ";" in text else ""):
            results.setdefault(method.lower(), set()).add(result.lower())
    failures = [
        f"{method}=fail" for method in ("spf", "dmarc") if "fail" in results.get(method, set())
    ]
    dkim = results.get("dkim", set())
    if "fail" in dkim and "pass" not in dkim:
        failures.append("dkim=fail")
    return ", ".join(failures)


def message_key(raw: bytes, message: EmailMessage) -> str:
    """What identifies a message: its Message-ID, else a digest of its bytes."""
    message_id = " ".join(str(message.get("Message-ID") or "").split())
    if message_id:
        return message_id[:255]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def receive(raw: bytes) -> Outcome:
    """Act on one incoming message once, however many times it is delivered."""
    from consult.outbox.models import ReceivedMessage

    message = parse(raw)
    key = message_key(raw, message)
    seen = select(ReceivedMessage.id).where(ReceivedMessage.message_id == key)
    if db.session.scalar(seen) is not None:
        return Outcome.DUPLICATE
    record = ReceivedMessage(message_id=key)
    db.session.add(record)
    try:
        db.session.flush()  # a copy being handled right now holds this key: wait for it
        outcome = dispatch(message)
        if inspect(record).persistent:
            record.outcome = outcome.value
        db.session.commit()
    except IntegrityError:  # the other copy won
        db.session.rollback()
        return Outcome.DUPLICATE
    except Exception:
        db.session.rollback()  # nothing recorded: the mail server's next try is acted on
        raise
    return outcome


@click.command("mail-in")
def mail_in_command() -> None:
    """Read one e-mail on standard input and act on it (for a mail server's pipe)."""
    outcome = receive(sys.stdin.buffer.read())
    click.echo(outcome.value)
    if outcome not in (Outcome.ACCEPTED, Outcome.DUPLICATE):
        sys.exit(1)


def init_app(app: Flask) -> None:
    """Register the command."""
    app.cli.add_command(mail_in_command)
