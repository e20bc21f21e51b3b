"""Reminders a set number of days before an event, by the job queue, once each."""

from __future__ import annotations

from datetime import timedelta

from consult import jobs
from consult.events.models import Event, Registration, Status
from consult.events.reminders import send_reminders
from consult.extensions import db
from tests.conftest import body_text
from tests.events.conftest import form_data
from tests.events.test_editor import EVENT_FORM


def test_the_secretariat_sets_the_reminder_day(secretariat_client):
    """Does the event's form keep how many days before the reminders go, and refuse nonsense?"""
    response = secretariat_client.post(
        "/events/admin/new",
        data=EVENT_FORM
        | {"remind_days_before": "3", "confirm_address": "y", "invitation_only": "y"},
    )
    assert response.status_code == 303
    event = db.session.query(Event).filter_by(slug="consultative-forum").one()
    assert (event.remind_days_before, event.confirm_address, event.invitation_only) == (
        3,
        True,
        True,
    )
    bad = secretariat_client.post(
        "/events/admin/new", data=EVENT_FORM | {"slug": "other", "remind_days_before": "0"}
    )
    assert bad.status_code == 422
    assert "Enter a number from 1 to 60." in bad.get_data(as_text=True)


def test_reminders_go_once_each_on_their_day(client, make_event, mailbox):
    """On the day set, do confirmed participants get a reminder and pending ones a note that
    their registration is not complete, nobody else, and each only once however often it runs?"""
    event = make_event(capacity=1, remind_days_before=3)
    for number in (1, 2, 3):
        client.post(f"/events/{event.slug}/register", data=form_data(number))
    registrations = {r.email: r for r in db.session.query(Registration)}
    cancelled = registrations["participant3@example.org"]
    client.post(f"/events/{event.slug}/register", data=form_data(4))  # waiting
    cancelled.status = Status.CANCELLED
    registrations["participant2@example.org"].status = Status.PENDING
    db.session.commit()
    mailbox.clear()

    assert send_reminders(event.starts_at - timedelta(days=3, minutes=1)) == []
    day = event.starts_at - timedelta(days=3) + timedelta(minutes=5)
    assert sorted(send_reminders(day)) == ["participant1@example.org", "participant2@example.org"]
    assert send_reminders(day + timedelta(hours=1)) == []
    assert send_reminders(day + timedelta(days=1)) == []

    confirmed = mailbox.last("participant1@example.org")
    assert "Reminder" in confirmed["Subject"]
    text = " ".join(body_text(confirmed).split())
    assert "starts soon, and your seat is confirmed" in text
    assert "/events/registration/" in text
    pending = " ".join(body_text(mailbox.last("participant2@example.org")).split())
    assert "still awaits the Secretariat's approval" in pending
    assert {m["To"] for m in mailbox.messages} == {
        "participant1@example.org",
        "participant2@example.org",
    }


def test_an_unconfirmed_registrant_is_reminded_to_confirm(client, make_event, mailbox):
    """Is someone who never confirmed their address reminded to, with the confirming link?"""
    event = make_event(confirm_address=True, remind_days_before=2)
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    mailbox.clear()
    send_reminders(event.starts_at - timedelta(days=1))
    text = " ".join(body_text(mailbox.last("participant1@example.org")).split())
    assert "you have not yet confirmed your address" in text
    assert "Confirm your address (keep this link to yourself):" in text


def test_reminders_are_a_scheduled_job():
    """Do the workers run the reminders on a schedule?"""
    job = jobs.JOBS["events.send-reminders"]
    assert job.schedule is not None
