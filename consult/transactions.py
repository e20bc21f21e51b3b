"""Write transactions that decide on what they read: locked, committed, retried on conflicts.

A rule such as "no seat given twice" or "no two calls of a series within the
minimum gap" reads, decides and writes. Done in one transaction that first
locks the row it decides about (``SELECT ... FOR UPDATE`` on PostgreSQL; on
SQLite, ``BEGIN IMMEDIATE`` takes the database's write lock), two processes can
never both decide on the same state. Nothing is locked in Python.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

from consult.extensions import db

T = TypeVar("T")

#: How often a transaction is tried again after a lock timeout, deadlock or serialisation failure.
ATTEMPTS = 5


def is_retryable(error: OperationalError) -> bool:
    """Whether the database gave up on a lock (deadlock, timeout, busy) rather than on the data."""
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    if code in {"40001", "40P01", "55P03"}:
        return True
    return "locked" in str(error.orig).lower() or "busy" in str(error.orig).lower()


#: Called with the work's result inside its transaction, before the commit: the e-mails a
#: change causes are queued there, so that the change and its e-mails commit together or not at all.
Then = Callable[[T], None] | None


def _begin_write() -> None:
    """Make the session's transaction one that may write and decide.

    SQLite needs a fresh ``BEGIN IMMEDIATE`` (its write lock before the first read), so
    whatever the request read is ended first. On PostgreSQL (read committed: each
    statement sees what is committed when it runs, and the locks are taken by the
    statements themselves) the request's transaction simply goes on, saving a commit
    and a trip to the connection pool, with everything it had loaded expired so that
    the work reads it afresh, as after a commit; unsaved changes are committed first
    all the same, so that a refusal of the work cannot undo them.
    """
    session = db.session
    if session.get_bind().dialect.name == "sqlite":
        session.commit()
        session.connection(execution_options={"sqlite_immediate": True})
    elif session.new or session.dirty or session.deleted:
        session.commit()
    else:
        session.expire_all()  # read again what the work uses, as after a commit


def in_write_transaction(work: Callable[[], T], then: Then = None) -> T:
    """Run ``work`` (then ``then`` on its result) in one write transaction and commit.

    The whole transaction is tried again on lock conflicts. Any other exception (a
    refusal) rolls back what the work had written before it goes up.
    """
    for attempt in range(ATTEMPTS):
        _begin_write()
        try:
            result = work()
            if then is not None:
                then(result)
            db.session.commit()
            return result
        except OperationalError as error:
            db.session.rollback()
            if attempt == ATTEMPTS - 1 or not is_retryable(error):
                raise
            time.sleep(0.05 * (attempt + 1) + random.random() / 20)  # noqa: S311 (jitter)
        except BaseException:
            db.session.rollback()
            raise
    raise AssertionError("unreachable")
