"""Live updates of proposals and amendments through Socket.IO, as the toolkit's comments.

A section page's script (``static/js/decisions.js``) connects to the ``/decisions``
namespace (the Flask-Login session decides who it is) and emits ``join`` with the section.
After each change is committed, the room hears a ``decision`` event naming what changed
(``{"kind": "vote", "section_id": 3, "proposal_id": 7}``), never its text: the script then
fetches the part of the page again, through the same checks as the page itself. On a
reconnect it fetches it once, so nothing missed while offline stays missing.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_login import current_user
from flask_socketio import join_room, leave_room

from consult.extensions import db, socketio
from consult.forms import parse_id
from consult.toolkit.models import Section
from consult.toolkit.sections import can_discuss

NAMESPACE = "/decisions"
EVENT = "decision"
_PENDING = "decisions_pending_events"


def room(section_id: int) -> str:
    """The Socket.IO room of a section's decisions."""
    return f"decisions-section-{section_id}"


def announce(section_id: int, kind: str, **ids: int) -> None:
    """Remember an event of the current transaction; :func:`commit_and_broadcast` sends it."""
    db.session.info.setdefault(_PENDING, []).append({"kind": kind, "section_id": section_id, **ids})


def commit_and_broadcast() -> list[dict[str, Any]]:
    """Commit, then tell each section's room what changed."""
    pending = db.session.info.pop(_PENDING, [])
    db.session.commit()
    for data in pending:
        try:
            socketio.emit(EVENT, data, to=room(data["section_id"]), namespace=NAMESPACE)
        except Exception:  # saved all the same; pages catch up when they reconnect
            current_app.logger.exception("Could not broadcast decisions event %s", data)
    return pending


def forget_pending() -> None:
    """Drop the events waiting for a broadcast (after a rollback)."""
    db.session.info.pop(_PENDING, None)


@socketio.on("connect", namespace=NAMESPACE)
def on_connect(auth: Any = None) -> bool:
    """Only signed-in members connect."""
    return bool(current_user.is_authenticated)


@socketio.on("join", namespace=NAMESPACE)
def on_join(data: Any) -> dict[str, Any]:
    """Join a section's room."""
    raw = data.get("section") if isinstance(data, dict) else None
    section_id = parse_id(str(raw)) if isinstance(raw, int | str) else None
    section = db.session.get(Section, section_id) if section_id else None
    if (
        section is None
        or not current_user.is_authenticated
        or not can_discuss(current_user, section)
    ):
        if section_id:
            leave_room(room(section_id))
        return {"ok": False, "error": "forbidden"}
    join_room(room(section.id))
    return {"ok": True}
