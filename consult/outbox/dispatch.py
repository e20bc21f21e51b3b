"""After a commit, ask the workers to deliver the messages that commit queued.

The session remembers which outbox rows each flush wrote as due now; after a
commit it enqueues a delivery job for them, after a rollback it forgets them. If
the enqueue is lost (the queue is down, the process dies right after the
commit) nothing is stranded: the periodic sweep delivers every due row.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from consult import jobs
from consult.database import utcnow
from consult.outbox.models import OutboxMessage, OutboxStatus

_DUE = "consult_outbox_due"
#: A commit that queued this many messages or fewer is someone waiting (a reset, a
#: registration): its delivery jumps ahead of a large mailing's.
SMALL = 3


def _collect(session: Session, flush_context: Any) -> None:
    now = utcnow()
    due = [
        row.id
        for row in (*session.new, *session.dirty)
        if isinstance(row, OutboxMessage)
        and row.status is OutboxStatus.QUEUED
        and row.next_attempt_at <= now
    ]
    if due:
        session.info.setdefault(_DUE, set()).update(due)


def _forget(session: Session, *args: Any) -> None:
    session.info.pop(_DUE, None)


def _deliver_after_commit(session: Session) -> None:
    due = session.info.pop(_DUE, None)
    if not due or not has_app_context():
        return
    ids = sorted(due)
    size = current_app.config["OUTBOX_BATCH_SIZE"]
    priority = 10 if len(ids) <= SMALL else 0
    try:
        for start in range(0, len(ids), size):
            jobs.enqueue("outbox.deliver", ids[start : start + size], priority=priority)
    except Exception:  # the rows are committed: the sweep will send them
        current_app.logger.exception("Could not enqueue the delivery of outbox rows %s", ids)


def listen() -> None:
    """Watch every session (once per process)."""
    if not event.contains(Session, "after_commit", _deliver_after_commit):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "after_rollback", _forget)
        event.listen(Session, "after_commit", _deliver_after_commit)
