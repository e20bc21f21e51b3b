"""Real ``flask worker`` processes: killed in the middle of a batch, and racing each other.

The guarantee under test (see :mod:`consult.outbox.delivery`): every message is
delivered; a worker killed outright loses nothing; and the only message that can
arrive twice is the one the server had accepted when the worker died, with the
same Message-ID both times.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from consult import create_app, jobs
from consult.accounts.constituencies import ensure_standard_constituencies
from consult.accounts.models import User
from consult.accounts.notifications import queue_password_reset
from consult.database import utcnow
from consult.extensions import db
from consult.outbox.models import OutboxMessage, OutboxStatus
from tests.conftest import migrated_database
from tests.live import LiveWorker
from tests.services import require_redis

pytestmark = pytest.mark.live

LEASE = 3  # seconds: short, so that the test need not wait long for a dead worker's claim


def settings(database_url: str, folder: Path, smtp_port: int, jobs_url: str) -> dict[str, str]:
    """The environment shared by the test's own app and the worker processes."""
    return {
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(folder),
        "SECRET_KEY": "outbox-live-tests",
        "CONSULT_ENV": "local",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "MAIL_DEFAULT_SENDER": "Consult <consult@example.org>",
        "PUBLIC_URL": "http://consult.test",
        "JOBS_URL": jobs_url,
        "JOBS_NAME": f"consult-test-{secrets.token_hex(4)}",
        "OUTBOX_LEASE_SECONDS": str(LEASE),
    }


def make_app(env: dict[str, str]) -> Flask:
    """An application on the live database that enqueues to the same queue as the workers."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "INSTANCE_PATH": env["INSTANCE_PATH"],
            "SECRET_KEY": env["SECRET_KEY"],
            "MAIL_SERVER": env["MAIL_SERVER"],
            "MAIL_PORT": int(env["MAIL_PORT"]),
            "MAIL_DEFAULT_SENDER": env["MAIL_DEFAULT_SENDER"],
            "PUBLIC_URL": env["PUBLIC_URL"],
            "JOBS_URL": env["JOBS_URL"],
            "JOBS_NAME": env["JOBS_NAME"],
            "OUTBOX_LEASE_SECONDS": LEASE,
        }
    )


@pytest.fixture(scope="module")
def outbox_database_url(database_url, tmp_path_factory) -> str:
    """A database of these tests' own: a worker sweeps every due message it finds, and other
    live tests leave theirs queued in the shared live database."""
    return migrated_database(database_url, "outbox", tmp_path_factory.mktemp("outbox"))


@pytest.fixture
def live(outbox_database_url, smtp_server, tmp_path) -> Iterator[tuple[Flask, dict[str, str]]]:
    """The test's application and the workers' environment (SQLite job queue in ``tmp_path``)."""
    env = settings(
        outbox_database_url, tmp_path, smtp_server[0].port, f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    )
    application = make_app(env)
    with application.app_context():
        ensure_standard_constituencies()
        db.session.commit()
    yield application, env
    with application.app_context():
        db.engine.dispose()


def queue_resets(app: Flask, count: int, commits: int = 1) -> list[str]:
    """Create ``count`` members and queue a reset for each, in ``commits`` commits; Message-IDs."""
    tag = secrets.token_hex(4)
    with app.app_context():
        addresses = []
        for number in range(count):
            user = User(email=f"w{tag}-{number}@example.org", display_name=f"Worker test {number}")
            user.password_hash = "x"
            db.session.add(user)
            addresses.append(user.email)
        db.session.commit()
        per_commit = -(-count // commits)
        for start in range(0, count, per_commit):
            for address in addresses[start : start + per_commit]:
                queue_password_reset(address)
            db.session.commit()
        return [
            row.message_id
            for row in db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.recipient.in_(addresses))
                .order_by(OutboxMessage.id)
            )
        ]


def statuses(app: Flask, message_ids: list[str]) -> list[OutboxMessage]:
    """The rows of these messages, oldest first, detached."""
    with app.app_context():
        found = list(
            db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.message_id.in_(message_ids))
                .order_by(OutboxMessage.id)
            )
        )
        db.session.expunge_all()
        return found


def wait_until_sent(app: Flask, message_ids: list[str], workers: list[LiveWorker]) -> None:
    """Wait (at most a minute) until every row is sent."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        rows = statuses(app, message_ids)
        if all(row.status is OutboxStatus.SENT for row in rows):
            return
        time.sleep(0.2)
    logs = "\n".join(worker.log() for worker in workers)
    pytest.fail(f"not all sent: {[r.status.value for r in rows]}\n{logs}")


