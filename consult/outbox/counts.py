"""How many messages stand where: for the outbox page, and for each mailing's log entry."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.extensions import db
from consult.outbox.models import OutboxMessage, OutboxStatus


def status_counts() -> dict[OutboxStatus, int]:
    """Every message, counted by status."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    return {status: count for status, count in rows}


def mailing_counts(mailing_ids: list[int]) -> dict[int, dict[OutboxStatus, int]]:
    """For each mailing, its copies counted by status (one query for them all)."""
    counts: dict[int, dict[OutboxStatus, int]] = {i: {} for i in mailing_ids}
    if mailing_ids:
        rows = db.session.execute(
            select(OutboxMessage.mailing_id, OutboxMessage.status, func.count())
            .where(OutboxMessage.mailing_id.in_(mailing_ids))
            .group_by(OutboxMessage.mailing_id, OutboxMessage.status)
        ).all()
        for mailing_id, status, count in rows:
            counts[mailing_id][status] = count
    return counts
