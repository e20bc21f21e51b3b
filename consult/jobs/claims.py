"""Jobs that must act once per row, however many runs of them overlap."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Update

from consult.extensions import db


def queue_each_once(
    due: Iterable[Sequence[Any]],
    claim: Callable[[Sequence[Any]], Update],
    queue: Callable[[Sequence[Any]], None],
) -> list[Any]:
    """Queue one letter per due row; return the last field (the address) of each row queued.

    ``claim(row)`` is a conditional UPDATE marking the row as done only where it is not
    done yet: it matches the row for the run that gets there first and nothing for any
    other, which skips it. The claim and the letter commit together, so a run that dies
    in between leaves the row to the next run.
    """
    queued = []
    for row in due:
        statement = claim(row).execution_options(synchronize_session=False)
        if db.session.execute(statement).rowcount != 1:
            db.session.rollback()
            continue
        queue(row)
        db.session.commit()
        queued.append(row[-1])
    return queued
