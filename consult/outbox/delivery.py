"""Workers deliver the outbox: claim a batch, write each letter, send it, record the answer.

What is guaranteed, and why:

- **Claimed before sent.** A worker first claims due rows in one statement
  (``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)`` on PostgreSQL; on
  SQLite the same ``UPDATE`` under the database's write lock), marking them
  ``sending`` with a random claim token and a lease. Two workers never hold the
  same row, so two workers never send it at the same time.
- **Recorded right after it is accepted.** Each message is marked ``sent`` (and
  committed) as soon as the server accepts it, and the lease of the rest of the
  batch is renewed in the same commit.
- **A dead worker loses nothing.** Rows it held come back to the queue when their
  lease ends, and the sweep sends them.
- **At most one message is sent twice, per worker thread that dies:** the one the
  server had accepted when the worker died, before it could record it. The copy
  carries the same Message-ID (one per row, for life), so mail programs show it
  once. Every other message is sent exactly once.
- **Temporary failures wait and retry** (4xx answers, no connection, timeouts),
  after 1, 2, 4 ... minutes (at most six hours), until ``OUTBOX_MAX_ATTEMPTS``;
  a permanent refusal (5xx) is marked ``failed`` at once with the server's answer.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import and_, case, delete, or_, select, update

from consult import jobs, mail
from consult.database import utcnow
from consult.extensions import db
from consult.outbox.letters import LETTERS, NothingToSend
from consult.outbox.models import OutboxMessage, OutboxStatus, ReceivedMessage

#: Longest wait between two tries of a message.
MAX_BACKOFF = timedelta(hours=6)
#: How long the sweep keeps delivering before it lets the next sweep go on.
SWEEP_BUDGET = timedelta(seconds=50)


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after ``attempts`` tries: 1, 2, 4 ... minutes, capped."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _due(now: datetime):
    return or_(
        and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_until < now),
    )


def _lease(now: datetime) -> datetime:
    return now + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])


def claim(
    ids: Sequence[int] | None = None, *, limit: int | None = None, fill: bool = False
) -> tuple[str, list[int]]:
    """Claim due rows (among ``ids`` when given), oldest first; return the token and their ids.

    With ``fill``, ``ids`` come first and other due rows fill the rest of the batch.
    """
    now = utcnow()
    token = secrets.token_hex(16)
    limit = limit or current_app.config["OUTBOX_BATCH_SIZE"]
    candidates = select(OutboxMessage.id).where(_due(now)).limit(limit)
    if ids is not None and fill:
        asked = case((OutboxMessage.id.in_(list(ids)), 0), else_=1)
        candidates = candidates.order_by(asked, OutboxMessage.id)
    elif ids is not None:
        candidates = candidates.where(OutboxMessage.id.in_(list(ids))).order_by(OutboxMessage.id)
    else:
        candidates = candidates.order_by(OutboxMessage.id)
    if db.session.scalar(candidates.with_only_columns(OutboxMessage.id).limit(1)) is None:
        db.session.commit()
        return token, []  # nothing due: no write, so an idle sweep never holds SQLite's lock
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    _write_transaction()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates.scalar_subquery()), _due(now))
        .values(
            status=OutboxStatus.SENDING,
            claim=token,
            claimed_until=_lease(now),
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    claimed = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.claim == token, OutboxMessage.status == OutboxStatus.SENDING)
        .order_by(OutboxMessage.id)
    ).all()
    return token, list(claimed)


def _write_transaction() -> None:
    """End what this session read and start a write transaction (on SQLite: take the lock now).

    A SQLite reader that later writes fails at once if another process wrote in
    between; taking the write lock first makes it wait its turn instead.
    """
    db.session.commit()
    db.session.connection(execution_options={"sqlite_immediate": True})


def _finish(row: OutboxMessage, token: str, status: OutboxStatus, error: str = "") -> None:
    """Record the outcome of ``row`` if this worker still holds it; renew the rest of the batch."""
    row_id, attempts, kind = row.id, row.attempts, row.kind
    _write_transaction()
    now = utcnow()
    values: dict = {
        "status": status,
        "last_error": error[:1000],
        "claim": None,
        "claimed_until": None,
    }
    if status is OutboxStatus.SENT:
        values["sent_at"] = now
    elif status is OutboxStatus.QUEUED:
        values["next_attempt_at"] = now + backoff(attempts)
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.claim == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.claim == token, OutboxMessage.status == OutboxStatus.SENDING)
        .values(claimed_until=_lease(now))
        .execution_options(synchronize_session=False)
    )
    known = LETTERS.get(kind)
    if result.rowcount == 1 and known and known.on_result:
        db.session.refresh(row)
        known.on_result(row)
    db.session.commit()


def _temporary(row: OutboxMessage, token: str, reason: str) -> None:
    """A temporary failure: try again later, unless this was the last allowed try."""
    if row.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        _finish(row, token, OutboxStatus.FAILED, f"{reason} (gave up after {row.attempts} tries)")
    else:
        _finish(row, token, OutboxStatus.QUEUED, reason)


def render(row: OutboxMessage) -> mail.Message:
    """Write the letter of ``row`` in its language (the recipient's own, if they have one)."""
    known = LETTERS.get(row.kind)
    if known is None:
        raise NothingToSend(f"no letter of kind {row.kind!r} is known to this version of Consult")
    language = row.language or current_app.config["BABEL_DEFAULT_LOCALE"]
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        message = known.render(row.recipient, dict(row.params or {}))
    message.to = row.recipient  # the address the outbox page shows is the one written to
    return message


def _still_mine(token: str) -> set[int]:
    return set(
        db.session.scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.claim == token, OutboxMessage.status == OutboxStatus.SENDING
            )
        )
    )


