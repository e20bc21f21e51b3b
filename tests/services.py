"""Outside services the tests use: skip with a reason when absent, but never skip in CI.

Locally a test whose service is missing skips and says why. In CI (``CI=true``, which
``.ci/run`` exports) every skip turns into a failure, through the report hooks in
``tests/conftest.py``, so a missing Redis or Chromium cannot hide behind a warning.
"""

from __future__ import annotations

import os
import shutil
import socket
from typing import TypeVar
from urllib.parse import urlsplit

import pytest

R = TypeVar("R", pytest.TestReport, pytest.CollectReport)

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def in_ci() -> bool:
    """True when ``CI`` is set to anything but an empty string, ``0``, ``false`` or ``no``."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def fail_skips_in_ci(report: R) -> R:
    """In CI, turn a skipped test's (or module's) report into a failure that keeps the reason."""
    if not (report.skipped and in_ci()) or hasattr(report, "wasxfail"):
        return report
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
    reason = str(reason).removeprefix("Skipped: ")
    report.outcome = "failed"
    report.longrepr = f"CI must run every test, but this one skipped: {reason}"
    return report


def require(condition: bool, reason: str) -> None:
    """Skip the test with ``reason`` when ``condition`` is false (in CI that fails the test)."""
    if not condition:
        pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    """True when something listens on host:port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_redis() -> str:
    """The Redis URL for tests, or skip when Redis does not answer."""
    parts = urlsplit(REDIS_URL)
    require(
        port_open(parts.hostname or "127.0.0.1", parts.port or 6379), f"no Redis at {REDIS_URL}"
    )
    return REDIS_URL


def require_chromium() -> tuple[str, str]:
    """Paths of Debian's chromium and chromedriver, or skip when they are not installed."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    require(
        os.path.exists(chromium) and os.path.exists(driver),
        "headless Chromium is not installed (apt-get install chromium chromium-driver)",
    )
    return chromium, driver


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
