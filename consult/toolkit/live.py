"""Live updates through Socket.IO: one room per section, numbered events, catch-up on reconnect.

A browser connects to the ``/toolkit`` namespace (the Flask-Login session decides who it
is), then emits ``join`` with the section and the last sequence number it saw. It joins the
room and receives, in the answer, every event it missed. Each change is then pushed to
the room as a ``comment`` event. Sequence numbers are raised under the section's row lock,
so they follow commit order and a gap always means a missed event.

An event is the change itself: the ids of the comment and the rendered ``<article>`` of that
one comment (:func:`consult.toolkit.nodes.live_html`), the same for every member. It is
built once, in the transaction that makes the change, from the objects already in hand, and
stored with the event for catch-up; the page patches that one node in place.
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
from consult.toolkit.nodes import live_html
from consult.toolkit.sections import can_discuss
from consult.toolkit.threads import state_of

NAMESPACE = "/toolkit"
EVENT = "comment"
_PENDING = "toolkit_pending_events"


def room(section_id: int) -> str:
    """The Socket.IO room of a section."""
    return f"section-{section_id}"


def record_event(section_id: int, kind: str, comment: Comment) -> LiveEvent:
    """Number, build and store an event in the current transaction; it is sent after the commit.

    ``comment`` must come with its author and constituency loaded (and, when new, flushed):
    the payload is rendered from it here, once.
    """
    seq = db.session.execute(
        update(Section)
        .where(Section.id == section_id)
        .values(event_seq=Section.event_seq + 1)
        .returning(Section.event_seq),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    data = payload(seq, kind, section_id, comment)
    event = LiveEvent(
        section_id=section_id, seq=seq, kind=kind, comment_id=comment.id, payload=data
    )
    db.session.add(event)
    db.session.info.setdefault(_PENDING, []).append(data)
    return event


def payload(seq: int, kind: str, section_id: int, comment: Comment) -> dict[str, Any]:
    """What a room hears of an event: ids, and the comment's node (never a hidden text)."""
    state = state_of(comment)
    return {
        "seq": seq,
        "kind": kind,
        "section_id": section_id,
        "comment": {
            "id": comment.id,
            "parent_id": comment.parent_id,
            "root_id": comment.root_id,
            "author_id": comment.author_id,
            "author": comment.author.display_name if state != "deleted" else None,
            "state": state,
        },
        "html": live_html(comment),
    }


def commit_and_broadcast() -> list[dict[str, Any]]:
    """Commit, then push the events of this transaction (built before it) to their rooms."""
    pending = db.session.info.pop(_PENDING, [])
    db.session.commit()
    for data in pending:
        try:
            socketio.emit(EVENT, data, to=room(data["section_id"]), namespace=NAMESPACE)
        except Exception:  # the change is saved; clients catch up when they reconnect
            current_app.logger.exception("Could not broadcast toolkit event %s", data["seq"])
    return pending


def forget_pending() -> None:
    """Drop the events waiting for a broadcast (demo data: nobody is listening yet)."""
    db.session.info.pop(_PENDING, None)


#: A page further behind than this reloads the thread instead of replaying the events.
CATCH_UP_LIMIT = 100


def events_since(section_id: int, last_seq: int) -> list[dict[str, Any]]:
    """The stored events of a section after ``last_seq`` (at most :data:`CATCH_UP_LIMIT`).

    Every change to a comment records an event, so the newest event of each comment
    holds it as it is now: each event is given with that newest node, so a comment
    hidden since it was posted is never replayed with its text. When more events were
    missed than the limit, the list stops short and the page sees the gap.
    """
    events = list(
        db.session.scalars(
            select(LiveEvent)
            .where(LiveEvent.section_id == section_id, LiveEvent.seq > last_seq)
            .order_by(LiveEvent.seq)
            .limit(CATCH_UP_LIMIT + 1)
        )
    )
    if len(events) > CATCH_UP_LIMIT:
        return []
    newest = {event.comment_id: event.payload for event in events if event.payload}
    result = []
    for event in events:
        now = newest.get(event.comment_id)
        if not now:  # an event stored before events carried their node
            continue
        result.append({**now, "seq": event.seq, "kind": event.kind})
    return result


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
