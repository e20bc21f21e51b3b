"""Incoming mail: ``flask --app consult mail-in < message.eml``.

Capabilities answer ``signals.mail_handlers`` with a :class:`MailHandler`; each
handler looks at the parsed message and says whether it took it (an iTIP REPLY
for a call, a reply to a comment ...). A message nobody takes is logged and dropped.

Mail servers deliver again when they are not sure a pipe took a message, so each
message is acted on once: its Message-ID (or, without one, a digest of its bytes)
is recorded in the transaction of what the handler did, under a unique
constraint; a second copy, even one arriving at the same moment, is a duplicate.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
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
    for handler in signals.ordered(signals.mail_handlers):
        outcome = handler.handle(message)
        if outcome is not Outcome.NOT_MINE:
            return outcome
    current_app.logger.warning(
        "Incoming mail from %s (%s) matched no handler", message["From"], message["Subject"]
    )
    return Outcome.NOT_MINE


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
