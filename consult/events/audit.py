"""The audit log of an event: who changed what, when, with the value before and after.

Recorded generically from SQLAlchemy's flush: every new, changed or removed row of an audited
model (the event, its held seats, its form's questions, its registrations) gives one
``event_audit`` row, written by the same flush and so committed or rolled back with the change
itself. The acting person is flask_login's ``current_user``; without one it is "the registrant"
during a request (someone using a public link) and "system" elsewhere (the job queue, commands).

The listener runs in ``after_flush``, where the session still shows the flush's new, dirty and
deleted objects with their attribute history but new rows already have their ids; the audit rows
are inserted there with a plain statement on the flush's connection.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from flask import abort, g, has_request_context, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, event, insert, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from consult.database import utcnow
from consult.events import bp
from consult.events.managers import event_manager_required
from consult.events.models import Event, FormField, Registration, SeatRule
from consult.extensions import db

#: Audited models, with the name shown for them.
AUDITED: dict[type, str] = {
    Event: "event",
    SeatRule: "hold",
    FormField: "question",
    Registration: "registration",
}

#: What each kind of record is called on the page.
ENTITY_LABELS = {
    "event": _l("Event"),
    "hold": _l("Held seats"),
    "question": _l("Form question"),
    "registration": _l("Registration"),
}
ACTION_LABELS = {
    "created": _l("added"),
    "changed": _l("changed"),
    "deleted": _l("removed"),
}

#: Counters kept by the allocation rules on every registration, and secrets: not worth a line,
#: or not to be shown.
IGNORED = {"taken", "arrivals", "sequence", "manage_key", "created_at", "updated_at"}

#: Who acted when nobody was signed in (stored as is, translated when shown).
SYSTEM = "system"
REGISTRANT = "registrant"
ACTOR_LABELS = {SYSTEM: _l("system"), REGISTRANT: _l("the registrant")}

#: Entries shown on the event's page.
SHOWN = 100


class EventAudit(db.Model):
    """One change to an event or to something of it."""

    __tablename__ = "event_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The member's id when a signed-in member acted.
    actor_id: Mapped[int | None]
    #: The member's display name at the time, or :data:`REGISTRANT` or :data:`SYSTEM`.
    actor: Mapped[str] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(10))
    #: ``{attribute: [before, after]}`` for the attributes that changed.
    changes: Mapped[dict] = mapped_column(JSON, default=dict)


def _plain(value: Any) -> Any:
    """A value as JSON can hold it."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _changes(obj: Any, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    found: dict[str, list[Any]] = {}
    for column in state.mapper.column_attrs:
        key = column.key
        if key in IGNORED or key == "id":
            continue
        history = state.attrs[key].history
        if action == "changed":
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before == after:
                continue
            found[key] = [_plain(before), _plain(after)]
        else:
            value = state.dict.get(key)  # loaded values only: nothing is fetched mid-flush
            if value is not None:
                found[key] = [None, _plain(value)] if action == "created" else [_plain(value), None]
    return found


def _actor() -> tuple[int | None, str]:
    if not has_request_context():
        return None, SYSTEM
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        return current_user.id, current_user.display_name
    return None, REGISTRANT


def _event_id(obj: Any) -> int | None:
    return obj.id if isinstance(obj, Event) else obj.event_id


@event.listens_for(Session, "after_flush")
def _record(session: Session, flush_context: Any) -> None:
    """Write one audit row per new, changed or removed audited object of this flush."""
    gone_events = {obj.id for obj in session.deleted if isinstance(obj, Event)}
    rows = []
    for objects, action in (
        (session.new, "created"),
        (session.dirty, "changed"),
        (session.deleted, "deleted"),
    ):
        for obj in objects:
            entity = AUDITED.get(type(obj))
            if entity is None or (action == "changed" and not session.is_modified(obj)):
                continue
            event_id = _event_id(obj)
            if event_id is None or event_id in gone_events:
                continue
            changes = _changes(obj, action)
            if action == "changed" and not changes:
                continue
            rows.append(
                {
                    "event_id": event_id,
                    "entity": entity,
                    "entity_id": obj.id,
                    "action": action,
                    "changes": changes,
                }
            )
    if not rows:
        return
    actor_id, actor = _actor()
    moment = utcnow()
    for row in rows:
        row.update(actor_id=actor_id, actor=actor, at=moment)
    session.connection().execute(insert(EventAudit), rows)


def entries(event: Event, limit: int = SHOWN) -> list[EventAudit]:
    """The latest changes to ``event``, newest first."""
    return list(
        db.session.scalars(
            select(EventAudit)
            .where(EventAudit.event_id == event.id)
            .order_by(EventAudit.at.desc(), EventAudit.id.desc())
            .limit(limit)
        )
    )


@bp.get("/events/admin/<int:event_id>/changes")
@event_manager_required
def admin_changes(event_id: int):
    """The latest changes to the event, for the Secretariat and the event's managers."""
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    g.page_timezone = event.timezone
    return render_template("events/admin_changes.html", event=event, changes=entries(event))


@bp.context_processor
def _audit_helpers() -> dict:
    return {
        "audit_entity": lambda name: ENTITY_LABELS.get(name, name),
        "audit_action": lambda name: ACTION_LABELS.get(name, name),
        "audit_actor": lambda entry: (
            entry.actor if entry.actor_id else ACTOR_LABELS.get(entry.actor, entry.actor)
        ),
    }
