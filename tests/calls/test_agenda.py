"""Agenda items and their publication, minutes and the dashboard panel.

The reminder that mails the agenda is in ``test_reminders.py``; the action items agreed on a
call are the work programme's (``tests/programme/test_call_actions.py``).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from consult.calls.models import AgendaItem, AgendaStatus, CallStatus, Notice
from consult.database import utcnow
from consult.extensions import db
from tests.conftest import body_text, sign_in


def _members(call):
    return [a.user for a in call.attendances if not a.user.is_secretariat]


def _member(call):
    return _members(call)[0]


def test_members_propose_and_the_secretariat_orders_and_publishes(client, make_call):
    """Can a member propose items, and the Secretariat accept, reorder and publish them?"""
    call = make_call()
    member = _member(call)
    sign_in(client, member)
    client.post(f"/calls/{call.id}/agenda", data={"title": "Toolkit scope", "details": ""})
    client.post(f"/calls/{call.id}/agenda", data={"title": "Forum at CSD-8"})
    assert [i.status for i in call.agenda_items] == [AgendaStatus.PROPOSED] * 2
    assert client.post(f"/calls/{call.id}/agenda/publish").status_code == 403
    first, second = call.agenda_items

    sign_in(client, call.series.organiser)
    for item in (first, second):
        client.post(f"/calls/{call.id}/agenda/{item.id}/accept")
    client.post(f"/calls/{call.id}/agenda/{second.id}/up")
    client.post(f"/calls/{call.id}/agenda/publish")
    db.session.refresh(call)
    assert [i.title for i in call.published_agenda] == ["Forum at CSD-8", "Toolkit scope"]
    assert call.agenda_published_at is not None

    sign_in(client, member)
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert html.index("Forum at CSD-8") < html.index("Toolkit scope")


def test_an_empty_title_is_refused(client, make_call):
    """Is an agenda item without a title refused without an error page?"""
    call = make_call()
    sign_in(client, _member(call))
    response = client.post(f"/calls/{call.id}/agenda", data={"title": ""}, follow_redirects=True)
    assert response.status_code == 200
    assert "Give the item a title" in response.get_data(as_text=True)
    assert call.agenda_items == []


def test_the_agenda_stays_hidden_until_published(app, client, make_call, mailbox):
    """Before publication, does a member see neither another's accepted item nor get it by mail?"""
    call = make_call(start=utcnow() + timedelta(hours=30))
    proposer, reader = _members(call)
    db.session.add_all(
        [
            AgendaItem(
                call=call, title="Toolkit scope", proposed_by=proposer, status=AgendaStatus.ACCEPTED
            ),
            AgendaItem(call=call, title="My own idea", proposed_by=reader, position=2),
        ]
    )
    db.session.commit()
    assert call.published_agenda == []

    sign_in(client, reader)
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Toolkit scope" not in html
    assert "My own idea" in html
    runner = app.test_cli_runner()
    runner.invoke(args=["send-reminders"])
    assert "Toolkit scope" not in body_text(mailbox.last(reader.email))

    sign_in(client, call.series.organiser)
    assert "Toolkit scope" in client.get(f"/calls/{call.id}").get_data(as_text=True)
    client.post(f"/calls/{call.id}/agenda/publish")
    assert call.agenda_published_at is not None

    sign_in(client, reader)
    assert "Toolkit scope" in client.get(f"/calls/{call.id}").get_data(as_text=True)
    db.session.execute(delete(Notice).where(Notice.call_id == call.id))
    db.session.commit()
    mailbox.clear()
    runner.invoke(args=["send-reminders"])
    assert "Toolkit scope" in body_text(mailbox.last(reader.email))


def test_only_invitees_and_the_secretariat_propose_agenda_items(
    client, make_call, make_member, make_secretariat
):
    """Is a member not invited to a call refused (403) when proposing an item for it?"""
    call = make_call()
    sign_in(client, make_member())
    assert "Propose an item" not in client.get(f"/calls/{call.id}").get_data(as_text=True)
    response = client.post(f"/calls/{call.id}/agenda", data={"title": "Gatecrashing"})
    assert response.status_code == 403
    sign_in(client, _members(call)[0])
    client.post(f"/calls/{call.id}/agenda", data={"title": "Invited"})
    sign_in(client, make_secretariat())
    client.post(f"/calls/{call.id}/agenda", data={"title": "Secretariat"})
    assert sorted(i.title for i in call.agenda_items) == ["Invited", "Secretariat"]


def test_minutes_after_the_call(client, make_call):
    """Can the Secretariat mark a call held and write minutes, shown sanitised?"""
    call = make_call(start=utcnow() - timedelta(hours=3))
    sign_in(client, call.series.organiser)
    client.post(f"/calls/{call.id}/held")
    assert call.status is CallStatus.HELD
    client.post(
        f"/calls/{call.id}/minutes",
        data={"minutes": "Agreed: **toolkit** outline.\n\n<script>alert(1)</script>"},
    )
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "<strong>toolkit</strong>" in html
    assert "<script>alert(1)" not in html


def test_the_next_call_on_the_dashboard(client, make_call):
    """Does an invited member see the next call on the dashboard, and that they have not answered?"""
    call = make_call()
    sign_in(client, _member(call))
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Teleconferences" in html and call.series.name in html
    assert "You have not answered yet." in html


def test_away_dates_and_holidays_feed_the_planner(client, make_series):
    """Do a member's away dates and the Secretariat's holidays reach the planner page?"""
    series = make_series()
    member = next(m for m in series.members if not m.is_secretariat)
    sign_in(client, member)
    today = utcnow().date()
    response = client.post(
        "/calls/away",
        data={
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    bad = client.post("/calls/away", data={"starts_on": "2030-02-02", "ends_on": "2030-02-01"})
    assert bad.status_code == 422
    sign_in(client, series.organiser)
    html = client.get(f"/calls/series/{series.id}/plan").get_data(as_text=True)
    assert f"<strong>Would miss it:</strong> <bdi>{member.display_name}</bdi> (away)" in html
    assert "p-away" in html.split('<table class="grid">')[1]
    # With no call yet, the window is the second week from today.
    for offset in range(6, 16):
        client.post(
            "/calls/holidays",
            data={"day": (today + timedelta(days=offset)).isoformat(), "name": "Closed"},
        )
    html = client.get(f"/calls/series/{series.id}/plan").get_data(as_text=True)
    assert "No slot is left in the window" in html
    assert "(holiday)" in html
