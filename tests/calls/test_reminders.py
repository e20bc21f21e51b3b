"""The agenda reminder (``send-reminders``, cron): two days ahead, once each, safe to run twice."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from consult import mail
from consult.calls import reminders
from consult.calls.models import Notice
from consult.database import utcnow
from consult.extensions import db
from tests.calls.conftest import future
from tests.conftest import body_text, sign_in


def _members(call):
    """The invitees of ``call`` who are not the Secretariat."""
    return [a.user for a in call.attendances if not a.user.is_secretariat]


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
    refused = _members(call)[0].email
    mailbox.refuse.add(refused)
    report = reminders.send_reminders()
    assert refused in report.failed and len(report.sent) == 2
    notice = mailbox.last(call.series.organiser.email)
    assert notice["Subject"].startswith("Not delivered")
    assert refused in body_text(notice)
    mailbox.clear()
    report = reminders.send_reminders()
    assert report.sent == [refused]


def test_overlapping_reminder_runs_send_each_reminder_once(app, make_call, mailbox, monkeypatch):
    """When a second send-reminders starts while the first is sending, does anyone get two?"""
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
    call = make_call(start=utcnow() + timedelta(hours=30))
    refused = _members(call)[0]
    mailbox.refuse.add(refused.email)
    reminders.send_reminders()
    users = set(db.session.scalars(select(Notice.user_id).where(Notice.call_id == call.id)))
    assert refused.id not in users and len(users) == 2
