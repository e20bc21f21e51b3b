"""The Secretariat's outbox page: who may see it, filters, the server's answers, retry, pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.accounts.notifications import queue_password_reset
from consult.extensions import db
from consult.outbox.models import OutboxMessage, OutboxStatus
from tests.conftest import sign_in


@pytest.mark.parametrize("method, path", [("get", "/outbox"), ("post", "/outbox/1/retry")])
def test_only_the_secretariat_gets_in(client, make_member, method, path):
    """Are visitors sent to sign in and members refused on the outbox and its retry button?"""
    response = getattr(client, method)(path)
    assert response.status_code == 302 and "/sign-in" in response.location
    sign_in(client, make_member())
    assert getattr(client, method)(path).status_code == 403


def test_the_page_shows_where_each_message_stands(client, make_member, secretariat_client, mailbox):
    """Does the page list sent and failed messages, with the server's answer, filterable by
    recipient and by status?"""
    make_member("fine@example.org")
    make_member("bounced@example.org")
    mailbox.refuse.add("bounced@example.org")
    for address in ("fine@example.org", "bounced@example.org"):
        client.post("/password/forgot", data={"email": address})
    page = secretariat_client.get("/outbox").get_data(as_text=True)
    assert "fine@example.org" in page and "bounced@example.org" in page
    assert "550 5.1.1 mailbox unavailable" in page and "Password reset" in page
    failed = secretariat_client.get("/outbox?status=failed").get_data(as_text=True)
    assert "bounced@example.org" in failed and "fine@example.org" not in failed
    found = secretariat_client.get("/outbox?recipient=FINE@").get_data(as_text=True)
    assert "fine@example.org" in found and "bounced@example.org" not in found
    odd = secretariat_client.get("/outbox?status=lost&recipient=%25&page=x")
    assert odd.status_code == 200, "unknown filter values are dropped, never an error"


def test_retry_sends_a_failed_message_again(
    app, client, make_member, secretariat_client, mailbox, csrf
):
    """Does "Try again now" (a CSRF-protected POST) queue a failed message, which then goes out?"""
    make_member("fixed@example.org")
    mailbox.refuse.add("fixed@example.org")
    form_token = csrf(client, "/password/forgot")
    client.post("/password/forgot", data={"email": "fixed@example.org", "csrf_token": form_token})
    row = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == "fixed@example.org")
    )
    assert row.status is OutboxStatus.FAILED
    mailbox.refuse.clear()
    assert secretariat_client.post(f"/outbox/{row.id}/retry").status_code == 400, "no CSRF token"
    token = csrf(secretariat_client, "/outbox?status=failed")
    response = secretariat_client.post(
        f"/outbox/{row.id}/retry?status=failed", data={"csrf_token": token}
    )
    assert response.status_code == 303 and response.location.endswith("/outbox?status=failed")
    db.session.refresh(row)
    assert row.status is OutboxStatus.SENT and row.attempts == 2
    assert mailbox.last("fixed@example.org")["Message-ID"] == row.message_id
    again = secretariat_client.post(f"/outbox/{row.id}/retry", data={"csrf_token": token})
    assert again.status_code == 303
    assert len(mailbox.to("fixed@example.org")) == 1, "a sent message is not sent again"
    assert (
        secretariat_client.post("/outbox/999999/retry", data={"csrf_token": token}).status_code
        == 404
    )


def test_the_outbox_is_paginated(app, secretariat_client, mailbox):
    """With 120 messages, does the page show 50 at a time, newest first, with a way on?"""
    for number in range(120):
        queue_password_reset(f"nobody{number:03d}@example.org")
    db.session.commit()
    first = secretariat_client.get("/outbox?status=skipped").get_data(as_text=True)
    assert first.count("@example.org</td>") == 50
    assert "nobody119@example.org" in first and "nobody069@example.org" not in first
    assert "Page 1 of 3" in first and 'rel="next"' in first
    last = secretariat_client.get("/outbox?status=skipped&page=3").get_data(as_text=True)
    assert last.count("@example.org</td>") == 20 and "nobody000@example.org" in last
    beyond = secretariat_client.get("/outbox?status=skipped&page=9")
    assert beyond.status_code == 200 and "No message matches." in beyond.get_data(as_text=True)
