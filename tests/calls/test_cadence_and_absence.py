"""The planner never double-books a series and never rewards an absence (through the pages).

The scenarios are the ones the Secretariat met on the demo data: a call
confirmed for 14 December 2026, then the planner's first slot confirmed, then
the planner offering the days in between; and the Government of China away on
two days that then ranked first.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from consult.calls.models import AwayPeriod, Call, CallStatus
from consult.extensions import db
from tests.conftest import post_acknowledging, sign_in

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    """The clock of the Secretariat's afternoon, 30 November 2026."""
    with freeze_time(NOW, tick=True):
        yield


@pytest.fixture
def group(make_series, make_member):
    """A series of members in New York, Geneva, Nairobi, New Delhi and Beijing."""
    members = [
        make_member(name="Business member (Geneva)", timezone="Europe/Zurich", country="CH"),
        make_member(name="NGO member (Nairobi)", timezone="Africa/Nairobi", country="KE"),
        make_member(name="NGO member (New Delhi)", timezone="Asia/Kolkata", country="IN"),
        make_member(
            name="Government of China (Beijing)",
            timezone="Asia/Shanghai",
            country="CN",
            constituency="gov-developing",
        ),
    ]
    return make_series(members)


def _offered(client, series) -> list[datetime]:
    html = client.get(f"/calls/series/{series.id}/plan").get_data(as_text=True)
    return [datetime.fromisoformat(v) for v in re.findall(r'name="start" value="([^"]+)"', html)]


def _confirm(client, series, start: datetime, **extra):
    data = {"start": start.isoformat(), **extra}
    return post_acknowledging(client, f"/calls/series/{series.id}/confirm", data=data)


def _live_calls(series) -> list[datetime]:
    return list(
        db.session.scalars(
            select(Call.starts_at)
            .where(Call.series_id == series.id, Call.status == CallStatus.CONFIRMED)
            .order_by(Call.starts_at)
        )
    )


def _ny_day(moment: datetime) -> date:
    return moment.astimezone(NEW_YORK).date()


def test_the_planner_never_offers_a_day_between_confirmed_calls(frozen, client, group):
    """With 14 Dec confirmed and then the next slot confirmed, is nothing offered in between?"""
    sign_in(client, group.organiser)
    assert _confirm(client, group, datetime(2026, 12, 14, 12, 0, tzinfo=UTC)).status_code == 302
    first_offers = _offered(client, group)
    assert first_offers
    assert all(date(2027, 1, 11) <= _ny_day(s) <= date(2027, 1, 18) for s in first_offers)
    assert _confirm(client, group, first_offers[0]).status_code == 302

    later = _offered(client, group)
    booked = _live_calls(group)
    assert len(booked) == 2
    assert later, "the planner offers the call after the second one"
    for start in later:
        for call in booked:
            assert abs((_ny_day(start) - _ny_day(call)).days) >= 28
    assert all(_ny_day(s) > _ny_day(booked[-1]) for s in later)


def test_a_start_between_two_calls_is_refused(frozen, client, group):
    """Is 28 December, fourteen days after a confirmed call, refused with the reason?"""
    sign_in(client, group.organiser)
    _confirm(client, group, datetime(2026, 12, 14, 12, 0, tzinfo=UTC))
    _confirm(client, group, datetime(2027, 1, 12, 12, 0, tzinfo=UTC))
    response = _confirm(client, group, datetime(2026, 12, 28, 12, 0, tzinfo=UTC))
    assert response.status_code == 422
    assert "at least 28 days apart" in response.get_data(as_text=True)
    assert len(_live_calls(group)) == 2


def test_moving_a_call_next_to_another_is_refused(frozen, client, group):
    """Can a call be moved to within four weeks of the series' other call? No."""
    sign_in(client, group.organiser)
    _confirm(client, group, datetime(2026, 12, 14, 12, 0, tzinfo=UTC))
    _confirm(client, group, datetime(2027, 1, 12, 12, 0, tzinfo=UTC))
    second = db.session.scalar(select(Call).where(Call.starts_at > NOW + timedelta(days=30)))
    response = post_acknowledging(
        client, f"/calls/{second.id}/reschedule", data={"day": "2026-12-21", "time": "07:00"}
    )
    assert response.status_code == 422
    db.session.refresh(second)
    assert second.starts_at == datetime(2027, 1, 12, 12, 0, tzinfo=UTC)
    assert second.sequence == 0


