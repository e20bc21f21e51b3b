"""Review fixes: agenda publication, malformed replies, answers to calls that are over, and more."""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select

from consult.calls import services
from consult.calls.models import AgendaItem, AgendaStatus, CallStatus, Notice, Partstat
from consult.calls.notifications import rsvp_links
from consult.database import utcnow
from consult.extensions import db
from consult.mailin import Outcome, dispatch
from tests.calls.test_rsvp import _reply
from tests.conftest import body_text, sign_in


def _members(call):
    return [a.user for a in call.attendances if not a.user.is_secretariat]


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


def test_a_reply_with_a_malformed_sequence_does_not_crash_mail_in(app, make_call):
    """Does ``mail-in`` refuse a REPLY with ``SEQUENCE:abc`` calmly instead of crashing?"""
    call = make_call()
    attendance = next(a for a in call.attendances if not a.user.is_secretariat)
    calendar = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Test mail client//EN",
            "METHOD:REPLY",
            "BEGIN:VEVENT",
            f"UID:{call.uid}",
            "DTSTAMP:20300101T000000Z",
            "SEQUENCE:abc",
            f"ATTENDEE;PARTSTAT=DECLINED:mailto:{attendance.user.email}",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    message = EmailMessage()
    message["From"] = attendance.user.email
    message["To"] = "consult@example.org"
    message["Subject"] = "Declined"
    message.set_content("No.")
    message.add_alternative(calendar, subtype="calendar", params={"method": "REPLY"})
    result = app.test_cli_runner().invoke(args=["mail-in"], input=message.as_bytes())
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output.strip() in ("rejected", "not mine")
    db.session.refresh(attendance)
    assert attendance.partstat is Partstat.NEEDS_ACTION


@pytest.mark.parametrize("status", [CallStatus.CANCELLED, CallStatus.HELD])
def test_answers_to_a_cancelled_or_held_call_are_refused(client, make_call, status):
    """Are answers by e-mail, by link and by the call page refused once a call is off or held?"""
    call = make_call()
    attendance = next(a for a in call.attendances if not a.user.is_secretariat)
    links = rsvp_links(attendance)
    call.status = status
    db.session.commit()

    assert dispatch(_reply(call.uid, attendance.user.email, "DECLINED")) is Outcome.REJECTED

    path = re.sub(r"^https?://[^/]+", "", links["decline"])
    page = client.get(path)
    assert page.status_code == 409
    word = "cancelled" if status is CallStatus.CANCELLED else "held"
    assert word in page.get_data(as_text=True)
    assert client.post(path.partition("?")[0], data={"answer": "decline"}).status_code == 409

    sign_in(client, attendance.user)
    response = client.post(
        f"/calls/{call.id}/answer", data={"answer": "decline"}, follow_redirects=True
    )
    assert word in response.get_data(as_text=True)
    db.session.refresh(attendance)
    assert attendance.partstat is Partstat.NEEDS_ACTION


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


def test_overlapping_reminder_runs_send_each_reminder_once(app, make_call, mailbox, monkeypatch):
    """When a second send-reminders starts while the first is sending, does anyone get two?"""
    from consult import mail
    from consult.calls import reminders

    call = make_call(start=utcnow() + timedelta(hours=30))
    real_send_all = mail.send_all
    nested = []

    def send_all_with_overlap(messages):
        if not nested:
            nested.append(reminders.send_reminders())
        return real_send_all(messages)

    monkeypatch.setattr(mail, "send_all", send_all_with_overlap)
    first = reminders.send_reminders()
    assert len(first.sent) == 3
    assert nested[0].sent == []
    recipients = [str(m["To"]) for m in mailbox.messages]
    assert len(recipients) == len(set(recipients)) == 3
    assert len(db.session.scalars(select(Notice).where(Notice.call_id == call.id)).all()) == 3


def test_a_run_racing_another_skips_what_the_other_recorded(app, make_call, mailbox, monkeypatch):
    """If another run records a reminder between our check and our insert, is it skipped calmly?"""
    from consult.calls import reminders

    call = make_call(start=utcnow() + timedelta(hours=30))
    member = _members(call)[0]
    db.session.add(Notice(call_id=call.id, user_id=member.id, kind=reminders.KIND))
    db.session.commit()
    monkeypatch.setattr(reminders, "already_sent", lambda call: set())
    report = reminders.send_reminders()
    assert member.email not in report.sent and len(report.sent) == 2
    assert mailbox.to(member.email) == []


def test_moving_a_call_sends_its_reminder_again(app, client, make_call, mailbox):
    """After a reminded call is rescheduled, does the next run remind everyone of the new time?"""
    from consult.calls import reminders

    call = make_call(start=utcnow() + timedelta(hours=30))
    assert len(reminders.send_reminders().sent) == 3
    sign_in(client, call.series.organiser)
    new_start = (call.starts_at + timedelta(hours=2)).astimezone(
        ZoneInfo(call.series.organiser.timezone)
    )
    response = client.post(
        f"/calls/{call.id}/reschedule",
        data={
            "day": new_start.date().isoformat(),
            "time": new_start.strftime("%H:%M"),
            "acknowledged": "1",
        },
    )
    assert response.status_code == 302
    db.session.refresh(call)
    assert call.sequence == 1
    mailbox.clear()
    assert len(reminders.send_reminders().sent) == 3


def test_a_failed_reminder_leaves_no_record(app, make_call, mailbox):
    """When delivery fails, is the reminder's record removed so a later run retries it?"""
    from consult.calls import reminders

    call = make_call(start=utcnow() + timedelta(hours=30))
    refused = _members(call)[0]
    mailbox.refuse.add(refused.email)
    reminders.send_reminders()
    users = set(db.session.scalars(select(Notice.user_id).where(Notice.call_id == call.id)))
    assert refused.id not in users and len(users) == 2
