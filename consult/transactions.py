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


def in_write_transaction(work: Callable[[], T], then: Then = None) -> T:
    """Run ``work`` (then ``then`` on its result) in one write transaction and commit.

    The whole transaction is tried again on lock conflicts.
    """
    for attempt in range(ATTEMPTS):
        db.session.commit()  # end whatever the request read, so that the next BEGIN is ours
        db.session.connection(execution_options={"sqlite_immediate": True})
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
    raise AssertionError("unreachable")
