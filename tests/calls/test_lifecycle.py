"""A call's life through the pages: held only once it has started, cancelled with notice."""

from __future__ import annotations

from datetime import timedelta

from consult.calls.models import CallStatus
from consult.database import utcnow
from tests.conftest import sign_in


def test_a_call_cannot_be_held_before_it_starts(client, make_call):
    """Is "mark as held" refused two minutes before the start, and accepted once it has begun?"""
    call = make_call(start=(utcnow() + timedelta(minutes=2)).replace(microsecond=0))
    sign_in(client, call.series.organiser)
    response = client.post(f"/calls/{call.id}/held", follow_redirects=True)
    assert "only once it has started" in response.get_data(as_text=True)
    assert call.status is CallStatus.CONFIRMED

    started = make_call(call.series, start=(utcnow() - timedelta(days=40)).replace(microsecond=0))
    client.post(f"/calls/{started.id}/held")
    assert started.status is CallStatus.HELD


def test_cancelling_tells_every_invitee(client, make_call, mailbox):
    """Does cancelling send METHOD:CANCEL with the SEQUENCE raised to each invitee?"""
    call = make_call()
    sign_in(client, call.series.organiser)
    client.post(f"/calls/{call.id}/cancel")
    assert call.status is CallStatus.CANCELLED and call.sequence == 1
    assert len(mailbox.messages) == len(call.attendances)
    assert all("METHOD:CANCEL" in m.as_string() for m in mailbox.messages)
