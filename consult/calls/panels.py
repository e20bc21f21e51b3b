"""The dashboard panel: the signed-in member's next call."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.calls.models import Attendance, Call, CallStatus
from consult.database import utcnow
from consult.extensions import db
from consult.signals import Panel


def calls_panel(app, user) -> Panel | None:
    """The next confirmed call ``user`` is invited to; nothing when there is none.

    The member's open action items are the work programme's panel.
    """
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
    if upcoming is None:
        return None
    return Panel(
        _l("Teleconferences"),
        "calls/_panel.html",
        {"upcoming": upcoming, "mine": upcoming.attendance_of(user)},
        order=10,
    )
