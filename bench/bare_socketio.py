"""The comparison for bench/comments.py: bare Flask-SocketIO, deployed as Consult is.

``gunicorn -k gevent -w 1 bench.bare_socketio:app`` (from the repository root). The same
namespace and ``join`` (with its answer) as Consult's ``/toolkit``, no sign-in and no database;
``POST /send`` emits the posted ``html`` to the section's room at once, as
``{"seq", "kind", "section_id", "comment": {"id"}, "html"}``, so that the bench can send the
same bytes Consult does. ``BARE_MESSAGE_QUEUE`` shares events through Redis.
"""

from __future__ import annotations

import itertools
import os

from flask import Flask, request
from flask_socketio import SocketIO, join_room

app = Flask(__name__)
socketio = SocketIO(
    app,
    message_queue=os.environ.get("BARE_MESSAGE_QUEUE") or None,
    channel=os.environ.get("BARE_CHANNEL") or "bare-bench",
)
_numbers = itertools.count(1)


@socketio.on("join", namespace="/toolkit")
def join(data):
    """Join the section's room."""
    join_room(f"section-{data['section']}")
    return {"ok": True, "seq": 0, "events": []}


@app.post("/send")
def send():
    """Emit the posted node to the room."""
    number = next(_numbers)
    section = int(request.form["section"])
    socketio.emit(
        "comment",
        {
            "seq": number,
            "kind": "created",
            "section_id": section,
            "comment": {"id": number},
            "html": request.form["html"],
        },
        to=f"section-{section}",
        namespace="/toolkit",
    )
    return {"ok": True, "comment": number}, 201


@app.get("/")
def home():
    """A trivial page."""
    return "bare"
