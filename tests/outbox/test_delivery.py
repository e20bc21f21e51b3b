"""Delivery from the outbox through a real SMTP server: retries, refusals, claims, connections."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from consult import jobs
from consult.accounts.notifications import queue_password_reset
from consult.database import utcnow
from consult.extensions import db
from consult.outbox import delivery
from consult.outbox.models import OutboxMessage, OutboxStatus
from tests.services import free_port


def rows(address: str | None = None) -> list[OutboxMessage]:
    """Outbox rows (to ``address``), oldest first, as the database has them now."""
    statement = select(OutboxMessage).order_by(OutboxMessage.id)
    if address:
        statement = statement.where(OutboxMessage.recipient == address)
    db.session.expire_all()
    return list(db.session.scalars(statement))


def make_due(row: OutboxMessage) -> None:
    """Let the retry time of ``row`` come (without the commit hook noticing)."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row.id)
        .values(next_attempt_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()


@pytest.fixture
def held_jobs(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Keep the jobs a request enqueues instead of running them; the list of (name, args)."""
    kept: list[tuple] = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args, **kwargs: kept.append((name, args)))
    return kept


def test_a_request_only_writes_rows(client, make_member, mailbox, held_jobs, monkeypatch):
    """Does a reset request queue one row and a delivery job, without touching SMTP?"""
    make_member("quiet@example.org")

    def no_smtp(*args, **kwargs):
        raise AssertionError("a request opened an SMTP connection")

    monkeypatch.setattr(smtplib.SMTP, "__init__", no_smtp)
    assert client.post("/password/forgot", data={"email": "quiet@example.org"}).status_code == 302
    [row] = rows("quiet@example.org")
    assert row.status is OutboxStatus.QUEUED and row.kind == "accounts.reset"
    assert held_jobs == [("outbox.deliver", ([row.id],))]
    assert mailbox.messages == []

    monkeypatch.undo()
    delivery.deliver([row.id])
    assert rows("quiet@example.org")[0].status is OutboxStatus.SENT
    assert mailbox.last("quiet@example.org")["Message-ID"] == row.message_id


def test_smtp_down_then_up_retries_and_delivers(app, client, make_member, mailbox, monkeypatch):
    """With the mail server down, does the message wait a minute and go out once it is back?"""
    make_member("patient@example.org")
    port = app.config["MAIL_PORT"]
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nobody listens there
    before = utcnow()
    client.post("/password/forgot", data={"email": "patient@example.org"})
    [row] = rows("patient@example.org")
    assert row.status is OutboxStatus.QUEUED and row.attempts == 1
    assert "cannot reach the mail server" in row.last_error
    assert timedelta(seconds=55) < row.next_attempt_at - before < timedelta(seconds=70)
    assert delivery.sweep() == 0, "nothing is due before the retry time"
    assert mailbox.messages == []

    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    make_due(row)
    assert delivery.sweep() == 1
    [row] = rows("patient@example.org")
    assert row.status is OutboxStatus.SENT and row.attempts == 2 and row.last_error == ""
    assert mailbox.message_ids() == [row.message_id]


def test_a_permanent_refusal_is_failed_with_the_answer(client, make_member, mailbox):
    """Is a 5xx answer recorded as failed, with the server's words, and not tried again?"""
    make_member("gone@example.org")
    mailbox.refuse.add("gone@example.org")
    client.post("/password/forgot", data={"email": "gone@example.org"})
    [row] = rows("gone@example.org")
    assert row.status is OutboxStatus.FAILED
    assert row.last_error == "550 5.1.1 mailbox unavailable"
    make_due(row)
    assert delivery.sweep() == 0 and mailbox.messages == []


def test_a_temporary_refusal_keeps_the_message_id(client, make_member, mailbox):
    """After a 4xx answer, does the retry carry the same Message-ID?"""
    make_member("busy@example.org")
    mailbox.defer.add("busy@example.org")
    client.post("/password/forgot", data={"email": "busy@example.org"})
    [row] = rows("busy@example.org")
    assert row.status is OutboxStatus.QUEUED
    assert row.last_error.startswith("450 4.2.1")
    mailbox.defer.clear()
    make_due(row)
    delivery.sweep()
    assert mailbox.message_ids() == [row.message_id]


def test_temporary_failures_give_up_after_the_last_try(
    app, client, make_member, mailbox, monkeypatch
):
    """Does a message refused for now on every try end as failed, saying it gave up?"""
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 2)
    make_member("never@example.org")
    mailbox.defer.add("never@example.org")
    client.post("/password/forgot", data={"email": "never@example.org"})
    make_due(rows("never@example.org")[0])
    delivery.sweep()
    [row] = rows("never@example.org")
    assert row.status is OutboxStatus.FAILED and row.attempts == 2
    assert "450 4.2.1" in row.last_error and "gave up after 2 tries" in row.last_error


def test_backoff_doubles_up_to_six_hours():
    """Are retries spaced 1, 2, 4 ... minutes apart, never more than six hours?"""
    assert [delivery.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert delivery.backoff(30) == timedelta(hours=6)


def test_a_batch_goes_through_one_connection(app, make_member, mailbox):
    """Do the messages of one commit share one SMTP connection?"""
    addresses = [make_member().email for _ in range(5)]
    for address in addresses:
        queue_password_reset(address)
    db.session.commit()
    assert sorted(str(m["To"]) for m in mailbox.messages) == sorted(addresses)
    assert len(set(mailbox.peers)) == 1


def test_a_delivery_job_fills_its_batch_with_other_due_messages(
    client, make_member, mailbox, held_jobs
):
    """When requests come faster than the worker, does one job send the others' messages too,
    through its one connection, and do their own jobs then find nothing left to send?"""
    addresses = [make_member().email for _ in range(4)]
    for address in addresses:
        assert client.post("/password/forgot", data={"email": address}).status_code == 302
    assert len(held_jobs) == 4
    own = held_jobs[-1][1][0]
    assert delivery.deliver(own)["sent"] == 4
    assert sorted(str(m["To"]) for m in mailbox.messages) == sorted(addresses)
    assert len(set(mailbox.peers)) == 1
    assert all(row.status is OutboxStatus.SENT for row in rows())
    for _name, (ids,) in held_jobs[:-1]:
        assert delivery.deliver(ids) == {}
    assert len(mailbox.messages) == 4


def test_nothing_is_sent_for_an_unknown_address(client, mailbox):
    """Is a reset for an address without an account recorded as not sent, and why?"""
    client.post("/password/forgot", data={"email": "stranger@example.org"})
    [row] = rows("stranger@example.org")
    assert row.status is OutboxStatus.SKIPPED
    assert row.last_error == "no active account has this address"
    assert mailbox.messages == []


def test_a_claim_is_respected_until_its_lease_ends(app, make_member, mailbox, held_jobs):
    """Is a message claimed by a live worker left alone, and taken back once its lease ended?"""
    make_member("leased@example.org")
    queue_password_reset("leased@example.org")
    db.session.commit()
    token, claimed = delivery.claim()
    assert len(claimed) == 1
    assert delivery.claim()[1] == [], "a second claim gets nothing"
    assert delivery.sweep() == 0, "another worker holds it"
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == claimed[0])
        .values(claimed_until=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    assert delivery.sweep() == 1
    [row] = rows("leased@example.org")
    assert row.status is OutboxStatus.SENT and row.attempts == 2
    assert row.claim is None
    delivery.send_claimed(token, claimed)  # the first worker wakes up: it no longer holds it
    assert mailbox.message_ids() == [row.message_id]


def test_old_sent_messages_are_forgotten_failed_ones_kept(app, make_member, mailbox):
    """Does the daily purge drop sent messages older than OUTBOX_KEEP_DAYS, and keep failed
    ones and recent ones?"""
    make_member("old@example.org")
    make_member("bounced@example.org")
    mailbox.refuse.add("bounced@example.org")
    for address in ("old@example.org", "bounced@example.org"):
        queue_password_reset(address)
    db.session.commit()
    keep = app.config["OUTBOX_KEEP_DAYS"]
    assert delivery.purge() == 0, "nothing is old yet"
    assert delivery.purge(utcnow() + timedelta(days=keep + 1)) == 1
    assert [row.recipient for row in rows()] == ["bounced@example.org"]
