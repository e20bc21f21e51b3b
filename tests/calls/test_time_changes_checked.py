"""Every path that sets a call's time (confirm from the planner, confirm from a poll, move) runs
the same checks, and shows each warning for acknowledgement before any invitation goes out."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from consult.calls import lifecycle
from consult.calls.models import AwayPeriod, Call, CallStatus
from consult.calls.poll_models import Poll
from consult.extensions import db
from tests.conftest import acknowledgement, sign_in

NEW_YORK = ZoneInfo("America/New_York")
#: Sunday 6 December 2026, 17:40 in New York: the issue's "move" with three minutes' notice.
SUNDAY = datetime(2026, 12, 6, 22, 40, tzinfo=UTC)
START = datetime(2026, 12, 6, 17, 43, tzinfo=NEW_YORK).astimezone(UTC)


def _nothing(client, series, start):
    """The planner needs nothing before its confirm."""


def _confirm_from_planner(client, series, start, **extra):
    data = {"start": start.isoformat(), **extra}
    return client.post(f"/calls/series/{series.id}/confirm", data=data)


def _send_poll(client, series, start):
    """A poll with ``start`` among its three slots, typed by hand."""
    data = {}
    for index, moment in enumerate([start, start + timedelta(days=2), start + timedelta(days=3)]):
        local = moment.astimezone(NEW_YORK)
        data[f"typed-{index}-day"] = local.date().isoformat()
        data[f"typed-{index}-time"] = local.strftime("%H:%M")
    assert client.post(f"/calls/series/{series.id}/poll", data=data).status_code == 302


def _confirm_from_poll(client, series, start, **extra):
    poll = db.session.scalar(select(Poll).where(Poll.series_id == series.id))
    data = {"start": start.isoformat(), **extra}
    return client.post(f"/calls/polls/{poll.id}/confirm", data=data)


def _call_to_move(client, series, start):
    """A confirmed call, 40 days after ``start``, to move."""
    lifecycle.confirm_call(series.id, start + timedelta(days=40), notify=False)
    db.session.commit()


def _move(client, series, start, **extra):
    call = db.session.scalar(
        select(Call).where(Call.series_id == series.id).order_by(Call.starts_at.desc())
    )
    local = start.astimezone(NEW_YORK)
    data = {"day": local.date().isoformat(), "time": local.strftime("%H:%M"), **extra}
    return client.post(f"/calls/{call.id}/reschedule", data=data)


#: Each path: what must exist first (a poll, a call), then the request that sets the time.
PATHS = {
    "planner": (_nothing, _confirm_from_planner),
    "poll": (_send_poll, _confirm_from_poll),
    "move": (_call_to_move, _move),
}


def _starts(series) -> list[datetime]:
    return list(
        db.session.scalars(
            select(Call.starts_at).where(
                Call.series_id == series.id, Call.status == CallStatus.CONFIRMED
            )
        )
    )


@pytest.mark.parametrize("path", PATHS)
def test_each_warning_is_shown_and_acknowledged_before_invitations(
    client, make_series, mailbox, path
):
    """Sunday 17:43 in New York, three minutes ahead: is every warning (weekend, notice, the
    night in New Delhi) shown first, nothing changed or sent, and only then sent once acknowledged?"""
    series = make_series()
    delhi = next(m for m in series.members if m.timezone == "Asia/Kolkata")
    prepare, send = PATHS[path]
    with freeze_time(SUNDAY, tick=True):
        sign_in(client, series.organiser)
        prepare(client, series, START)
        before = _starts(series)
        mailbox.clear()
        review = send(client, series, START)
        assert review.status_code == 200
        html = review.get_data(as_text=True)
        assert "Check before sending" in html
        assert "is a weekend day for the Secretariat" in html
        assert "less than a week&#39;s notice" in html or "less than a week's notice" in html
        night = re.search(r"Outside acceptable hours for: (.*?)\.<", html).group(1)
        assert re.search(
            rf"<bdi>{re.escape(delhi.display_name)}</bdi> \(4:13\s?am\)", night, re.I
        ), night
        assert _starts(series) == before and mailbox.messages == []

        done = send(client, series, START, acknowledged=acknowledgement(html))
        assert done.status_code == 302
        assert START in _starts(series)
        assert {str(m["To"]) for m in mailbox.messages} == {m.email for m in series.members}


@pytest.mark.parametrize("path", PATHS)
def test_warnings_that_changed_since_the_review_are_shown_again(client, make_series, mailbox, path):
    """A member marks themselves away between the review and the click: is the old
    acknowledgement refused, the new warning shown, and nothing sent until it is acknowledged?"""
    series = make_series()
    delhi = next(m for m in series.members if m.timezone == "Asia/Kolkata")
    prepare, send = PATHS[path]
    with freeze_time(SUNDAY, tick=True):
        sign_in(client, series.organiser)
        prepare(client, series, START)
        before = _starts(series)
        mailbox.clear()
        first = send(client, series, START).get_data(as_text=True)
        assert "Would miss the call" not in first
        db.session.add(
            AwayPeriod(user=delhi, starts_on=date(2026, 12, 6), ends_on=date(2026, 12, 8))
        )
        db.session.commit()

        again = send(client, series, START, acknowledged=acknowledgement(first))
        assert again.status_code == 200
        html = again.get_data(as_text=True)
        missed = re.search(r"Would miss the call: (.*?)\.<", html)
        assert missed and f"<bdi>{delhi.display_name}</bdi>" in missed.group(1)
        assert acknowledgement(html) != acknowledgement(first)
        assert _starts(series) == before and mailbox.messages == []
        done = send(client, series, START, acknowledged=acknowledgement(html))
        assert done.status_code == 302 and START in _starts(series)


@pytest.mark.parametrize("path", PATHS)
def test_a_start_too_close_to_another_call_is_refused_on_every_path(
    client, make_series, mailbox, path
):
    """Is a start within the minimum gap of another confirmed call refused (422) on every path?"""
    series = make_series()
    prepare, send = PATHS[path]
    target = SUNDAY + timedelta(days=9)
    with freeze_time(SUNDAY, tick=True):
        sign_in(client, series.organiser)
        other = lifecycle.confirm_call(series.id, SUNDAY + timedelta(days=100), notify=False)
        prepare(client, series, target)
        # Then the other call moves close to the target (a confirm would close the poll).
        lifecycle.move_call(other.id, SUNDAY + timedelta(days=2), notify=False)
        before = _starts(series)
        mailbox.clear()
        response = send(client, series, target, acknowledged="1")
        assert response.status_code == 422
        assert "must be at least 28 days apart" in response.get_data(as_text=True)
        assert _starts(series) == before and mailbox.messages == []


def test_a_move_far_from_the_window_still_sees_its_holidays(client, make_series, mailbox):
    """Moving a call to Christmas Day, outside the planner's window: are the UN holiday and the
    Paris member's public holiday both among the warnings?"""
    series = make_series()
    paris = next(m for m in series.members if m.timezone == "Europe/Paris")
    with freeze_time(datetime(2026, 11, 30, 15, 0, tzinfo=UTC), tick=True):
        sign_in(client, series.organiser)
        christmas = datetime(2026, 12, 25, 10, 0, tzinfo=NEW_YORK)
        _call_to_move(client, series, christmas - timedelta(days=25))
        html = _move(client, series, christmas).get_data(as_text=True)
    assert "is a holiday for the Secretariat" in html
    missing = re.search(r"Would miss the call: (.*?)\.<", html).group(1)
    assert f"<bdi>{paris.display_name}</bdi> (Christmas Day)" in missing
    assert christmas not in _starts(series)
