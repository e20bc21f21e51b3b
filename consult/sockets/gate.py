"""The Engine.IO handshake: a signed-in member, and not too many connections from one address.

Engine.IO calls its ``connect`` handler on the very first request of a connection, before
any Socket.IO namespace; answering anything but None or True refuses the connection with
401, so an anonymous client never holds an open socket. The client address is
``REMOTE_ADDR`` after ``PROXY_FIX_COUNT`` proxies (``create_app`` puts ProxyFix outside the
Socket.IO middleware). Counts are per process; nginx's ``ip_hash`` sends one address to one
process, so the cap holds across the site.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from flask import Flask
from flask_login import current_user

NOT_SIGNED_IN = "sign in first"
TOO_MANY = "too many connections from this address"


class Gate:
    """Wraps the Engine.IO connect and disconnect handlers of ``server``."""

    def __init__(self, app: Flask, server: Any, per_address: int) -> None:
        self.app = app
        self.per_address = per_address
        self._lock = threading.Lock()
        self._address_of: dict[str, str] = {}
        self.open: Counter[str] = Counter()
        eio = server.eio
        self._connected = eio.handlers["connect"]
        self._disconnected = eio.handlers["disconnect"]
        eio.on("connect", self.on_connect)
        eio.on("disconnect", self.on_disconnect)

    def member_id(self, environ: dict[str, Any]) -> int | None:
        """The signed-in member of the handshake request (session or remember-me cookie)."""
        with self.app.request_context(environ):
            return current_user.id if current_user.is_authenticated else None

    def on_connect(self, eio_sid: str, environ: dict[str, Any]) -> Any:
        """Refuse without a member or over the cap; else count the address and go on."""
        if self.member_id(environ) is None:
            return NOT_SIGNED_IN
        address = environ.get("REMOTE_ADDR") or "unknown"
        with self._lock:
            if self.open[address] >= self.per_address:
                refused = True
            else:
                refused = False
                self.open[address] += 1
                self._address_of[eio_sid] = address
        if refused:
            self.app.logger.warning("Socket refused: %s open from %s", self.per_address, address)
            return TOO_MANY
        return self._connected(eio_sid, environ)

    def on_disconnect(self, eio_sid: str, *args: Any) -> Any:
        """Let Socket.IO clean up, then free the address's place."""
        try:
            return self._disconnected(eio_sid, *args)
        finally:
            with self._lock:
                address = self._address_of.pop(eio_sid, None)
                if address is not None:
                    self.open[address] -= 1
                    if self.open[address] <= 0:
                        del self.open[address]
