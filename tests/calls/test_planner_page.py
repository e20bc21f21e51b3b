"""The Secretariat's planner page: candidates with explanations, the day grid, one-click confirm."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.calls import lifecycle, services
from consult.calls.models import Call, CallStatus
from consult.extensions import db
from tests.conftest import sign_in


def test_secretariat_sees_candidates_with_explanations(client, make_series):
    """Does the page list the best slots, each saying who is in good hours at what local time?"""
    series = make_series()
    sign_in(client, series.organiser)
    html = client.get(f"/calls/series/{series.id}/plan").get_data(as_text=True)
    assert "Best slots" in html
    assert html.count('class="candidate"') >= 1
    assert "Good hours:" in html
    assert re.search(r"<bdi>Member \d+</bdi> \(\d{1,2}:\d{2}", html)
    assert html.count('name="start"') == html.count('class="candidate"')


def test_day_grid_carries_words_not_only_colours(client, make_series):
    """Does each grid cell give the local time, a sign and a word, early and late told apart?"""
    series = make_series()
    sign_in(client, series.organiser)
    html = client.get(f"/calls/series/{series.id}/plan").get_data(as_text=True)
    grid = html[html.index('<table class="grid">') :]
    rows = grid.count('<th scope="row" class="member">')
    assert rows == 3
    cells = re.findall(
        r'<td class="cell p-(\w+)">(\d\d:\d\d)<br><span aria-hidden="true">(.)</span>'
        r'<span class="visually-hidden">(\w+)</span>',
        grid,
    )
    assert len(cells) >= rows * 23
    assert {period for period, _, _, word in cells} == {word for _, _, _, word in cells}
    assert {"good", "night"} <= {word for _, _, _, word in cells}
    signs = {period: sign for period, _, sign, _ in cells}
    assert len(set(signs.values())) == len(signs)  # one sign per part of the day


def test_the_grid_scrolls_by_keyboard_with_names_fixed(client, make_series):
    """Is the grid's scroll box focusable and labelled, and the member column sticky?"""
    series = make_series()
    sign_in(client, series.organiser)
    html = client.get(f"/calls/series/{series.id}/plan").get_data(as_text=True)
    assert re.search(
        r'<div class="table-wrap grid-wrap" tabindex="0" role="region" aria-labelledby="grid-caption">',
        html,
    )
    with client.get("/static/css/calls.css") as response:
        css = response.get_data(as_text=True)
    assert re.search(r"\.grid \.member \{[^}]*position: sticky", css)


def test_a_chosen_start_lists_each_members_local_time(client, make_series):
    """For a start chosen on a phone, does the page list every member's local time in words?"""
    series = make_series()
    sign_in(client, series.organiser)
    page = client.get(f"/calls/series/{series.id}/plan").get_data(as_text=True)
    day = re.search(r'<option value="(\d{4}-\d{2}-\d{2})" selected>', page).group(1)
    html = client.get(f"/calls/series/{series.id}/plan?day={day}&at=14").get_data(as_text=True)
    listing = html[
        html.index('<ul class="local-times">') : html.index(
            "</ul>", html.index('<ul class="local-times">')
        )
    ]
    assert listing.count("<li") == 3
    paris = next(m for m in series.members if m.timezone == "Europe/Paris")
    assert paris.display_name in listing
    # 14:00 in New York is 20:00 in Paris: late.
    assert re.search(r"20:00 <small>\(Europe/Paris\)</small>, late", listing)
    assert client.get(f"/calls/series/{series.id}/plan?at=999").status_code == 200


def test_a_chosen_day_and_a_bad_day_parameter(client, make_series):
    """Is another day of the window shown on request, and is nonsense ignored without an error?"""
    series = make_series()
    sign_in(client, series.organiser)
    page = client.get(f"/calls/series/{series.id}/plan")
    days = re.findall(r'<option value="(\d{4}-\d{2}-\d{2})"', page.get_data(as_text=True))
    assert len(days) == 8
    chosen = client.get(f"/calls/series/{series.id}/plan?day={days[-1]}")
    assert f'<option value="{days[-1]}" selected>' in chosen.get_data(as_text=True)
    assert client.get(f"/calls/series/{series.id}/plan?day=yesterday").status_code == 200


def test_members_and_visitors_cannot_plan(client, make_series, make_member):
    """Is the planner closed to members (403) and to anonymous visitors (sign-in)?"""
    series = make_series()
    assert client.get(f"/calls/series/{series.id}/plan").status_code == 302
    response = client.post(f"/calls/series/{series.id}/confirm", data={"start": "x"})
    assert response.status_code == 302 and "/sign-in" in response.location
    sign_in(client, make_member())
    assert client.get(f"/calls/series/{series.id}/plan").status_code == 403
    assert client.post(f"/calls/series/{series.id}/confirm").status_code == 403


