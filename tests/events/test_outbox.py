"""Registration e-mails go through the outbox: written with the registration, sent after."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult import jobs, mail
from consult.events.models import Registration, Status
from consult.events.notifications import manage_token
from consult.extensions import db
from consult.outbox import delivery
from consult.outbox.models import OutboxMessage, OutboxStatus
from tests.conftest import links_in
from tests.events.conftest import form_data


def outbox_rows(address: str) -> list[OutboxMessage]:
    """The outbox rows to ``address``, oldest first."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == address)
            .order_by(OutboxMessage.id)
        )
    )


def registrations(address: str) -> list[Registration]:
    """The registrations of ``address``."""
    return list(db.session.scalars(select(Registration).where(Registration.email == address)))


@pytest.fixture
def held_jobs(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Keep the delivery jobs instead of running them (so rows stay queued)."""
    kept: list[tuple] = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args, **kwargs: kept.append((name, args)))
    return kept


def test_a_registration_and_its_letter_are_saved_together(client, make_event, held_jobs, mailbox):
    """Does a registration commit with its confirmation queued (and nothing sent by the request)?"""
    event = make_event(capacity=5)
    response = client.post(f"/events/{event.slug}/register", data=form_data(1))
    assert response.status_code == 303
    [registration] = registrations("participant1@example.org")
    [row] = outbox_rows("participant1@example.org")
    assert row.params == {"registration": registration.id, "letter": "confirmed"}
    assert row.status is OutboxStatus.QUEUED and mailbox.messages == []
    assert held_jobs == [("outbox.deliver", ([row.id],))]


def test_a_letter_that_cannot_be_saved_undoes_the_registration(
    client, make_event, make_member, monkeypatch
):
    """If the confirmation's row fails at the commit (a duplicate Message-ID), is the
    registration undone with it, so nobody holds a seat without its letter?"""
    event = make_event(capacity=5)
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    taken = outbox_rows("participant1@example.org")[0].message_id
    monkeypatch.setattr(mail, "new_message_id", lambda: taken)
    with pytest.raises(IntegrityError):
        client.post(f"/events/{event.slug}/register", data=form_data(2))
    db.session.rollback()
    assert registrations("participant2@example.org") == []
    assert outbox_rows("participant2@example.org") == []


def test_a_registration_refused_queues_no_letter(client, make_event, monkeypatch):
    """When the queuing step fails, is nothing registered (the step runs inside the lock)?"""
    from consult.events import notifications

    def broken(*args, **kwargs):
        raise RuntimeError("the outbox is broken")

    event = make_event(capacity=5)
    monkeypatch.setattr(notifications, "queue_registration", broken)
    with pytest.raises(RuntimeError):
        client.post(f"/events/{event.slug}/register", data=form_data(1))
    db.session.rollback()
    assert registrations("participant1@example.org") == []


def test_registering_twice_sends_the_private_link_again(client, make_event, mailbox):
    """Does a second registration with the same address get its private link by e-mail (and the
    page say so), without a new registration, and not again within minutes?"""
    event = make_event(capacity=5)
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    mailbox.clear()
    again = client.post(f"/events/{event.slug}/register", data=form_data(1, name="Someone"))
    assert again.status_code == 303
    page = client.get(again.location).get_data(as_text=True)
    assert "We have sent an e-mail to p•••@example.org." in page
    assert "/events/registration/" not in page
    [letter] = mailbox.messages
    assert letter["Subject"].startswith("Your registration:")
    assert any("/events/registration/" in link for link in links_in(letter))
    [registration] = registrations("participant1@example.org")
    assert registration.name == "Participant 1"
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    assert len(mailbox.messages) == 1, "at most one link every ten minutes"


def test_new_and_known_addresses_cost_the_answer_one_letter_each(client, make_event, held_jobs):
    """Does a new registration and one with a registered address each queue exactly one
    letter, and send nothing from the request?"""
    event = make_event(capacity=5)
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    kinds = [(row.kind, row.params["letter"]) for row in outbox_rows("participant1@example.org")]
    assert kinds == [("events.registration", "confirmed"), ("events.link", "again")]
    assert [name for name, _ in held_jobs] == ["outbox.deliver", "outbox.deliver"]


def test_a_letter_overtaken_by_events_is_not_sent(client, make_event, held_jobs, mailbox):
    """If someone registers and cancels before the worker gets to it, do they get only the
    cancellation, the stale confirmation marked as not sent, with the reason?"""
    event = make_event(capacity=5)
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    [registration] = registrations("participant1@example.org")
    client.post(f"/events/registration/{manage_token(registration)}/cancel")
    assert registration.status is Status.CANCELLED
    delivery.sweep()
    confirmed, cancelled = outbox_rows("participant1@example.org")
    assert confirmed.status is OutboxStatus.SKIPPED
    assert "cancelled now" in confirmed.last_error
    assert cancelled.status is OutboxStatus.SENT
    assert [m["Subject"] for m in mailbox.messages] == [
        f"Your registration is cancelled: {event.title}"
    ]
