"""The work programme's dashboard panel: the member's own open items."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.extensions import db
from consult.programme.models import ItemStatus, ProgrammeItem
from consult.signals import Panel


def my_items_panel(app: Any, user: Any) -> Panel | None:
    """Open items the user owns, soonest first; nothing when there are none."""
    items = list(
        db.session.scalars(
            select(ProgrammeItem)
            .where(
                ProgrammeItem.owner_id == user.id,
                ProgrammeItem.status.in_([ItemStatus.PLANNED, ItemStatus.IN_PROGRESS]),
            )
            .order_by(ProgrammeItem.due_date.is_(None), ProgrammeItem.due_date)
        )
    )
    if not items:
        return None
    return Panel(
        _l("Your work programme items"), "programme/_panel.html", {"items": items}, order=60
    )
