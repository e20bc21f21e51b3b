"""The owner's reminder before a work item falls due (hourly in the workers): once per item and
due date, through the outbox."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult import jobs
from consult.database import utcnow
from consult.extensions import db
from consult.outbox.models import OutboxMessage, OutboxStatus
from consult.programme import notifications, reminders
from consult.programme.models import WorkItem, WorkStatus
from tests.conftest import body_text, sign_in
from tests.programme.test_call_actions import _call


def _record_on_call(client, call, owner, title: str, due) -> WorkItem:
    """The Secretariat records an action item on the held call's page."""
    sign_in(client, call.series.organiser)
    data = {"title": title, "owner": owner.id, "due_on": due.isoformat(), "line": ""}
    assert client.post(f"/programme/calls/{call.id}/items", data=data).status_code == 302
    return db.session.scalar(select(WorkItem).where(WorkItem.title == title))


def test_an_owner_is_reminded_once_before_the_due_date(
    app, client, make_member, make_secretariat, mailbox
):
    """Is an item due in two days reminded to its owner once, however often the job runs, and
    items due later, today, done, unowned or of a deactivated owner not at all?"""
    owner = make_member(name="NGO member (Nairobi)")
    gone = make_member(name="Former member")
    call = _call(make_secretariat(), [owner, gone])
    today = utcnow().date()
    soon = _record_on_call(
        client, call, owner, "Circulate the workshop programme", today + timedelta(days=2)
    )
    _record_on_call(client, call, owner, "Send the background paper", today + timedelta(days=10))
    _record_on_call(client, call, owner, "Book the room", today)
    done = _record_on_call(client, call, owner, "Draft the outline", today + timedelta(days=1))
    done.status = WorkStatus.DONE
    _record_on_call(client, call, gone, "Translate the paper", today + timedelta(days=1))
    gone.active = False
    db.session.add(WorkItem(title="Unowned", due_date=today + timedelta(days=1)))
    db.session.commit()
    mailbox.clear()

    runner = app.test_cli_runner()
    assert "Due-date reminders queued: 1." in runner.invoke(args=["send-due-reminders"]).output
    (message,) = mailbox.messages
    assert str(message["To"]) == owner.email
    assert (
        message["Subject"].startswith("Due ")
        and "Circulate the workshop programme" in message["Subject"]
    )
    text = body_text(message)
    assert f"/calls/{call.id}#item-{soon.id}" in text
    assert "Agreed on the Steering Group teleconference call." in text

    mailbox.clear()
    jobs.JOBS["programme.send-due-reminders"].function()
    assert reminders.send_due_reminders() == []
    assert mailbox.messages == []
    assert soon.reminded_for == soon.due_date


def test_a_new_due_date_is_reminded_again(app, client, make_member, make_secretariat, mailbox):
    """After the Secretariat moves an item's due date, is the owner reminded of the new one?"""
    owner = make_member()
    call = _call(make_secretariat(), [owner])
    today = utcnow().date()
    item = _record_on_call(
        client, call, owner, "Circulate the workshop programme", today + timedelta(days=1)
    )
    assert reminders.send_due_reminders() == [owner.email]
    later = today + timedelta(days=3)
    response = client.post(
        f"/programme/{item.id}/edit",
        data={
            "title": item.title,
            "owner_id": owner.id,
            "due_date": later.isoformat(),
            "status": "planned",
            "call_id": call.id,
        },
    )
    assert response.status_code == 302
    mailbox.clear()
    assert reminders.send_due_reminders() == [owner.email]
    assert reminders.send_due_reminders() == []
    assert len(mailbox.to(owner.email)) == 1


def test_overlapping_runs_remind_once(
    app, client, make_member, make_secretariat, mailbox, monkeypatch
):
    """When a second run starts while the first is queuing, does the owner get two? (No.)"""
    owner = make_member()
    call = _call(make_secretariat(), [owner])
    today = utcnow().date()
    for title in ("First", "Second"):
        _record_on_call(client, call, owner, title, today + timedelta(days=2))
    mailbox.clear()
    real_queue = notifications.queue_due_reminder
    nested: list[list[str]] = []

    def queue_with_overlap(item_id, due, address):
        if not nested:
            nested.append([])
            nested[0] = reminders.send_due_reminders()
        return real_queue(item_id, due, address)

    monkeypatch.setattr(notifications, "queue_due_reminder", queue_with_overlap)
    first = reminders.send_due_reminders()
    assert len(first) + len(nested[0]) == 2
    assert len(mailbox.messages) == 2


def test_a_reminder_for_an_item_closed_meanwhile_is_not_sent(
    app, client, make_member, make_secretariat, mailbox
):
    """If the item is done by the time the worker writes the reminder, is nothing sent, and
    does the outbox say why?"""
    owner = make_member()
    call = _call(make_secretariat(), [owner])
    item = _record_on_call(client, call, owner, "Circulate", utcnow().date() + timedelta(days=2))
    item.status = WorkStatus.DONE
    notifications.queue_due_reminder(item.id, item.due_date, owner.email)
    mailbox.clear()
    db.session.commit()
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == notifications.DUE))
    assert row.status is OutboxStatus.SKIPPED and "closed" in row.last_error
    assert mailbox.messages == []
