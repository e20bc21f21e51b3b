"""The demo's decisions: an open proposal with a block, an amendment with a comment; twice is once."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.decisions.models import Amendment, AmendmentComment, Position, Proposal, Vote
from consult.demo import SECRETARIAT_EMAIL, load_demo
from consult.extensions import db
from tests.conftest import sign_in


def test_demo_decisions_load_once_and_show_on_the_scope_section(client):
    """Does the demo give the scope section a proposal, answers, an amendment and the stances
    the comments stated, the same after a second run?"""
    load_demo()
    users = load_demo()
    for model, count in ((Proposal, 1), (Vote, 3), (Amendment, 1), (AmendmentComment, 1)):
        assert db.session.scalar(select(func.count()).select_from(model)) == count, model
    assert db.session.scalar(select(func.count()).select_from(Position)) >= 3
    proposal = db.session.scalar(select(Proposal))
    sign_in(client, users[SECRETARIAT_EMAIL])
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Blocks" in page and "Without initiatives led by NGOs" in page
    section = client.get(f"/toolkit/sections/{proposal.section_id}").get_data(as_text=True)
    assert "Your answer is awaited." in section and "Amendment" in section
    record = client.get(f"/toolkit/sections/{proposal.section_id}/record")
    assert record.status_code == 200
