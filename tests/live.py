"""Real server processes for tests: gunicorn, as in production, on free loopback ports."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tests.services import free_port, port_open

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class LiveServer:
    """One gunicorn process serving ``wsgi:app`` with the given settings."""

    env: dict[str, str]
    port: int = field(default_factory=free_port)
    threads: int = 100
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    _log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> LiveServer:
        """Start the process and wait until it accepts connections."""
        env = {**os.environ, **self.env, "PYTHONPATH": str(ROOT)}
        self.log_path = (
            Path(self.env.get("INSTANCE_PATH") or tempfile.gettempdir())
            / f"gunicorn-{self.port}.log"
        )
        log = self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                "1",
                "--threads",
                str(self.threads),
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_path.read_text()}")
            if port_open("127.0.0.1", self.port):
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start in {timeout}s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        """Stop the process and close its log."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


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
