"""Outside services the tests use: skip with a reason when absent, but never skip in CI."""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlsplit

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def require(condition: bool, reason: str) -> None:
    """Skip the test when ``condition`` is false; in CI, fail instead, so nothing is silently skipped."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test, but: {reason}")
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
