"""The dashboard panel: the next call and the signed-in member's open action items."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.calls.models import ActionItem, ActionStatus, Attendance, Call, CallStatus
from consult.database import utcnow
from consult.extensions import db
from consult.signals import Panel


def calls_panel(app, user) -> Panel | None:
    """Upcoming call and open action items of ``user``; nothing when there is neither."""
    upcoming = db.session.scalar(
        select(Call)
        .join(Attendance)
        .where(
            Attendance.user_id == user.id,
            Call.status == CallStatus.CONFIRMED,
            Call.starts_at >= utcnow(),
        )
        .order_by(Call.starts_at)
        .limit(1)
    )
    actions = db.session.scalars(
        select(ActionItem)
        .where(ActionItem.owner_id == user.id, ActionItem.status == ActionStatus.OPEN)
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    ).all()
    if upcoming is None and not actions:
        return None
    return Panel(
        _l("Teleconferences"),
        "calls/_panel.html",
        {
            "upcoming": upcoming,
            "actions": actions,
            "mine": upcoming and upcoming.attendance_of(user),
        },
        order=10,
    )
