"""Live updates through Socket.IO: one room per section, numbered events, catch-up on reconnect.

A browser connects to the ``/toolkit`` namespace (the Flask-Login session decides who it
is), then emits ``join`` with the section and the last sequence number it saw. It joins the
room and receives, in the answer, every event it missed. Each change is then pushed to
the room as a ``comment`` event. Sequence numbers are raised under the section's row lock,
so they follow commit order and a gap always means a missed event.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_login import current_user
from flask_socketio import join_room, leave_room
from sqlalchemy import select, update

from consult import sockets
from consult.extensions import db, socketio
from consult.forms import parse_id
from consult.sockets.events import BAD_REQUEST
from consult.toolkit.models import Comment, LiveEvent, Section
from consult.toolkit.sections import can_discuss

NAMESPACE = "/toolkit"
EVENT = "comment"
_PENDING = "toolkit_pending_events"


def room(section_id: int) -> str:
    """The Socket.IO room of a section."""
    return f"section-{section_id}"


def record_event(section_id: int, kind: str, comment: Comment) -> LiveEvent:
    """Number and store an event in the current transaction; it is sent after the commit."""
    seq = db.session.execute(
        update(Section)
        .where(Section.id == section_id)
        .values(event_seq=Section.event_seq + 1)
        .returning(Section.event_seq),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    event = LiveEvent(section_id=section_id, seq=seq, kind=kind, comment_id=comment.id)
    db.session.add(event)
    db.session.info.setdefault(_PENDING, []).append((event, comment))
    return event


def payload(event: LiveEvent, comment: Comment | None) -> dict[str, Any]:
    """What a room hears of an event: never the text of a hidden comment."""
    from consult.toolkit.threads import comment_data

    return {
        "seq": event.seq,
        "kind": event.kind,
        "section_id": event.section_id,
        "comment": comment_data(comment) if comment is not None else None,
    }


def commit_and_broadcast() -> list[dict[str, Any]]:
    """Commit, then push the events of this transaction to their rooms."""
    pending = db.session.info.pop(_PENDING, [])
    db.session.commit()
    sent = []
    for event, comment in pending:
        data = payload(event, comment)
        try:
            socketio.emit(EVENT, data, to=room(event.section_id), namespace=NAMESPACE)
        except Exception:  # the change is saved; clients catch up when they reconnect
            current_app.logger.exception("Could not broadcast toolkit event %s", event.seq)
        sent.append(data)
    return sent


def forget_pending() -> None:
    """Drop the events waiting for a broadcast (demo data: nobody is listening yet)."""
    db.session.info.pop(_PENDING, None)


def events_since(section_id: int, last_seq: int) -> list[dict[str, Any]]:
    """The events of a section after ``last_seq``, with each comment as it is now."""
    events = list(
        db.session.scalars(
            select(LiveEvent)
            .where(LiveEvent.section_id == section_id, LiveEvent.seq > last_seq)
            .order_by(LiveEvent.seq)
        )
    )
    ids = {event.comment_id for event in events if event.comment_id}
    comments = {}
    if ids:
        from sqlalchemy.orm import joinedload

        comments = {
            comment.id: comment
            for comment in db.session.scalars(
                select(Comment)
                .where(Comment.id.in_(ids))
                .options(joinedload(Comment.author), joinedload(Comment.constituency))
            )
        }
    return [payload(event, comments.get(event.comment_id)) for event in events]


def _as_int(value: Any) -> int | None:
    return parse_id(str(value)) if isinstance(value, int | str) else None


def _section_of(data: Any) -> int | None:
    """The section id of a ``join`` or ``leave`` argument, or None when it is malformed."""
    return _as_int(data.get("section")) if isinstance(data, dict) else None


@socketio.on("connect", namespace=NAMESPACE)
def on_connect(auth: Any = None) -> bool:
    """Only signed-in members connect (the handshake checked already; this puts the socket in
    its member's room, so that signing out or deactivation disconnects it)."""
    return sockets.admit()


@socketio.on("join", namespace=NAMESPACE)
@sockets.event
def on_join(data: Any) -> dict[str, Any]:
    """Join a section's room and receive what was missed since ``last``."""
    section_id = _section_of(data)
    last = data.get("last") if section_id else None
    last = 0 if last in (None, 0, "0") else _as_int(last)
    if section_id is None or last is None:
        return BAD_REQUEST
    section = db.session.get(Section, section_id)
    if (
        section is None
        or not current_user.is_authenticated
        or not can_discuss(current_user, section)
    ):
        leave_room(room(section_id))  # a member deactivated since stops hearing the room
        return {"ok": False, "error": "forbidden"}
    join_room(room(section.id))
    missed = events_since(section.id, last)
    return {"ok": True, "seq": section.event_seq, "events": missed}


@socketio.on("leave", namespace=NAMESPACE)
@sockets.event
def on_leave(data: Any) -> dict[str, Any]:
    """Leave a section's room."""
    section_id = _section_of(data)
    if section_id is None:
        return BAD_REQUEST
    leave_room(room(section_id))
    return {"ok": True}
