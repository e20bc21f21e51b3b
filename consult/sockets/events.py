"""Socket.IO event handlers that cannot be flooded or crashed by what a client sends."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

Answer = dict[str, Any]

BAD_REQUEST: Answer = {"ok": False, "error": "bad-request"}
TOO_MANY_EVENTS: Answer = {"ok": False, "error": "too-many-events"}
SERVER_ERROR: Answer = {"ok": False, "error": "server-error"}


class EventLimit:
    """``SOCKETIO_EVENT_RATE_LIMIT`` (Flask-Limiter's notation) per socket, in this process."""

    def __init__(self, setting: str) -> None:
        self.items = parse_many(setting)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def allows(self, key: str) -> bool:
        """Count one event of ``key``; False once any of the limits is exceeded."""
        return all(self.limiter.hit(item, "socket-events", key) for item in self.items)


def _limit() -> EventLimit:
    extensions = current_app.extensions
    if "consult.sockets.events" not in extensions:
        extensions["consult.sockets.events"] = EventLimit(
            current_app.config["SOCKETIO_EVENT_RATE_LIMIT"]
        )
    return extensions["consult.sockets.events"]


def event(handler: Callable[[Any], Answer]) -> Callable[..., Answer]:
    """An event handler of one argument, under the per-socket limit.

    Without an argument, or with more than one, the answer is ``bad-request`` (never a
    TypeError in the server); over the limit, ``too-many-events`` and the handler does not run.
    """

    @functools.wraps(handler)
    def guarded(*args: Any) -> Answer:
        if not _limit().allows(f"{request.namespace}:{request.sid}"):
            return TOO_MANY_EVENTS
        if len(args) != 1:
            return BAD_REQUEST
        return handler(args[0])

    return guarded


def on_error(error: Exception) -> Answer:
    """Any exception in a handler: logged, and answered with an error instead of silence."""
    current_app.logger.error("Socket.IO handler failed", exc_info=error)
    return SERVER_ERROR
