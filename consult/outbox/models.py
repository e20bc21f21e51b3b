"""The outbox: every e-mail to send, written in the transaction that causes it; and mail received."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.database import str_enum, utcnow
from consult.enums import LabelledEnum
from consult.extensions import db


class OutboxStatus(LabelledEnum):
    """Where a message stands."""

    #: Waiting for a worker (now, or after ``next_attempt_at``).
    QUEUED = "queued", _l("queued")
    #: Claimed by a worker until ``claimed_until``.
    SENDING = "sending", _l("sending")
    #: The mail server accepted it.
    SENT = "sent", _l("sent")
    #: Refused for good (5xx), or refused for now too many times.
    FAILED = "failed", _l("failed")
    #: Nothing to send any more (what it was about is gone).
    SKIPPED = "skipped", _l("not sent")


class OutboxMessage(db.Model):
    """One e-mail to one recipient: which letter and its parameters, never its rendered text.

    The worker writes the letter when it sends it (in the recipient's language, with
    links under ``PUBLIC_URL``), so a request only inserts this row.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The address, lower-cased.
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    #: Which letter: a name registered with :func:`consult.outbox.letters.letter`.
    kind: Mapped[str] = mapped_column(String(60))
    #: What the letter needs: ids and plain values only (no HTML, no URLs).
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The language of the page that caused it, for recipients who have none of their own.
    language: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.QUEUED
    )
    #: Delivery attempts so far (counted when a worker claims the message).
    attempts: Mapped[int] = mapped_column(default=0)
    #: Not to be tried before this moment (backoff after a temporary failure).
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The worker's claim: a random token, and when the claim lapses if the worker dies.
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None]
    #: The mail server's answer to the last attempt, or why nothing was sent.
    last_error: Mapped[str] = mapped_column(String(1000), default="")
    #: The same Message-ID on every attempt, so a repeated delivery is recognisably one message.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    #: The message written once for many, when this is one copy of it.
    mailing_id: Mapped[int | None] = mapped_column(
        ForeignKey("mailings.id", ondelete="SET NULL"), index=True
    )

    mailing: Mapped[Mailing | None] = relationship(back_populates="messages")

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} to {self.recipient}: {self.status}>"


class Mailing(db.Model):
    """A message the Secretariat wrote once and sent to a group: the log of what went to whom."""

    __tablename__ = "mailings"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What it belongs to, such as ``event:12``; pages list the mailings of their scope.
    scope: Mapped[str] = mapped_column(String(60), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    #: Who it went to, in words (e.g. "confirmed, waiting · Developing countries").
    audience: Mapped[str] = mapped_column(String(300), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The signature: the writer's name when it was sent.
    author_name: Mapped[str] = mapped_column(String(120), default="")
    reply_to: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    messages: Mapped[list[OutboxMessage]] = relationship(back_populates="mailing")

    def __repr__(self) -> str:
        return f"<Mailing {self.id} {self.scope}: {self.subject!r}>"


class ReceivedMessage(db.Model):
    """An incoming e-mail already acted on, so that a redelivered copy is not acted on twice."""

    __tablename__ = "received_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The Message-ID header, or a digest of the whole message when it has none.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    #: What was done with it (``accepted``, ``rejected``, ``not mine``).
    outcome: Mapped[str] = mapped_column(String(20), default="")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<ReceivedMessage {self.message_id}: {self.outcome}>"
