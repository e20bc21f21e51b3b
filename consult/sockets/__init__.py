"""Socket.IO for the whole site: how it runs, who may connect, and ending access at once.

- **How it runs** (:func:`async_mode`): under gunicorn's gevent worker, as the README deploys
  it, every open socket is a greenlet, so a thousand idle sockets cost memory, not the threads
  that page loads need; elsewhere (``flask run``, the tests' client, ``flask worker``, which
  only emits) plain threads.
- **Who may connect** (:mod:`consult.sockets.gate`): the Engine.IO handshake, before any
  namespace, is refused without a signed-in member, and beyond
  ``SOCKETIO_MAX_CONNECTIONS_PER_ADDRESS`` open connections from one client address.
  A namespace's connect handler calls :func:`admit`, which checks again and puts the socket
  in its member's room.
- **Events** (:func:`event`): at most ``SOCKETIO_EVENT_RATE_LIMIT`` per socket; a handler takes
  exactly one argument; whatever goes wrong is answered with ``{"ok": false, "error": ...}``.
- **Ending access** (:func:`disconnect_member`): a member's sockets are disconnected at once,
  in every process (through the Redis message queue when there is one).
"""

from __future__ import annotations

import sys
from typing import Any

import socketio as socketio_package
from flask import Flask

from consult.extensions import socketio
from consult.sockets.events import event, on_error
from consult.sockets.gate import Gate
from consult.sockets.members import admit, disconnect_member
from consult.sockets.queue import RevokingRedisManager

__all__ = ["admit", "async_mode", "disconnect_member", "event", "init_app"]


def async_mode(configured: str | None) -> str:
    """``SOCKETIO_ASYNC_MODE`` if set; else gevent once gevent has patched the standard
    library (gunicorn's gevent worker does so before it loads the app), else threading."""
    if configured:
        return configured
    monkey = sys.modules.get("gevent.monkey")
    return "gevent" if monkey is not None and monkey.is_module_patched("socket") else "threading"


def init_app(app: Flask) -> None:
    """Bind Flask-SocketIO to ``app`` with the gate, the member rooms and the error answer."""
    url = app.config["SOCKETIO_MESSAGE_QUEUE"]
    manager: Any = (
        RevokingRedisManager(url, channel=app.config["SOCKETIO_CHANNEL"])
        if url
        else socketio_package.Manager()
    )
    socketio.init_app(
        app,
        async_mode=async_mode(app.config["SOCKETIO_ASYNC_MODE"]),
        client_manager=manager,  # always given: Flask-SocketIO keeps the last app's otherwise
        manage_session=False,
    )
    socketio.on_error_default(on_error)
    app.extensions["consult.sockets"] = Gate(
        app, socketio.server, app.config["SOCKETIO_MAX_CONNECTIONS_PER_ADDRESS"]
    )
