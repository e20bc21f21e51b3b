"""The private calendar feed: secret token, regeneration, contents; calls hidden from visitors."""

from __future__ import annotations

import re

import vobject

from consult.calls import services
from consult.extensions import db
from tests.calls.conftest import future
from tests.conftest import sign_in


def _feed_url(client) -> str:
    html = client.get("/calls/feed").get_data(as_text=True)
    url = re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', html).group(1)
    assert re.search(r'href="webcal://[^"]+\.ics"', html)
    return re.sub(r"^https?://[^/]+", "", url)


def test_feed_lists_my_confirmed_calls(client, make_series, make_call):
    """Does the feed hold my confirmed calls, not cancelled ones, nor calls I am not invited to?"""
    series = make_series()
    mine = make_call(series, future(10))
    cancelled = make_call(series, future(40))
    services.cancel_call(cancelled)
    others = make_call(make_series(name="Another series"), future(20))
    db.session.commit()
    member = next(a.user for a in mine.attendances if not a.user.is_secretariat)
    sign_in(client, member)
    path = _feed_url(client)
    client.post("/sign-out")
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = vobject.readOne(response.get_data(as_text=True))
    assert not hasattr(calendar, "method")
    uids = [event.uid.value for event in calendar.vevent_list]
    assert uids == [mine.uid]
    assert cancelled.uid not in uids and others.uid not in uids
    assert calendar.vevent.dtstart.value == mine.starts_at


def test_no_token_or_wrong_token(client, make_call):
    """Is the feed refused (404) without a token or with a wrong one?"""
    make_call()
    assert client.get("/calls/feed/.ics").status_code == 404
    assert client.get("/calls/feed/not-the-token.ics").status_code == 404
    assert client.get("/calls/feed/" + "x" * 100 + ".ics").status_code == 404


def test_regenerated_token_replaces_the_old_one(client, make_call):
    """After regenerating, does the old URL stop working and the new one work?"""
    call = make_call()
    member = next(a.user for a in call.attendances if not a.user.is_secretariat)
    sign_in(client, member)
    old = _feed_url(client)
    assert _feed_url(client) == old
    assert client.post("/calls/feed/regenerate").status_code == 302
    new = _feed_url(client)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_deactivated_members_feed_stops(client, make_call):
    """Does a deactivated member's feed stop working?"""
    call = make_call()
    member = next(a.user for a in call.attendances if not a.user.is_secretariat)
    sign_in(client, member)
    path = _feed_url(client)
    member.active = False
    db.session.commit()
    assert client.get(path).status_code == 404


def test_calls_are_never_shown_to_visitors(client, make_call):
    """Are the calls list, a call page, the feed page and the planner closed to visitors?"""
    call = make_call()
    for path in (
        "/calls",
        f"/calls/{call.id}",
        "/calls/feed",
        "/actions",
        "/calls/away",
        f"/calls/series/{call.series_id}/plan",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/sign-in" in response.location
    assert "Calls" not in client.get("/").get_data(as_text=True).split("<main")[0]


def test_other_capabilities_can_add_to_the_feed(client, app, make_call):
    """Does a receiver of ``signals.calendar_feed`` add its meetings to the user's feed?"""
    from datetime import timedelta

    from consult import ical, signals

    call = make_call()
    member = next(a.user for a in call.attendances if not a.user.is_secretariat)
    start = future(30)

    def forum(sender, user):
        return [ical.Meeting("forum@consult", "Forum", start, start + timedelta(hours=2))]

    sign_in(client, member)
    with signals.calendar_feed.connected_to(forum, app):
        calendar = vobject.readOne(client.get(_feed_url(client)).get_data(as_text=True))
    assert {e.uid.value for e in calendar.vevent_list} == {call.uid, "forum@consult"}
