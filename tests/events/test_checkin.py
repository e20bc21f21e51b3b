"""Check-in at the door: a badge's token or a name found, arrival recorded once, scans kept
offline sent again without harm."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.database import utcnow
from consult.events.badges import badge_token
from consult.events.models import Registration, Status
from consult.extensions import db
from tests.conftest import sign_in


def _sync(client, event, *scans):
    return client.post(f"/events/admin/{event.id}/checkin/sync", json={"scans": list(scans)})


def _result(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"][0]


def test_a_badge_checks_its_holder_in_once(make_event, register, secretariat_client):
    """Does a genuine badge record the arrival, and a second scan say when the first was,
    leaving the time unchanged?"""
    event = make_event(timezone="UTC")
    person = register(event)
    first = _result(_sync(secretariat_client, event, {"token": badge_token(person)}))
    assert first["result"] == "checked-in" and first["registration"] == person.id
    assert first["message"] == f"{person.name} is checked in."
    db.session.expire_all()
    arrived = db.session.get(Registration, person.id).checked_in_at
    assert arrived is not None
    again = _result(_sync(secretariat_client, event, {"token": badge_token(person)}))
    assert again["result"] == "already"
    assert f"already checked in at {arrived:%H:%M}" in again["message"]
    db.session.expire_all()
    assert db.session.get(Registration, person.id).checked_in_at == arrived


def test_forged_foreign_and_unconfirmed_badges_are_refused(
    make_event, register, secretariat_client
):
    """Is a forged token refused, another event's badge named as such, and someone without a
    confirmed seat not checked in?"""
    event, other = make_event(capacity=1), make_event()
    person = register(event)
    waiting = register(event)
    assert waiting.status is Status.WAITING
    token = badge_token(person)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert _result(_sync(secretariat_client, event, {"token": forged}))["result"] == "invalid"
    foreign = _result(_sync(secretariat_client, other, {"token": token}))
    assert foreign["result"] == "other-event"
    assert foreign["message"] == "This badge is for another event."
    assert _result(_sync(secretariat_client, other, {"registration": person.id}))["result"] == (
        "unknown"
    )
    unconfirmed = _result(_sync(secretariat_client, event, {"registration": waiting.id}))
    assert unconfirmed["result"] == "not-confirmed"
    db.session.expire_all()
    assert db.session.get(Registration, person.id).checked_in_at is None
    assert db.session.get(Registration, waiting.id).checked_in_at is None


def test_a_sync_sent_twice_records_each_arrival_once_at_its_scan_time(
    make_event, register, secretariat_client
):
    """Does a batch of scans kept offline record each person at the time of the scan, and the
    same batch resent (the answer lost on the way) change nothing?"""
    event = make_event()
    one, two = register(event), register(event)
    scanned = (utcnow() - timedelta(minutes=40)).replace(microsecond=0)
    batch = [
        {"registration": one.id, "at": scanned.isoformat()},
        {"token": badge_token(two), "at": "2001-01-01T00:00:00Z"},  # a wrong clock: now
        {"registration": one.id, "at": utcnow().isoformat()},
    ]
    first = _sync(secretariat_client, event, *batch).get_json()
    assert [r["result"] for r in first["results"]] == ["checked-in", "checked-in", "already"]
    assert first["checked_in"] == 2
    db.session.expire_all()
    times = {r.id: r.checked_in_at for r in db.session.query(Registration)}
    assert times[one.id] == scanned
    assert utcnow() - times[two.id] < timedelta(minutes=5)
    again = _sync(secretariat_client, event, *batch).get_json()
    assert [r["result"] for r in again["results"]] == ["already"] * 3
    db.session.expire_all()
    assert {r.id: r.checked_in_at for r in db.session.query(Registration)} == times


@pytest.mark.parametrize(
    "body",
    [None, {}, {"scans": "all"}, {"scans": [1, 2]}, {"scans": [{}] * 501}],
)
def test_a_malformed_sync_is_a_400(make_event, secretariat_client, body):
    """Is a body that is not a list of scans refused with a message, not a 500?"""
    event = make_event()
    response = secretariat_client.post(f"/events/admin/{event.id}/checkin/sync", json=body)
    assert response.status_code == 400


def test_name_search_finds_confirmed_participants(make_event, register, secretariat_client):
    """Does the search find confirmed people by part of their name in any case, any script,
    and leave out those waiting; does the full list carry each badge's token?"""
    event = make_event(capacity=2)
    ana, wang = register(event), register(event)
    ana.name, wang.name = "Ana Lucía Fernández", "王秀英"
    waiting = register(event)
    waiting.name = "Ana Waiting"
    db.session.commit()
    base = f"/events/admin/{event.id}/checkin/participants"
    found = secretariat_client.get(f"{base}?q=ANA").get_json()["participants"]
    assert [p["name"] for p in found] == ["Ana Lucía Fernández"]
    assert found[0]["country"] == "Kenya" and found[0]["checked_in_at"] is None
    assert [p["id"] for p in secretariat_client.get(f"{base}?q=秀").get_json()["participants"]] == [
        wang.id
    ]
    everyone = secretariat_client.get(base).get_json()
    assert {p["id"] for p in everyone["participants"]} == {ana.id, wang.id}
    assert {p["token"] for p in everyone["participants"]} == {badge_token(ana), badge_token(wang)}
    assert everyone["csrf"]


def test_the_check_in_page_is_for_the_secretariat(
    client, make_event, make_member, make_secretariat
):
    """Are visitors sent to sign in, members refused, and the page and its worker served to
    the Secretariat?"""
    event = make_event()
    paths = [
        f"/events/admin/{event.id}/checkin",
        f"/events/admin/{event.id}/checkin/participants",
    ]
    for path in paths:
        assert client.get(path).status_code == 302
    assert _sync(client, event, {"registration": 1}).status_code in (302, 401)
    sign_in(client, make_member())
    for path in paths:
        assert client.get(path).status_code == 403
    assert _sync(client, event, {"registration": 1}).status_code == 403
    sign_in(client, make_secretariat())
    page = client.get(paths[0]).get_data(as_text=True)
    assert "Scan a badge" in page and "vendor/jsQR." in page and "js/checkin." in page
    worker = client.get("/events/admin/checkin-worker.js")
    assert worker.status_code == 200 and "javascript" in worker.mimetype
