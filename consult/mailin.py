"""Incoming mail: ``flask --app consult mail-in < message.eml``.

Capabilities answer ``signals.mail_handlers`` with a :class:`MailHandler`; each
handler looks at the parsed message and says whether it took it (an iTIP REPLY
for a call, a reply to a comment ...). A message nobody takes is logged and dropped.
"""

from __future__ import annotations

import email
import email.policy
import sys
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from enum import Enum

import click
from flask import Flask, current_app

from consult import signals


class Outcome(Enum):
    """What a handler did with a message."""

    NOT_MINE = "not mine"  # let the next handler look
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # meant for this handler, but refused (bad token, unknown sender ...)


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


@click.command("mail-in")
def mail_in_command() -> None:
    """Read one e-mail on standard input and act on it (for a mail server's pipe)."""
    outcome = dispatch(parse(sys.stdin.buffer.read()))
    click.echo(outcome.value)
    if outcome is not Outcome.ACCEPTED:
        sys.exit(1)


def init_app(app: Flask) -> None:
    """Register the command."""
    app.cli.add_command(mail_in_command)