def test_new_years_day_is_never_offered(frozen, client, group):
    """With a call on 4 December, is 1 January (a UN holiday) left out of the window?"""
    sign_in(client, group.organiser)
    _confirm(client, group, datetime(2026, 12, 4, 14, 0, tzinfo=UTC))
    html = client.get(f"/calls/series/{group.id}/plan").get_data(as_text=True)
    offered = [_ny_day(s) for s in _offered(client, group)]
    assert offered and date(2027, 1, 1) not in offered
    assert re.search(r"Friday, 1 January 2027 \(holiday\)", html)


def test_an_absence_never_raises_a_day(frozen, client, group):
    """With Beijing away on 14 and 15 Jan, do those days rank below days when all can join?"""
    sign_in(client, group.organiser)
    _confirm(client, group, datetime(2026, 12, 14, 12, 0, tzinfo=UTC))
    china = next(m for m in group.members if m.country == "CN")
    db.session.add(
        AwayPeriod(user_id=china.id, starts_on=date(2027, 1, 14), ends_on=date(2027, 1, 15))
    )
    db.session.commit()
    html = client.get(f"/calls/series/{group.id}/plan").get_data(as_text=True)
    offered = _offered(client, group)
    away = {date(2027, 1, 14), date(2027, 1, 15)}
    days = [_ny_day(s) for s in offered]
    assert days[0] not in away
    # Each offer on an away day comes after every offer on which all can join.
    positions = [i for i, d in enumerate(days) if d in away]
    assert all(i > j for i in positions for j, d in enumerate(days) if d not in away)
    assert "Government of China (Beijing) (away)" not in html.split("<ol")[1].split("</li>")[0]
    # The day grid of 14 January names the absence.
    grid = client.get(f"/calls/series/{group.id}/plan?day=2027-01-14").get_data(as_text=True)
    china_row = next(r for r in grid.split("<tr>") if "Government of China (Beijing)" in r)
    assert "p-away" in china_row


def test_a_national_holiday_keeps_a_member_away(frozen, client, make_series, make_member):
    """Is a member in India away on Republic Day (26 Jan) without anyone typing it?"""
    delhi = make_member(name="NGO member (New Delhi)", timezone="Asia/Kolkata", country="IN")
    series = make_series([delhi])
    sign_in(client, series.organiser)
    _confirm(client, series, datetime(2026, 12, 22, 14, 0, tzinfo=UTC))
    html = client.get(f"/calls/series/{series.id}/plan?day=2027-01-26").get_data(as_text=True)
    delhi_row = next(
        row
        for row in html.split('<table class="grid">')[1].split("<tr>")
        if delhi.display_name in row
    )
    assert "p-away" in delhi_row
    html = client.get(f"/calls/series/{series.id}/plan?day=2027-01-22").get_data(as_text=True)
    delhi_row = next(
        row
        for row in html.split('<table class="grid">')[1].split("<tr>")
        if delhi.display_name in row
    )
    assert "p-away" not in delhi_row


def test_candidates_are_distinct_hours(frozen, client, group):
    """Are the slots offered of at least three different start hours, not one hour five times?"""
    sign_in(client, group.organiser)
    offered = _offered(client, group)
    hours = {s.astimezone(NEW_YORK).hour for s in offered}
    assert len(hours) >= 3


def test_short_notice_and_night_are_shown_before_sending(frozen, client, group, mailbox):
    """Does a Sunday at 17:43 three minutes ahead ask for acknowledgement, naming who is at night?"""
    sign_in(client, group.organiser)
    start = datetime(2026, 12, 6, 22, 43, tzinfo=UTC)  # Sunday 17:43 in New York
    with freeze_time(start - timedelta(minutes=3)):
        response = client.post(
            f"/calls/series/{group.id}/confirm", data={"start": start.isoformat()}
        )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "weekend day" in html
    assert "less than a week" in html
    assert "Outside acceptable hours for:" in html and "Government of China (Beijing)" in html
    assert _live_calls(group) == []
    assert mailbox.messages == []
