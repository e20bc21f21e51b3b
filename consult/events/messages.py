"""The Secretariat's messages to registrants: who they go to, and the log of what was sent.

A message goes to a filtered group (some statuses, optionally one constituency and
one country group), each copy with one greeting and one signature added by the
letter, Reply-To the Secretariat. It is kept as a :class:`Mailing` whose copies the
outbox counts as delivered, failed or still queued.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.accounts.models import Constituency, User
from consult.events.countries import GROUP_LABELS
from consult.events.models import Event, Registration, Status
from consult.extensions import db
from consult.outbox.counts import mailing_counts
from consult.outbox.models import Mailing, OutboxStatus

#: The statuses a message may go to (not those declined or cancelled).
STATUSES = (Status.CONFIRMED, Status.WAITING, Status.PENDING)


def scope(event: Event) -> str:
    """The log key of an event's messages."""
    return f"event:{event.id}"


@dataclass(frozen=True)
class Audience:
    """Who a message goes to; unknown values in the query string are dropped."""

    statuses: tuple[Status, ...] = (Status.CONFIRMED,)
    constituency_id: int | None = None
    group: str = ""

    @classmethod
    def from_args(cls, args: Any) -> Audience:
        """Read the audience from a query string (``status`` may repeat); confirmed by default."""
        wanted = set(args.getlist("status"))
        statuses = tuple(s for s in STATUSES if s.value in wanted) or (Status.CONFIRMED,)
        raw = args.get("constituency", "")
        constituency = int(raw) if raw.isdecimal() and len(raw) < 10 else None
        if constituency is not None and db.session.get(Constituency, constituency) is None:
            constituency = None
        group = args.get("group", "")
        return cls(statuses, constituency, group if group in GROUP_LABELS else "")

    def args(self) -> dict[str, Any]:
        """Query-string values for a link to this audience."""
        values: dict[str, Any] = {"status": [s.value for s in self.statuses]}
        if self.constituency_id:
            values["constituency"] = self.constituency_id
        if self.group:
            values["group"] = self.group
        return values

    def describe(self) -> str:
        """The audience in words, in the current language (for the log)."""
        parts = [", ".join(str(s.label) for s in self.statuses)]
        if self.constituency_id:
            constituency = db.session.get(Constituency, self.constituency_id)
            parts.append(constituency.name if constituency else "")
        if self.group:
            parts.append(str(GROUP_LABELS[self.group]))
        return " · ".join(part for part in parts if part)


def recipients(event: Event, audience: Audience) -> list[Registration]:
    """The event's registrations in ``audience``, in order of arrival."""
    statement = (
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status.in_(audience.statuses),
        )
        .options(selectinload(Registration.constituency))
        .order_by(Registration.arrival)
    )
    if audience.constituency_id:
        statement = statement.where(Registration.constituency_id == audience.constituency_id)
    if audience.group:
        statement = statement.where(Registration.country_group == audience.group)
    return list(db.session.scalars(statement))


def reply_address(author: User) -> str:
    """Replies go to the Secretariat's address (``SECRETARIAT_EMAIL``), else to the writer."""
    return current_app.config.get("SECRETARIAT_EMAIL") or author.email


def new_mailing(event: Event, audience: Audience, subject: str, body: str, author: User) -> Mailing:
    """The log entry of a message about to be queued."""
    return Mailing(
        scope=scope(event),
        subject=" ".join(subject.split()),
        body=body.strip(),
        audience=audience.describe(),
        author_id=author.id,
        author_name=author.display_name,
        reply_to=reply_address(author),
    )


@dataclass(frozen=True)
class LogEntry:
    """One message in the log, with how its copies stand."""

    mailing: Mailing
    sent: int
    failed: int
    waiting: int


def log(event: Event) -> list[LogEntry]:
    """The event's messages, newest first, each with its delivered, failed and waiting counts."""
    mailings = list(
        db.session.scalars(
            select(Mailing).where(Mailing.scope == scope(event)).order_by(Mailing.id.desc())
        )
    )
    counts = mailing_counts([m.id for m in mailings])
    entries = []
    for mailing in mailings:
        by_status = counts[mailing.id]
        entries.append(
            LogEntry(
                mailing,
                sent=by_status.get(OutboxStatus.SENT, 0),
                failed=by_status.get(OutboxStatus.FAILED, 0)
                + by_status.get(OutboxStatus.SKIPPED, 0),
                waiting=by_status.get(OutboxStatus.QUEUED, 0)
                + by_status.get(OutboxStatus.SENDING, 0),
            )
        )
    return entries


#: Shown beside the message field: the letter adds these itself.
BODY_HINT = _l(
    "Write only the message: each copy begins “Dear <name>,” and ends with your name, "
    "“for the Secretariat” and the registrant's private link. Leave a blank line between paragraphs."
)
