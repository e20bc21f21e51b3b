"""Event descriptions and session notes are Markdown: the event page keeps payloads harmless."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.xss import XSS_PAYLOADS, marked, marked_problems


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_xss_payload_survives_in_description_or_agenda(
    client, make_event, add_session, payload: str
):
    """Does the public event page show the description and a session without any live payload?"""
    event = make_event(description=marked(payload))
    add_session(event, "Opening", event.starts_at + timedelta(hours=1), description=marked(payload))
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert marked_problems(html, expected=2) == []


def test_session_notes_are_rendered_as_markdown(client, make_event, add_session):
    """Is a session's description shown as Markdown, its links marked nofollow?"""
    event = make_event()
    add_session(
        event,
        "Codes of conduct",
        event.starts_at + timedelta(hours=1),
        description="The *FAO* code: [text](https://www.fao.org/)",
    )
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "<em>FAO</em>" in html
    assert '<a href="https://www.fao.org/" rel="nofollow noopener">' in html
