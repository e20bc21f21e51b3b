"""The dashboard panel "Open events"."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consult.database import utcnow
from consult.events.allocation import registration_state
from consult.events.calendar import event_meeting
from consult.events.models import Event, Registration, Status
from consult.extensions import db
from consult.ical import Meeting
from consult.signals import Panel


def open_events_panel(app: Any, user: Any) -> Panel | None:
    """Events whose registration is open, with their seats taken; None when there are none."""
    now = utcnow()
    events = [
        event
        for event in db.session.scalars(
            select(Event)
            .where(Event.published.is_(True), Event.ends_at > now)
            .order_by(Event.starts_at)
        )
        if registration_state(event, now) is None
    ]
    if not events:
        return None
    confirmed = dict(
        db.session.execute(
            select(Registration.event_id, func.count())
            .where(
                Registration.event_id.in_([e.id for e in events]),
                Registration.status == Status.CONFIRMED,
            )
            .group_by(Registration.event_id)
        ).all()
    )
    return Panel(
        _l("Open events"),
        "events/_panel.html",
        {"open_events": events, "confirmed": confirmed},
        order=40,
    )


def upcoming_events_block(app: Any) -> Panel | None:
    """Home page block: the next published events, or nothing when none is ahead."""
    events = list(
        db.session.scalars(
            select(Event)
            .where(Event.published.is_(True), Event.ends_at > utcnow())
            .order_by(Event.starts_at)
            .limit(3)
        )
    )
    if not events:
        return None
    return Panel(_l("Next events"), "events/_home_block.html", {"events": events}, order=10)


def registered_events(app: Any, user: Any) -> list[Meeting]:
    """Calendar feed source: the events a member holds a confirmed seat at (same e-mail)."""
    registrations = db.session.scalars(
        select(Registration)
        .join(Event)
        .where(Registration.email == user.email, Registration.status == Status.CONFIRMED)
        .order_by(Event.starts_at)
    )
    # the registrant's own entry (their UID): the same as their invitation's, not a second one
    return [event_meeting(registration.event, registration) for registration in registrations]
