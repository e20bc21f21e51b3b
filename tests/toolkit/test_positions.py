"""Positions: each member's latest stance, counted by constituency, and unresolved threads."""

from __future__ import annotations

import re

from consult.toolkit.models import Stance
from consult.toolkit.positions import positions
from tests.conftest import sign_in


def test_latest_stance_of_each_member_counts_once(app, make_member, make_section, make_comment):
    """Does a member who changed their mind count once, with the latest stance, in their constituency?"""
    section = make_section()
    ngo, ngo2, business = make_member(), make_member(), make_member(constituency="business")
    make_comment(section, ngo, "First I object", stance=Stance.OBJECTION)
    make_comment(section, ngo, "Now I support", stance=Stance.SUPPORT)
    make_comment(section, ngo, "No stance this time")
    make_comment(section, ngo2, "Concern", stance=Stance.CONCERN)
    root = make_comment(section, business, "Object", stance=Stance.OBJECTION)
    make_comment(section, ngo2, "A reply never counts", parent=root)
    hidden = make_comment(section, business, "Hidden support", stance=Stance.SUPPORT)
    hidden.hidden_at = hidden.created_at
    row = positions([section.id])[section.id]
    ngos = row.by_constituency[ngo.constituency_id]
    assert (ngos.support, ngos.concern, ngos.objection) == (1, 1, 0)
    biz = row.by_constituency[business.constituency_id]
    assert (biz.support, biz.concern, biz.objection) == (0, 0, 1)
    assert row.overall.total == 3
    assert row.unresolved == 6  # six top-level comments (the hidden one too), none resolved


def test_consensus_page_shows_counts_by_constituency(
    client, make_member, make_secretariat, make_section, make_comment
):
    """Does the consensus page give each section's counts per constituency and unresolved threads?"""
    scope = make_section(title="Purpose and scope")
    make_section(title="Use and impact")
    make_comment(scope, make_member(constituency="trade-unions"), "Yes", stance=Stance.SUPPORT)
    make_comment(
        scope, make_member(constituency="gov-developing"), "Careful", stance=Stance.CONCERN
    )
    sign_in(client, make_secretariat())
    html = client.get("/toolkit/consensus").get_data(as_text=True)
    row = html[html.index("Purpose and scope") : html.index("Use and impact")]
    assert "1 support" in row and "1 concern" in row
    assert "Unresolved threads: 2" in row
    assert "Governments: developing countries" in html
    assert "Support: 0" in html[html.index("Use and impact") :]


def test_section_page_bar_carries_text(member_client, make_member, make_section, make_comment):
    """Does the bar on a section page say its numbers in words, not only in colour?"""
    section = make_section()
    make_comment(section, make_member(), "Fine", stance=Stance.SUPPORT)
    make_comment(section, make_member(), "No", stance=Stance.OBJECTION)
    html = member_client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert re.search(r'class="bar-support" x="0" y="0" width="50.00"', html)
    for text in ("Support: 1", "Concern: 0", "Objection: 1", "Unresolved threads: 2"):
        assert text in html


def test_consensus_page_is_for_members(client):
    """Are visitors sent to sign in?"""
    assert client.get("/toolkit/consensus").status_code == 302
