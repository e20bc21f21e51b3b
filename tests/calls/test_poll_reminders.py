"""The poll's one reminder (hourly in the workers): to members who have not answered, once."""

from __future__ import annotations

from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import select

from consult import jobs
from consult.calls import poll_notifications, polls
from consult.calls.poll_models import PollInvitee
from consult.extensions import db
from tests.calls.test_poll import NOW, _answers, _member, _poll_link, _sent_poll
from tests.conftest import body_text


def _reminded(mailbox) -> set[str]:
    return {str(m["To"]) for m in mailbox.messages if m["Subject"].startswith("Reminder:")}


def test_one_reminder_to_those_who_have_not_answered(app, client, make_series, mailbox):
    """Is the reminder queued only once due, only to members without an answer, and never twice
    however often the job runs?"""
    series = make_series()
    with freeze_time(NOW, tick=True):
        poll = _sent_poll(client, mailbox, series)
        paris = _member(series, "Europe/Paris")
        client.post(_poll_link(mailbox, paris), data=_answers(poll, "yes", "no", "no"))
        mailbox.clear()
        assert polls.send_poll_reminders() == []
    assert poll.remind_at == poll.closes_at - timedelta(days=2)
    with freeze_time(poll.remind_at + timedelta(minutes=5)):
        runner = app.test_cli_runner()
        result = runner.invoke(args=["send-poll-reminders"])
        assert "Poll reminders queued: 2." in result.output
        others = {m.email for m in series.members} - {paris.email}
        assert _reminded(mailbox) == others
        message = mailbox.last(_member(series, "Asia/Kolkata").email)
        assert message["Subject"] == f"Reminder: when can you meet? {series.name}"
        assert f"/calls/polls/{poll.id}/answer/" in body_text(message)
        mailbox.clear()
        jobs.JOBS["calls.send-poll-reminders"].function()
        assert "Poll reminders queued: 0." in runner.invoke(args=["send-poll-reminders"]).output
        assert mailbox.messages == []
    with freeze_time(poll.closes_at - timedelta(hours=1)):
        assert polls.send_poll_reminders() == []


def test_no_reminder_for_a_closed_poll_or_a_deactivated_member(app, client, make_series, mailbox):
    """Does a deactivated member get no reminder, and nobody one once the poll is closed?"""
    series = make_series()
    with freeze_time(NOW, tick=True):
        poll = _sent_poll(client, mailbox, series)
    paris = _member(series, "Europe/Paris")
    paris.active = False
    db.session.commit()
    with freeze_time(poll.remind_at + timedelta(minutes=5)):
        queued = polls.send_poll_reminders()
    assert paris.email not in queued and len(queued) == 2

    for invitee in poll.invitees:
        invitee.reminded_at = None  # as if never reminded: the closed poll alone must stop it
    polls.close_poll(poll, NOW)
    db.session.commit()
    mailbox.clear()
    with freeze_time(poll.remind_at + timedelta(hours=1)):
        assert polls.send_poll_reminders() == []
    assert mailbox.messages == []


def test_overlapping_runs_remind_each_member_once(app, client, make_series, mailbox, monkeypatch):
    """When a second run starts while the first is queuing, does anyone get two reminders?"""
    series = make_series()
    with freeze_time(NOW, tick=True):
        poll = _sent_poll(client, mailbox, series)
    mailbox.clear()
    real_queue = poll_notifications.queue_poll_reminder
    nested: list[list[str]] = []

    def queue_with_overlap(poll_id, user_id, address):
        if not nested:
            nested.append([])
            nested[0] = polls.send_poll_reminders(poll.remind_at + timedelta(minutes=6))
        return real_queue(poll_id, user_id, address)

    monkeypatch.setattr(poll_notifications, "queue_poll_reminder", queue_with_overlap)
    with freeze_time(poll.remind_at + timedelta(minutes=5)):
        first = polls.send_poll_reminders()
    assert len(first) + len(nested[0]) == 3
    recipients = [str(m["To"]) for m in mailbox.messages]
    assert len(recipients) == len(set(recipients)) == 3
    stamped = db.session.scalars(
        select(PollInvitee.reminded_at).where(PollInvitee.poll_id == poll.id)
    ).all()
    assert all(stamped)
