"""Demo data: the Steering Group's call series, two held calls and one to come."""

from __future__ import annotations

from sqlalchemy import select

from consult.calls.demo import SERIES_NAME
from consult.calls.models import Call, CallSeries, CallStatus
from consult.database import utcnow
from consult.demo import DEMO_MEMBERS, load_demo
from consult.extensions import db


def test_demo_is_loaded_once_and_consistent(app):
    """Does loading the demo twice give one series, two held calls and one future call?"""
    load_demo()
    load_demo()
    (series,) = db.session.scalars(select(CallSeries)).all()
    assert series.name == SERIES_NAME
    assert (series.cadence_min_days, series.cadence_max_days) == (28, 35)
    assert len(series.memberships) == len(DEMO_MEMBERS)
    calls = db.session.scalars(select(Call).order_by(Call.starts_at)).all()
    assert [c.status for c in calls] == [CallStatus.HELD, CallStatus.HELD, CallStatus.CONFIRMED]
    assert 28 <= (calls[1].starts_at - calls[0].starts_at).days <= 35
    assert calls[2].starts_at > utcnow()
    assert all(c.minutes for c in calls[:2])
    assert "no agreement yet on its scope and content" in calls[0].minutes
    assert len(calls[2].attendances) == len(DEMO_MEMBERS)


def test_demo_pages_render(client):
    """Do the demo's planner, call pages and dashboard render for the Secretariat and a member?"""
    users = load_demo()
    from tests.conftest import sign_in

    secretariat = users["secretariat@example.org"]
    series = db.session.scalars(select(CallSeries)).one()
    calls = db.session.scalars(select(Call).order_by(Call.starts_at)).all()
    sign_in(client, secretariat)
    plan = client.get(f"/calls/series/{series.id}/plan").get_data(as_text=True)
    assert "Government of China (Beijing)" in plan
    assert "A call is already confirmed" in plan
    for call in calls:
        assert client.get(f"/calls/{call.id}").status_code == 200
    assert "Preparing the consultative forum" in client.get(f"/calls/{calls[0].id}").get_data(
        as_text=True
    )
    sign_in(client, users["ngo.nairobi@example.org"])
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "analytical study of the three codes" in dashboard
    assert client.get("/calls").status_code == 200
