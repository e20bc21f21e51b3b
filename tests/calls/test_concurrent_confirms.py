"""Two officers confirming at the same moment, on two server processes, give one call."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult import create_app
from consult.calls.models import Call, CallStatus
from consult.extensions import db
from tests.calls.conftest import seed_live_series
from tests.conftest import TEST_PASSWORD
from tests.live import LiveServer, all_at_once, prepared, signed_in

pytestmark = [
    pytest.mark.live,
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def test_simultaneous_confirms_give_one_call(live_database_url, tmp_path):
    """Do eight confirms of different slots, posted together to two processes, leave one call?"""
    officer, series_id, _ = seed_live_series(live_database_url, tmp_path)
    env = {
        "DATABASE_URL": live_database_url,
        "SECRET_KEY": "calls-concurrency-test",
        "INSTANCE_PATH": str(tmp_path),
        "MAIL_SERVER": "",
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "RATELIMIT_ENABLED": "false",
    }
    servers = [LiveServer(env=env, threads=16).start() for _ in range(2)]
    try:
        plan_path = f"/calls/series/{series_id}/plan"
        tasks = []
        for number in range(8):
            server = servers[number % 2]
            session = signed_in(server.url, officer, TEST_PASSWORD)
            session, token = prepared(server.url, plan_path, session)
            page = session.get(server.url + plan_path, timeout=60).text
            starts = re.findall(r'name="start" value="([^"]+)"', page)
            start = starts[number % len(starts)]
            data = {"csrf_token": token, "start": start}
            url = f"{server.url}/calls/series/{series_id}/confirm"
            tasks.append(
                lambda s=session, u=url, d=data: s.post(
                    u, data=d, allow_redirects=False, timeout=120
                )
            )
        responses = all_at_once(tasks)
    finally:
        for server in servers:
            server.stop()
    # A confirm that read the series after another one committed is refused (422) by the
    # cadence check; one that read it before is stopped under the lock (302 with a message).
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {302, 422}, statuses

    app = create_app({"SQLALCHEMY_DATABASE_URI": live_database_url, "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        calls = db.session.scalars(
            select(Call).where(Call.series_id == series_id, Call.status == CallStatus.CONFIRMED)
        ).all()
        assert len(calls) == 1
        assert calls[0].number == 1
        db.session.remove()
        db.engine.dispose()


def test_the_database_keeps_one_live_call_per_number(app, make_series):
    """Without the lock, does the unique index still refuse a second call numbered alike?"""
    series = make_series()
    start = datetime(2030, 3, 4, 14, 0).astimezone()
    db.session.add(Call(series=series, number=1, starts_at=start, status=CallStatus.CONFIRMED))
    db.session.commit()
    db.session.add(Call(series=series, number=1, starts_at=start, status=CallStatus.CANCELLED))
    db.session.commit()  # a cancelled call does not count
    db.session.add(Call(series=series, number=1, starts_at=start, status=CallStatus.CONFIRMED))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
