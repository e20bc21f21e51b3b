"""The Redis message queue, carrying one more message: "disconnect this member's sockets".

python-socketio's pub/sub managers share emits, room changes and single disconnects between
processes, but a process only knows the sockets it holds, so "every socket of member 12" has
to be asked of each process. This manager publishes that request on the same channel and,
on hearing one from another process, disconnects the member's sockets it holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import socketio

METHOD = "consult-disconnect-member"
_MARK = f'"{METHOD}"'.encode()


class RevokingRedisManager(socketio.RedisManager):
    """``socketio.RedisManager`` plus :meth:`publish_disconnect_member`."""

    def publish_disconnect_member(self, user_id: int) -> None:
        """Ask the other processes to disconnect the member's sockets."""
        self._publish({"method": METHOD, "user_id": int(user_id), "host_id": self.host_id})

    def _listen(self) -> Iterator[Any]:
        from consult.sockets.members import disconnect_local

        for message in super()._listen():
            if isinstance(message, bytes) and _MARK in message:
                data = self.json.loads(message)
                if isinstance(data, dict) and data.get("method") == METHOD:
                    if data.get("host_id") != self.host_id:
                        try:
                            disconnect_local(self.server, int(data["user_id"]))
                        except Exception:
                            self._get_logger().exception("Could not disconnect a member")
                    continue
            yield message
