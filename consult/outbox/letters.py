"""Letters by kind: a request calls :func:`enqueue`; a worker calls the kind's renderer.

Each capability's ``notifications.py`` declares its letters with :func:`letter`:

    @letter("accounts.invite", label=_l("Invitation to join"))
    def invitation(recipient: str, params: dict) -> mail.Message: ...

A renderer turns the stored parameters (ids and plain values) into a
:class:`consult.mail.Message` in the recipient's language, reading the database
as it is when the message goes out. It raises :class:`NothingToSend` when what
the letter was about is gone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import has_request_context
from flask_babel import get_locale

from consult import mail
from consult.database import utcnow
from consult.extensions import db
from consult.outbox.models import Mailing, OutboxMessage, OutboxStatus

Renderer = Callable[[str, dict[str, Any]], mail.Message]
#: Called in the worker's transaction once a message is sent, failed or skipped.
ResultHook = Callable[[OutboxMessage], None]


class NothingToSend(Exception):
    """The letter has no reason to go out any more; the message says why (shown to the Secretariat)."""


@dataclass(frozen=True)
class Letter:
    """How to write one kind of message, and what to do once it is delivered or not."""

    kind: str
    render: Renderer
    label: object
    on_result: ResultHook | None = None


#: Every kind of letter, filled when the capabilities' notification modules are imported.
LETTERS: dict[str, Letter] = {}


def letter(
    kind: str, *, label: object, on_result: ResultHook | None = None
) -> Callable[[Renderer], Renderer]:
    """Declare the renderer of ``kind``; ``label`` names the kind on the outbox page."""

    def declare(render: Renderer) -> Renderer:
        LETTERS[kind] = Letter(kind, render, label, on_result)
        return render

    return declare


def label_of(kind: str) -> str:
    """The kind's name for people (the kind itself when unknown)."""
    known = LETTERS.get(kind)
    return str(known.label) if known else kind


def _page_language() -> str | None:
    if not has_request_context():
        return None
    locale = get_locale()
    return str(locale) if locale else None


def enqueue(
    recipient: str,
    kind: str,
    params: dict[str, Any] | None = None,
    *,
    mailing: Mailing | None = None,
    message_id: str | None = None,
) -> OutboxMessage:
    """Add one message to the outbox in the current transaction; it goes out after the commit.

    Nothing is sent if the transaction is rolled back. ``params`` must be plain JSON
    (ids, numbers, short strings): the letter is written by the worker. ``message_id``
    (``<...@domain>``, unique) is for letters that other letters refer to, so that mail
    programs thread them; a fresh one is made otherwise.
    """
    if kind not in LETTERS:
        raise KeyError(f"no letter of kind {kind!r} is declared")
    params = dict(params or {})
    json.dumps(params)  # plain values only: fail here, not in the worker
    message = OutboxMessage(
        recipient=recipient.strip().lower(),
        kind=kind,
        params=params,
        language=_page_language(),
        status=OutboxStatus.QUEUED,
        next_attempt_at=utcnow(),
        message_id=message_id or mail.new_message_id(),
        mailing=mailing,
    )
    db.session.add(message)
    return message