def test_confirm_with_one_click(client, make_series, mailbox):
    """Does the candidate's button create the confirmed call at that time?"""
    series = make_series()
    sign_in(client, series.organiser)
    html = client.get(f"/calls/series/{series.id}/plan").get_data(as_text=True)
    start = re.search(r'name="start" value="([^"]+)"', html).group(1)
    response = client.post(f"/calls/series/{series.id}/confirm", data={"start": start})
    assert response.status_code == 302
    call = db.session.scalar(select(Call).where(Call.series_id == series.id))
    assert call.status is CallStatus.CONFIRMED
    assert call.starts_at.isoformat() == start
    assert len(call.attendances) == 3
    again = client.post(f"/calls/series/{series.id}/confirm", data={"start": start})
    assert again.location.endswith(f"/calls/{call.id}")
    assert len(db.session.scalars(select(Call)).all()) == 1
    assert len(mailbox.messages) == 3


def test_a_bad_or_past_slot_is_refused(client, make_series):
    """Is a slot that is not a date, has no zone, or is past refused without creating a call?"""
    series = make_series()
    sign_in(client, series.organiser)
    for value in ("not a date", "2030-01-01T10:00:00"):
        response = client.post(f"/calls/series/{series.id}/confirm", data={"start": value})
        assert response.status_code == 302
        assert response.location.endswith(f"/calls/series/{series.id}/plan")
    assert db.session.scalar(select(Call).where(Call.series_id == series.id)) is None


def test_series_form_checks_hours(client, make_secretariat, make_member):
    """Are good hours outside acceptable hours refused next to the field (422)?"""
    sign_in(client, make_secretariat())
    member = make_member()
    data = {
        "name": "Test series",
        "cadence_min_days": 28,
        "cadence_max_days": 35,
        "duration_minutes": 60,
        "acceptable_from": 8,
        "acceptable_to": 20,
        "good_from": 7,
        "good_to": 18,
        "members": [str(member.id)],
    }
    response = client.post("/calls/series/new", data=data)
    assert response.status_code == 422
    assert 'id="good_from-error"' in response.get_data(as_text=True)
    data["good_from"] = 9
    response = client.post("/calls/series/new", data=data)
    assert response.status_code == 302


def test_a_window_already_past_opens_today(client, make_series):
    """When the last call is long past, does the planner propose slots from today on?"""
    from datetime import UTC, datetime

    from consult.calls.models import CallStatus

    series = make_series()
    old = lifecycle.confirm_call(series.id, datetime(2000, 3, 7, 14, 0, tzinfo=UTC), notify=False)
    old.status = CallStatus.HELD
    db.session.commit()
    sign_in(client, series.organiser)
    html = client.get(f"/calls/series/{series.id}/plan").get_data(as_text=True)
    assert 'class="candidate"' in html


def test_the_planner_leaves_out_deactivated_members(client, make_series, make_member):
    """Does the planner ignore a deactivated member, both in its input and on its page?"""
    active = make_member(timezone="Europe/Paris", name="Active Member")
    gone = make_member(timezone="Pacific/Auckland", name="Gone Member")
    series = make_series([active, gone])
    gone.active = False
    db.session.commit()
    names = {m.name for m in services.plan_input(series).members}
    assert "Active Member" in names and "Gone Member" not in names
    sign_in(client, series.organiser)
    html = client.get(f"/calls/series/{series.id}/plan").get_data(as_text=True)
    assert "Active Member" in html
    assert "Gone Member" not in html


def test_far_dates_are_refused_when_confirming_or_rescheduling(client, make_call):
    """Are starts years away (or long past) refused with a message and a 422, not a 500?"""
    call = make_call()
    series = call.series
    sign_in(client, series.organiser)
    for value in ("9999-12-31T23:30+00:00", "0001-01-01T00:00+00:00", "2001-01-01T10:00+00:00"):
        response = client.post(f"/calls/series/{series.id}/confirm", data={"start": value})
        assert response.status_code == 422
        assert "two years" in response.get_data(as_text=True)
    for value in ("9999-12-31T23:30-05:00", "0001-01-01T00:30+05:00"):
        response = client.post(f"/calls/series/{series.id}/confirm", data={"start": value})
        assert response.status_code in (302, 422)
    assert len(series.calls) == 1
    for day, time in (("9999-12-31", "23:30"), ("0001-01-01", "00:00"), ("2001-01-01", "10:00")):
        response = client.post(f"/calls/{call.id}/reschedule", data={"day": day, "time": time})
        assert response.status_code == 422
        assert "two years" in response.get_data(as_text=True)
    starts = call.starts_at
    db.session.refresh(call)
    assert call.starts_at == starts and call.sequence == 0
