"""Real server processes for tests: gunicorn, as in production, on free loopback ports."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import requests

from tests.services import free_port

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class LiveServer:
    """One gunicorn process serving ``wsgi:app`` with the given settings, as the README deploys it
    (one gevent worker), unless told otherwise.

    By default the checkout's app, with the running Python; the package test gives the Python
    of another virtual environment, another working directory, ``consult.wsgi:app`` and no
    ``PYTHONPATH``, so that only the installed package can answer.
    """

    env: dict[str, str]
    port: int = field(default_factory=free_port)
    #: ``gevent`` as the README deploys it (each connection a greenlet), or ``gthread``.
    worker_class: str = "gevent"
    #: Threads of a ``gthread`` worker.
    threads: int = 100
    #: Simultaneous connections of a ``gevent`` worker (open sockets and requests together).
    connections: int = 2000
    python: str = sys.executable
    cwd: Path = ROOT
    target: str = "wsgi:app"
    pythonpath: str | None = str(ROOT)
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    _log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> LiveServer:
        """Start the process and wait until it accepts connections."""
        env = {**os.environ, **self.env}
        env.pop("PYTHONPATH", None)
        if self.pythonpath:
            env["PYTHONPATH"] = self.pythonpath
        self.log_path = (
            Path(self.env.get("INSTANCE_PATH") or tempfile.gettempdir())
            / f"gunicorn-{self.port}.log"
        )
        log = self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                self.python,
                "-m",
                "gunicorn",
                "-w",
                "1",
                "-k",
                self.worker_class,
                *(
                    ["--worker-connections", str(self.connections)]
                    if self.worker_class == "gevent"
                    else ["--threads", str(self.threads)]
                ),
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                self.target,
            ],
            cwd=self.cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends the worker too
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_path.read_text()}")
            if self.answers():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start in {timeout}s:\n{self.log_path.read_text()}")

    def answers(self) -> bool:
        """True once the worker has loaded the app and answers HTTP.

        gunicorn opens the port before its worker has imported the app; on a busy machine that
        takes seconds, longer than a Socket.IO client waits for its handshake.
        """
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("HEAD", "/static/css/consult.css")
            connection.getresponse().read()
        except (OSError, http.client.HTTPException):
            return False
        finally:
            connection.close()
        return True

    def stop(self) -> None:
        """Stop the process (and its worker, even one still closing sockets) and close its log."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_in(html: str) -> str | None:
    """The CSRF token of the first form in ``html`` (whatever the order of its attributes)."""
    match = TOKEN.search(html)
    return match.group(1) if match else None


def prepared(
    base: str, path: str, session: requests.Session | None = None
) -> tuple[requests.Session, str]:
    """A browser-like session that fetched ``path`` and holds its CSRF cookie and token."""
    session = session or requests.Session()
    # no keep-alive: gunicorn would drop an idle connection before the burst reuses it
    page = session.get(base + path, timeout=60, headers={"Connection": "close"})
    page.raise_for_status()
    match = TOKEN.search(page.text)
    assert match, f"no CSRF token on {path}"
    return session, match.group(1)


def signed_in(base: str, email: str, password: str) -> requests.Session:
    """A session signed in through the real sign-in form."""
    session, token = prepared(base, "/sign-in")
    response = session.post(
        base + "/sign-in",
        data={"csrf_token": token, "email": email, "password": password},
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code in (302, 303), response.text[:500]
    return session


def all_at_once(tasks: list[Callable[[], Any]]) -> list[Any]:
    """Run every task in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(tasks))

    def run(task: Callable[[], Any]) -> Any:
        barrier.wait()
        return task()

    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        return list(pool.map(run, tasks))


@dataclass
class LiveWorker:
    """One ``flask --app consult worker`` process with the given settings."""

    env: dict[str, str]
    threads: int = 1
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    _log: IO[bytes] | None = None

    def start(self) -> LiveWorker:
        """Start the worker (it sweeps the outbox as it starts)."""
        env = {**os.environ, **self.env, "PYTHONPATH": str(ROOT)}
        folder = Path(self.env.get("INSTANCE_PATH") or tempfile.gettempdir())
        self.log_path = folder / f"worker-{time.monotonic_ns()}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "consult", "worker", "-w", str(self.threads)],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        return self

    def log(self) -> str:
        """What the worker wrote so far."""
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def kill(self) -> None:
        """SIGKILL: the worker dies at once, in the middle of whatever it was doing."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close()

    def stop(self) -> None:
        """Ask the worker to finish its jobs and stop (SIGINT, as Ctrl-C), killing it if it hangs."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._close()

    def _close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> LiveWorker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