def test_a_worker_killed_mid_batch_loses_nothing(live, mailbox):
    """After SIGKILL in the middle of a batch, does a new worker deliver the rest, each once,
    with only the message in flight at the kill delivered a second time (same Message-ID)?"""
    app, env = live
    message_ids = queue_resets(app, 8)
    mailbox.hold_at = 4  # the server keeps the 4th message without answering
    first = LiveWorker(env).start()
    try:
        assert mailbox.held.wait(60), first.log()
    finally:
        first.kill()
    mailbox.release.set()
    mailbox.hold_at = None

    rows = statuses(app, message_ids)
    assert [row.status for row in rows[:3]] == [OutboxStatus.SENT] * 3
    assert {row.status for row in rows[3:]} == {OutboxStatus.SENDING}, "claimed, not sent"
    lease_end = max(row.claimed_until for row in rows[3:])
    time.sleep(max(0.0, (lease_end - utcnow()).total_seconds()) + 0.5)

    second = LiveWorker(env).start()
    try:
        wait_until_sent(app, message_ids, [first, second])
    finally:
        second.stop()
    received = Counter(mailbox.message_ids())
    in_flight = message_ids[3]
    assert received[in_flight] == 2, "the message accepted as the worker died comes again"
    assert all(received[m] == 1 for m in message_ids if m != in_flight)
    assert set(received) == set(message_ids)
    assert statuses(app, [in_flight])[0].attempts == 2


def test_two_workers_racing_send_each_message_once(
    outbox_database_url, smtp_server, tmp_path, mailbox
):
    """With two worker processes (two threads each) on a Redis queue all chasing the same
    messages, does every message go out exactly once?"""
    env = settings(outbox_database_url, tmp_path, smtp_server[0].port, require_redis())
    app = make_app(env)
    try:
        message_ids = queue_resets(app, 60, commits=6)
        with app.app_context():
            ids = [row.id for row in statuses(app, message_ids)]
            for _ in range(4):  # the same messages asked for again and again
                jobs.enqueue("outbox.deliver", ids)
        workers = [LiveWorker(env, threads=2).start() for _ in range(2)]
        try:
            wait_until_sent(app, message_ids, workers)
        finally:
            for worker in workers:
                worker.stop()
        received = Counter(mailbox.message_ids())
        assert set(received) == set(message_ids)
        assert set(received.values()) == {1}
        assert all(row.attempts == 1 for row in statuses(app, message_ids))
    finally:
        with app.app_context():
            jobs.queue().storage.flush_queue()
            db.engine.dispose()


def test_worker_refuses_to_run_jobs_that_run_at_once(tmp_path):
    """Does ``flask worker`` refuse, with a reason, when JOBS_IMMEDIATE is set?"""
    app = create_app({"INSTANCE_PATH": str(tmp_path), "JOBS_IMMEDIATE": True, "TESTING": True})
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code != 0 and "JOBS_IMMEDIATE" in result.output


def test_lease_default_outlasts_a_slow_server(tmp_path):
    """Is the default lease longer than a few SMTP timeouts, so a slow send is not taken back?"""
    from consult.config import load_config

    config = load_config(tmp_path, {})
    assert timedelta(seconds=config["OUTBOX_LEASE_SECONDS"]) >= 4 * timedelta(
        seconds=config["MAIL_TIMEOUT"]
    )
