"""Agenda items, the agenda reminder (cron), minutes, action items and the dashboard panel."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from consult.calls.models import ActionItem, ActionStatus, AgendaStatus, CallStatus, Notice
from consult.calls.reminders import send_reminders
from consult.database import utcnow
from consult.extensions import db
from tests.calls.conftest import future
from tests.conftest import body_text, sign_in


def _member(call):
    return next(a.user for a in call.attendances if not a.user.is_secretariat)


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


def test_reminder_goes_two_days_before_and_only_once(app, make_series, make_call, mailbox):
    """Does send-reminders e-mail the agenda within two days of the call, and never twice?"""
    series = make_series()
    soon = make_call(series, utcnow() + timedelta(hours=40))
    later = make_call(series, future(32))
    declined = next(a for a in soon.attendances if not a.user.is_secretariat)
    declined.partstat = declined.partstat.DECLINED
    db.session.commit()

    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert "Agenda reminders sent: 2." in result.output
    assert len(mailbox.messages) == 2
    assert declined.user.email not in {str(m["To"]) for m in mailbox.messages}
    assert "Agenda:" in mailbox.messages[0]["Subject"]
    assert f"/calls/{soon.id}" in body_text(mailbox.messages[0])

    mailbox.clear()
    result = runner.invoke(args=["send-reminders"])
    assert "Agenda reminders sent: 0." in result.output
    assert mailbox.messages == []
    sent = db.session.scalars(select(Notice).where(Notice.call_id == soon.id)).all()
    assert len(sent) == 2
    assert not db.session.scalars(select(Notice).where(Notice.call_id == later.id)).all()


def test_a_failed_reminder_is_tried_again(app, make_call, mailbox):
    """When one address refuses, do the others get it, and does the next run retry only that one?"""
    call = make_call(start=utcnow() + timedelta(hours=30))
    refused = _member(call).email
    mailbox.refuse.add(refused)
    report = send_reminders()
    assert refused in report.failed and len(report.sent) == 2
    notice = mailbox.last(call.series.organiser.email)
    assert notice["Subject"].startswith("Not delivered")
    assert refused in body_text(notice)
    mailbox.clear()
    report = send_reminders()
    assert report.sent == [refused]


def test_minutes_and_action_items_after_the_call(client, make_call):
    """Can the Secretariat mark a call held, write minutes and add action items?"""
    call = make_call(start=utcnow() - timedelta(hours=3))
    member = _member(call)
    sign_in(client, call.series.organiser)
    client.post(f"/calls/{call.id}/held")
    assert call.status is CallStatus.HELD
    client.post(
        f"/calls/{call.id}/minutes",
        data={"minutes": "Agreed: **toolkit** outline.\n\n<script>alert(1)</script>"},
    )
    client.post(
        f"/calls/{call.id}/actions",
        data={"title": "Draft the toolkit outline", "owner": member.id, "due_on": "2030-01-15"},
    )
    (action,) = call.action_items
    assert action.owner == member and action.due_on == date(2030, 1, 15)
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "<strong>toolkit</strong>" in html
    assert "<script>alert(1)" not in html


def test_open_action_items_on_the_dashboard(client, make_call, make_member):
    """Does the owner see the next call and their open action item on the dashboard, and close it?"""
    call = make_call()
    member = _member(call)
    db.session.add(ActionItem(title="Send the background paper", owner=member, call=call))
    db.session.commit()
    sign_in(client, member)
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Teleconferences" in html
    assert "Send the background paper" in html
    assert "You have not answered yet." in html
    (action,) = db.session.scalars(select(ActionItem)).all()
    other = make_member()
    sign_in(client, other)
    assert client.post(f"/actions/{action.id}/status", data={"status": "done"}).status_code == 403
    sign_in(client, member)
    client.post(f"/actions/{action.id}/status", data={"status": "done"})
    assert action.status is ActionStatus.DONE
    assert "Send the background paper" not in client.get("/dashboard").get_data(as_text=True)


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
    assert f"<strong>Would miss it:</strong> {member.display_name} (away)" in html
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
