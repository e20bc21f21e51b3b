"""Minutes and agenda items are Markdown: the call page keeps every script payload harmless."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.calls.models import AgendaItem, AgendaStatus, CallStatus
from consult.database import utcnow
from consult.extensions import db
from tests.conftest import sign_in
from tests.xss import XSS_PAYLOADS, marked, marked_problems


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_xss_payload_survives_in_minutes_or_agenda(client, make_call, payload: str):
    """Does the call page show minutes and a published agenda item without any live payload?"""
    call = make_call(start=utcnow() - timedelta(hours=3))
    member = next(a.user for a in call.attendances if not a.user.is_secretariat)
    db.session.add(
        AgendaItem(
            call=call,
            title="Toolkit scope",
            details=marked(payload),
            status=AgendaStatus.ACCEPTED,
            position=1,
        )
    )
    call.status = CallStatus.HELD
    call.agenda_published_at = utcnow()
    call.minutes = marked(payload)
    db.session.commit()
    html = sign_in(client, member).get(f"/calls/{call.id}").get_data(as_text=True)
    assert marked_problems(html, expected=2) == []


def test_minutes_and_agenda_items_are_rendered_as_markdown(client, make_call):
    """Are emphasis and links in minutes and agenda items shown as such, links marked nofollow?"""
    call = make_call(start=utcnow() - timedelta(hours=3))
    db.session.add(
        AgendaItem(
            call=call,
            title="Forum",
            details="See [the CSD page](https://www.un.org/esa/sustdev/csd.htm)",
            status=AgendaStatus.ACCEPTED,
        )
    )
    call.status = CallStatus.HELD
    call.minutes = "Agreed: **toolkit** outline."
    db.session.commit()
    html = sign_in(client, call.series.organiser).get(f"/calls/{call.id}").get_data(as_text=True)
    assert "<strong>toolkit</strong>" in html
    assert '<a href="https://www.un.org/esa/sustdev/csd.htm" rel="nofollow noopener">' in html
