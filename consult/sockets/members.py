"""Each socket sits in its member's room, so that a member's access can end at once.

Signing out, deactivation and a password change call :func:`disconnect_member` after their
commit. Every process disconnects the member's sockets it holds: this one directly, the
others on hearing the message on the Redis channel (:mod:`consult.sockets.queue`). The
client is told the server disconnected it, so it does not try again on its own; if it does,
the handshake refuses it (the session is no longer valid).
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_login import current_user
from flask_socketio import join_room

from consult.extensions import socketio


def room(user_id: int) -> str:
    """The room of a member's sockets (in each namespace)."""
    return f"member-{user_id}"


def admit() -> bool:
    """For a namespace's connect handler: only signed-in members, each in their room."""
    if not current_user.is_authenticated:
        return False
    join_room(room(current_user.id))
    return True


def disconnect_local(server: Any, user_id: int) -> int:
    """Disconnect the member's sockets held by this process; how many there were."""
    manager = server.manager
    closed = 0
    for namespace in list(manager.get_namespaces()):
        for sid, eio_sid in list(manager.get_participants(namespace, room(user_id))):
            server.disconnect(sid, namespace=namespace, ignore_queue=True)
            if not any(manager.sid_from_eio_sid(eio_sid, n) for n in manager.get_namespaces()):
                server.eio.disconnect(eio_sid)
            closed += 1
    return closed


def disconnect_member(user_id: int) -> None:
    """Disconnect every socket of the member, in every process."""
    server = socketio.server
    try:
        disconnect_local(server, user_id)
        publish = getattr(server.manager, "publish_disconnect_member", None)
        if publish is not None:
            publish(user_id)
    except Exception:  # the change is saved; the handshake and every join check again
        current_app.logger.exception("Could not disconnect the sockets of member %s", user_id)
