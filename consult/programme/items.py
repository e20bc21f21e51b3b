"""Rules on work items: which ones a page lists, in which order, and who may change them.

Every list loads what its table shows (owner, constituency, call, line of work) in the same
query, so a page costs the same for two items or two hundred.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from consult.calls.models import Call
from consult.extensions import db
from consult.programme.models import OPEN_STATUSES, WorkItem


def _listed() -> Select[tuple[WorkItem]]:
    """Items with what the table shows, open ones first, then by due date (undated last)."""
    return (
        select(WorkItem)
        .options(
            joinedload(WorkItem.owner),
            joinedload(WorkItem.constituency),
            joinedload(WorkItem.parent),
            joinedload(WorkItem.call).joinedload(Call.series),
        )
        .order_by(
            WorkItem.status.not_in(OPEN_STATUSES),
            WorkItem.due_date.is_(None),
            WorkItem.due_date,
            WorkItem.id,
        )
    )


def all_items() -> list[WorkItem]:
    """The whole work programme."""
    return list(db.session.scalars(_listed()).unique())


def open_items(owner_id: int | None = None) -> list[WorkItem]:
    """Items still to be done, of one owner when ``owner_id`` is given."""
    query = _listed().where(WorkItem.status.in_(OPEN_STATUSES))
    if owner_id is not None:
        query = query.where(WorkItem.owner_id == owner_id)
    return list(db.session.scalars(query).unique())


def items_of_call(call_id: int) -> list[WorkItem]:
    """The items agreed on one call."""
    return list(db.session.scalars(_listed().where(WorkItem.call_id == call_id)).unique())


def lines_of_work(item: WorkItem | None = None) -> list[WorkItem]:
    """Items another item may serve: those with no line above them, ``item`` itself left out."""
    query = select(WorkItem).where(WorkItem.parent_id.is_(None)).order_by(WorkItem.title)
    if item is not None and item.id is not None:
        query = query.where(WorkItem.id != item.id)
    return list(db.session.scalars(query))


def line_problem(item: WorkItem, line: WorkItem | None) -> Any:
    """Why ``item`` cannot serve ``line``, in words; None when it can.

    The programme is two levels deep: lines of work, and the items that serve them.
    """
    if line is None:
        return None
    if line.id is not None and line.id == item.id:
        return _l("An item cannot serve itself.")
    if line.parent_id is not None:
        return _l("Choose a line of work, not an item that serves one.")
    if item.id is not None and db.session.scalar(
        select(WorkItem.id).where(WorkItem.parent_id == item.id).limit(1)
    ):
        return _l("Other items serve this one, so it stays a line of work.")
    return None


def may_change_status(user: Any, item: WorkItem) -> bool:
    """The Secretariat, or the item's owner."""
    return bool(user.is_secretariat or (item.owner_id is not None and item.owner_id == user.id))
