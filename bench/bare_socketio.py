"""The comparison for bench/comments.py: bare Flask-SocketIO, deployed as Consult is.

``gunicorn -k gevent -w 1 bench.bare_socketio:app`` (from the repository root). The same
namespace and ``join`` (with its answer) as Consult's ``/toolkit``, no sign-in; ``POST /send``
does what any app must to keep and broadcast a message, and nothing more: it inserts the
posted ``html`` as one row (``BENCH_DATABASE_URL``, the database Consult uses in the run),
commits, and emits it to the section's room as
``{"seq", "kind", "section_id", "comment": {"id"}, "html"}``, so that the bench can send the
same bytes Consult does. ``BARE_MESSAGE_QUEUE`` shares events through Redis.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, request
from flask_socketio import SocketIO, join_room
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Integer, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the bench table."""


db = SQLAlchemy(model_class=Base)


class Message(db.Model):
    """One posted message."""

    __tablename__ = "bench_bare_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    section: Mapped[int] = mapped_column(Integer)
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["BENCH_DATABASE_URL"]
db.init_app(app)
with app.app_context():
    db.create_all()
socketio = SocketIO(
    app,
    message_queue=os.environ.get("BARE_MESSAGE_QUEUE") or None,
    channel=os.environ.get("BARE_CHANNEL") or "bare-bench",
)


@socketio.on("join", namespace="/toolkit")
def join(data):
    """Join the section's room."""
    join_room(f"section-{data['section']}")
    return {"ok": True, "seq": 0, "events": []}


@app.post("/send")
def send():
    """Keep the posted node, then emit it to the room."""
    section = int(request.form["section"])
    message = Message(section=section, html=request.form["html"], created_at=datetime.now(UTC))
    db.session.add(message)
    db.session.commit()
    number = message.id
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
