"""The agenda reminder (``send-reminders``, hourly in the workers): two days ahead, once each,
safe to run twice, delivered through the outbox."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from consult.calls import notifications, reminders
from consult.calls.models import Notice
from consult.database import utcnow
from consult.extensions import db
from consult.outbox import delivery
from consult.outbox.models import OutboxMessage, OutboxStatus
from tests.calls.conftest import future
from tests.conftest import body_text, post_acknowledging, sign_in


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
    assert "Agenda reminders queued: 2." in result.output
    assert len(mailbox.messages) == 2
    assert declined.user.email not in {str(m["To"]) for m in mailbox.messages}
    assert "Agenda:" in mailbox.messages[0]["Subject"]
    assert f"/calls/{soon.id}" in body_text(mailbox.messages[0])

    mailbox.clear()
    result = runner.invoke(args=["send-reminders"])
    assert "Agenda reminders queued: 0." in result.output
    assert mailbox.messages == []
    sent = db.session.scalars(select(Notice).where(Notice.call_id == soon.id)).all()
    assert len(sent) == 2
    assert not db.session.scalars(select(Notice).where(Notice.call_id == later.id)).all()


def test_a_refused_reminder_is_failed_and_the_organiser_told(app, make_call, mailbox):
    """When one address refuses for good, do the others get it, is that one marked failed with
    the server's answer, the organiser told, and is nothing queued again on the next run?"""
    call = make_call(start=utcnow() + timedelta(hours=30))
    refused = _members(call)[0].email
    mailbox.refuse.add(refused)
    assert len(reminders.send_reminders()) == 3
    assert len([m for m in mailbox.messages if m["Subject"].startswith("Agenda")]) == 2
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == refused))
    assert row.status is OutboxStatus.FAILED and row.last_error.startswith("550")
    notice = mailbox.last(call.series.organiser.email)
    assert notice["Subject"].startswith("Not delivered")
    assert refused in body_text(notice) and "550" in body_text(notice)
    mailbox.clear()
    assert reminders.send_reminders() == []
    assert mailbox.messages == []


def test_a_reminder_refused_for_now_is_retried_by_the_outbox(app, make_call, mailbox):
    """When an address answers "try later", does the reminder go out on the outbox's retry,
    recorded once however many tries it needs?"""
    call = make_call(start=utcnow() + timedelta(hours=30))
    busy = _members(call)[0].email
    mailbox.defer.add(busy)
    reminders.send_reminders()
    assert mailbox.to(busy) == []
    mailbox.defer.clear()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.recipient == busy)
        .values(next_attempt_at=utcnow())
    )
    db.session.commit()
    delivery.sweep()
    assert mailbox.last(busy)["Subject"].startswith("Agenda")
    assert reminders.send_reminders() == []


def test_overlapping_reminder_runs_send_each_reminder_once(app, make_call, mailbox, monkeypatch):
    """When a second send-reminders starts while the first is queuing, does anyone get two?"""
    call = make_call(start=utcnow() + timedelta(hours=30))
    real_queue = notifications.queue_agenda
    nested: list[list[str]] = []

    def queue_with_overlap(call, attendance):
        if not nested:
            nested.append([])
            nested[0] = reminders.send_reminders()
        return real_queue(call, attendance)

    monkeypatch.setattr(notifications, "queue_agenda", queue_with_overlap)
    first = reminders.send_reminders()
    assert len(first) + len(nested[0]) == 3
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
    queued = reminders.send_reminders()
    assert member.email not in queued and len(queued) == 2
    assert mailbox.to(member.email) == []


def test_moving_a_call_sends_its_reminder_again(app, client, make_call, mailbox):
    """After a reminded call is rescheduled, does the next run remind everyone of the new time?"""
    call = make_call(start=utcnow() + timedelta(hours=30))
    assert len(reminders.send_reminders()) == 3
    sign_in(client, call.series.organiser)
    new_start = (call.starts_at + timedelta(hours=2)).astimezone(
        ZoneInfo(call.series.organiser.timezone)
    )
    response = post_acknowledging(
        client,
        f"/calls/{call.id}/reschedule",
        data={
            "day": new_start.date().isoformat(),
            "time": new_start.strftime("%H:%M"),
        },
    )
    assert response.status_code == 302
    db.session.refresh(call)
    assert call.sequence == 1
    mailbox.clear()
    assert len(reminders.send_reminders()) == 3


def test_a_failed_reminder_keeps_its_record(app, make_call, mailbox):
    """When delivery fails, does the reminder stay recorded (the outbox, not the next run,
    deals with it), so that no run queues it twice?"""
    call = make_call(start=utcnow() + timedelta(hours=30))
    refused = _members(call)[0]
    mailbox.refuse.add(refused.email)
    reminders.send_reminders()
    users = set(db.session.scalars(select(Notice.user_id).where(Notice.call_id == call.id)))
    assert refused.id in users and len(users) == 3
    assert reminders.send_reminders() == []