def send_claimed(token: str, ids: Iterable[int]) -> dict[str, int]:
    """Write and send the claimed rows through one connection; count what became of them."""
    counts = {status.value: 0 for status in OutboxStatus}
    transport = mail.open_transport()
    pending = list(ids)
    try:
        while pending:
            row_id = pending.pop(0)
            row = db.session.get(OutboxMessage, row_id, populate_existing=True)
            if row is None or row.claim != token or row.status is not OutboxStatus.SENDING:
                continue  # taken back by another worker after our lease ran out
            try:
                email = mail.build(render(row), row.message_id)
            except NothingToSend as reason:
                _finish(row, token, OutboxStatus.SKIPPED, str(reason))
                counts["skipped"] += 1
                continue
            except Exception as error:  # a bug in a letter: say so, do not block the batch
                db.session.rollback()
                current_app.logger.exception("Could not write outbox message %s", row_id)
                _finish(row, token, OutboxStatus.FAILED, f"could not be written: {error!r}")
                counts["failed"] += 1
                continue
            try:
                transport.send(email)
            except mail.TransportDown as down:
                _temporary(row, token, down.reason)
                counts["queued"] += 1
                for other in sorted(_still_mine(token)):  # no server: the rest waits too
                    waiting = db.session.get(OutboxMessage, other, populate_existing=True)
                    if waiting is not None:
                        _temporary(waiting, token, down.reason)
                        counts["queued"] += 1
                pending = []
            except mail.DeliveryError as refused:
                if refused.permanent:
                    _finish(row, token, OutboxStatus.FAILED, refused.reason)
                    counts["failed"] += 1
                else:
                    _temporary(row, token, refused.reason)
                    counts["queued"] += 1
            else:
                _finish(row, token, OutboxStatus.SENT)
                counts["sent"] += 1
    finally:
        transport.close()
    return counts


def deliver(ids: Sequence[int] | None = None) -> dict[str, int]:
    """Claim the due rows among ``ids`` (or any due rows) and send them.

    Other due rows fill the batch, through the same connection: when messages come
    faster than one connection each, a worker catches up in batches, and the jobs
    of the rows it took find nothing left to do.
    """
    token, claimed = claim(ids, fill=ids is not None)
    if not claimed:
        return {}
    return send_claimed(token, claimed)


def sweep() -> int:
    """Deliver every due row, batch after batch, for up to :data:`SWEEP_BUDGET`; return the count.

    Runs every minute in the workers and when a worker starts, so that a message
    whose delivery job was lost, or whose worker died, or whose retry time has come,
    goes out. Several sweeps at once share the work through their claims.
    """
    started = utcnow()
    done = 0
    while utcnow() - started < SWEEP_BUDGET:
        token, claimed = claim()
        if not claimed:
            break
        done += sum(send_claimed(token, claimed).values())
    return done


def retry(message: OutboxMessage) -> bool:
    """Put a failed or skipped message (or one waiting for its next try) back in the queue now."""
    if message.status in (OutboxStatus.SENT, OutboxStatus.SENDING):
        return False
    message.status = OutboxStatus.QUEUED
    message.next_attempt_at = utcnow()
    message.last_error = ""
    return True


def purge(now: datetime | None = None) -> int:
    """Forget old messages: sent or skipped ones (not copies of a logged mailing) and old
    received Message-IDs, after ``OUTBOX_KEEP_DAYS``; failed ones stay for the Secretariat."""
    cutoff = (now or utcnow()) - timedelta(days=current_app.config["OUTBOX_KEEP_DAYS"])
    gone = db.session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.status.in_((OutboxStatus.SENT, OutboxStatus.SKIPPED)),
            OutboxMessage.created_at < cutoff,
            OutboxMessage.mailing_id.is_(None),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.execute(
        delete(ReceivedMessage)
        .where(ReceivedMessage.received_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return gone


@jobs.task("outbox.deliver", priority=5)
def deliver_job(ids: list[int]) -> None:
    """Deliver the messages a commit has just queued."""
    deliver(ids)


@jobs.periodic("outbox.sweep", jobs.crontab(minute="*"))
def sweep_job() -> None:
    """Every minute: deliver whatever is due and was not delivered yet."""
    sweep()


@jobs.periodic("outbox.purge", jobs.crontab(minute="45", hour="3"))
def purge_job() -> None:
    """Every day at 03:45 UTC: forget what is old enough (see :func:`purge`)."""
    purge()
