"""The work programme's e-mail: the reminder to an owner that their item falls due soon."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.dates import format_date
from flask_babel import lazy_gettext as _l

from consult import mail
from consult.extensions import db
from consult.outbox.letters import NothingToSend, enqueue, letter
from consult.programme.models import WorkItem
from consult.urls import external_url

DUE = "programme.due-reminder"


def queue_due_reminder(item_id: int, due: date, address: str) -> None:
    """Queue the owner's reminder of one item and due date."""
    enqueue(address, DUE, {"item": item_id, "due": due.isoformat()})


@letter(DUE, label=_l("Work item due soon"))
def due_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """Tell the owner which item falls due when, with a link to it."""
    item = db.session.get(WorkItem, params["item"])
    if item is None or item.owner is None:
        raise NothingToSend("the item, or its owner, is gone")
    if not item.is_open or item.due_date is None or item.due_date.isoformat() != params["due"]:
        raise NothingToSend("the item was closed or its due date changed before this went out")
    if not item.owner.active or item.owner.email != recipient:
        raise NothingToSend("the item has another owner, or theirs is deactivated")
    owner = item.owner
    locale = owner.language or "en"
    if item.call_id is not None:
        page = external_url("calls.call", call_id=item.call_id, _anchor=f"item-{item.id}")
    else:
        page = external_url("programme.index", _anchor=f"item-{item.id}")
    return mail.compose(
        owner,
        "programme/due",
        _l(
            "Due %(day)s: %(title)s",
            day=format_date(item.due_date, "medium", locale=locale),
            title=item.title,
        ),
        item=item,
        user=owner,
        due=format_date(item.due_date, "full", locale=locale),
        page=page,
    )
