"""Sections and comments are Markdown: their page and the API keep every payload harmless."""

from __future__ import annotations

import pytest

from tests.xss import XSS_PAYLOADS, marked, marked_problems


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_xss_payload_survives_in_sections_or_comments(
    member_client, make_section, make_comment, payload: str
):
    """Do the section page and the comments API show a section and a comment with no live payload?"""
    section = make_section(body=marked(payload))
    make_comment(section, member_client.user, marked(payload))
    html = member_client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert marked_problems(html, expected=2) == []
    thread = member_client.get(f"/api/sections/{section.id}/comments").get_json()
    assert marked_problems(thread["comments"][0]["body_html"], expected=1) == []
