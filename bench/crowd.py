"""Many Socket.IO clients in one bench process: raw WebSockets read by one thread.

A python-socketio client runs two or three threads of its own; a thousand of them would
measure the bench process more than the server. Here each client is one WebSocket speaking
the few Engine.IO 4 / Socket.IO 5 text packets a page uses (open, namespace connect, ``join``
with its answer, events, ping/pong), and a single thread waits on all of them with a
selector, stamping each arrival as it reads it. The same crowd listens to Consult and to the
bare server, so its own cost is the same on both sides.
"""

from __future__ import annotations

import contextlib
import json
import re
import selectors
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import websocket

NAMESPACE = "/toolkit"
TOKEN = re.compile(r"benchpost(\d+)x(\d+)")


class Crowd:
    """``size`` clients joined to one room; ``arrivals`` holds ``(client, run, post, time)``."""

    def __init__(
        self,
        base_url: str,
        cookie: str | None,
        section_id: int,
        size: int,
        on_event: Callable[[int], None] | None = None,
    ) -> None:
        self.url = base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.cookie = f"session={cookie}" if cookie else None
        self.section_id = section_id
        self.size = size
        self.on_event = on_event
        self.sockets: dict[int, websocket.WebSocket] = {}
        self._lock = threading.Lock()
        self.arrivals: list[tuple[int, int, int, float]] = []
        self.closed_by_server = 0
        #: The first event message heard, as sent (to give the bare server the same size).
        self.sample: str | None = None
        self._selector = selectors.DefaultSelector()
        self._stop = threading.Event()
        self._reader: threading.Thread | None = None

    def _open(self, index: int) -> websocket.WebSocket:
        ws = websocket.create_connection(self.url, cookie=self.cookie, timeout=60)
        assert ws.recv().startswith("0{"), "no Engine.IO open packet"
        ws.send(f"40{NAMESPACE},")
        answer = ws.recv()
        assert answer.startswith(f"40{NAMESPACE},"), answer
        ws.send(f'42{NAMESPACE},1["join",{{"section":{self.section_id},"last":0}}]')
        while True:
            answer = ws.recv()
            if answer == "2":
                ws.send("3")
                continue
            assert answer.startswith(f"43{NAMESPACE},1"), answer
            assert json.loads(answer[len(f"43{NAMESPACE},1") :])[0]["ok"], answer
            return ws

    def connect(self, workers: int = 8) -> Crowd:
        """Open, connect and join every client (a few at a time); each is read (and answers
        the server's pings) from the moment it has joined, however long the others take."""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

        def open_and_watch(index: int) -> websocket.WebSocket:
            ws = self._open(index)
            ws.sock.settimeout(10)
            with self._lock:
                self.sockets[index] = ws
                self._selector.register(ws.sock, selectors.EVENT_READ, index)
            return ws

        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(open_and_watch, range(self.size)))
        return self

    def _read(self) -> None:
        """Read raw bytes and cut them into frames here: one ``recv`` takes every frame that
        has arrived (websocket-client would make three system calls per frame)."""
        buffers: dict[int, bytearray] = {}
        while not self._stop.is_set():
            if not self._selector.get_map():
                time.sleep(0.01)
                continue
            for key, _ in self._selector.select(timeout=0.2):
                index = key.data
                try:
                    data = key.fileobj.recv(1 << 18)
                except OSError:
                    data = b""
                if not data:
                    self._selector.unregister(key.fileobj)
                    self.closed_by_server += 1
                    continue
                now = time.perf_counter()
                buffer = buffers.setdefault(index, bytearray())
                buffer += data
                for payload in _frames(buffer):
                    self._heard(index, payload, now)

    def _heard(self, index: int, payload: bytes, now: float) -> None:
        if payload == b"2":
            self.sockets[index].send("3")
        elif payload.startswith(b"42" + NAMESPACE.encode() + b","):
            message = payload.decode()
            self.sample = self.sample or message
            found = TOKEN.search(message)
            if found:
                self.arrivals.append((index, int(found[1]), int(found[2]), now))
                if self.on_event is not None:
                    self.on_event(index)

    def count(self, run: int) -> int:
        """Arrivals of ``run``'s posts so far."""
        return sum(1 for _, r, _, _ in list(self.arrivals) if r == run)

    def close(self) -> None:
        """Stop reading and close every socket."""
        self._stop.set()
        if self._reader is not None:
            self._reader.join(5)
        for ws in self.sockets.values():
            with contextlib.suppress(Exception):  # already closed by the server
                ws.close(timeout=1)
        self._selector.close()


def _frames(buffer: bytearray) -> list[bytes]:
    """Take the complete frames off the front of ``buffer`` (a server's frames are unmasked;
    Socket.IO sends each message whole, in one text frame)."""
    frames = []
    while len(buffer) >= 2:
        length, start = buffer[1] & 0x7F, 2
        if length == 126:
            if len(buffer) < 4:
                break
            length, start = int.from_bytes(buffer[2:4], "big"), 4
        elif length == 127:
            if len(buffer) < 10:
                break
            length, start = int.from_bytes(buffer[2:10], "big"), 10
        if len(buffer) < start + length:
            break
        opcode = buffer[0] & 0x0F
        if opcode in (0x1, 0x2):
            frames.append(bytes(buffer[start : start + length]))
        del buffer[: start + length]
    return frames
