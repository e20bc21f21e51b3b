"""The JSON API and the section page give proposals and amendments with a constant number of
queries: one item or twenty, with their answers, authors and comments."""

from __future__ import annotations

from datetime import timedelta

from consult.database import utcnow
from consult.decisions.models import (
    Amendment,
    AmendmentComment,
    AmendmentStatus,
    Choice,
    Outcome,
    Proposal,
    Vote,
)
from consult.extensions import db
from tests.conftest import sign_in
from tests.queries import counting_queries

CONSTITUENCIES = ("business", "trade-unions", "ngos", "unep", "gov-developing")


def _fill(section, members, officer, size: int) -> None:
    """``size`` proposals and amendments, each answered or commented on by several members."""
    now = utcnow()
    for number in range(size):
        proposal = Proposal(
            section_id=section.id,
            version=1,
            question=f"Question {number}?",
            opened_by_id=officer.id,
            closes_at=now + timedelta(days=1 + number % 3),
            closed_at=now if number % 2 else None,
            outcome=Outcome.AGREED if number % 2 else None,
            outcome_by_id=officer.id if number % 2 else None,
            outcome_at=now if number % 2 else None,
        )
        amendment = Amendment(
            section_id=section.id,
            version=1,
            author_id=members[number % len(members)].id,
            constituency_id=members[number % len(members)].constituency_id,
            passage=f"passage {number}",
            replacement=f"replacement {number}",
            status=AmendmentStatus.DECLINED if number % 3 == 0 else AmendmentStatus.OPEN,
            decided_by_id=officer.id if number % 3 == 0 else None,
        )
        db.session.add_all([proposal, amendment])
        db.session.flush()
        for offset in range(1 + number % 7):
            member = members[(number + offset) % len(members)]
            db.session.add(
                Vote(
                    proposal_id=proposal.id,
                    user_id=member.id,
                    constituency_id=member.constituency_id,
                    choice=list(Choice)[offset % 4],
                    reason="because" if offset % 4 == 3 else "",
                )
            )
            db.session.add(
                AmendmentComment(
                    amendment_id=amendment.id,
                    author_id=member.id,
                    constituency_id=member.constituency_id,
                    body=f"Comment {offset} on *{number}*",
                )
            )
    db.session.commit()


def test_query_count_is_the_same_for_1_and_20_items(
    client, make_member, make_secretariat, make_section
):
    """Do the two API answers and the section page need as many queries for 20 items as for 1?"""
    members = [make_member(constituency=CONSTITUENCIES[n % 5], password=None) for n in range(25)]
    officer = make_secretariat()
    one, twenty = make_section(title="One"), make_section(title="Twenty")
    _fill(one, members[:2], officer, 1)
    _fill(twenty, members, officer, 20)
    for reader in (members[0], officer):
        sign_in(client, reader)
        counts = {}
        for section in (one, twenty):
            for kind, url in (
                ("proposals", f"/api/sections/{section.id}/proposals"),
                ("amendments", f"/api/sections/{section.id}/amendments"),
                ("page", f"/toolkit/sections/{section.id}"),
                ("history", f"/toolkit/sections/{section.id}/history"),
            ):
                db.session.expire_all()
                with counting_queries() as statements:
                    response = client.get(url)
                assert response.status_code == 200
                counts[(kind, section.title)] = len(statements)
                if kind in ("proposals", "amendments"):
                    assert len(response.get_json()[kind]) == (20 if section is twenty else 1)
        for kind in ("proposals", "amendments", "page", "history"):
            assert counts[(kind, "One")] == counts[(kind, "Twenty")], (kind, counts)
        assert counts[("proposals", "Twenty")] <= 8 and counts[("amendments", "Twenty")] <= 8, (
            counts
        )


def test_the_api_gives_answers_by_constituency_and_refuses_visitors(
    client, make_member, make_secretariat, make_section
):
    """Does the proposals API name each constituency's position and silent members, and refuse
    visitors (401) and unknown sections (404) with JSON?"""
    section = make_section()
    officer = make_secretariat()
    ngo = make_member(name="NGO One", constituency="ngos")
    make_member(name="NGO Silent", constituency="ngos")
    _fill(section, [ngo], officer, 1)
    assert client.get(f"/api/sections/{section.id}/proposals").status_code == 401
    assert client.get(f"/api/sections/{section.id}/amendments").status_code == 401
    sign_in(client, ngo)
    assert client.get("/api/sections/999999/proposals").get_json() == {"error": "not found"}
    data = client.get(f"/api/sections/{section.id}/proposals").get_json()
    (proposal,) = data["proposals"]
    ngos = next(g for g in proposal["by_constituency"] if g["constituency"]["name"] == "NGOs")
    assert ngos["position"] == "agree" and ngos["counts"]["agree"] == 1
    assert [m["name"] for m in ngos["not_answered"]] == ["NGO Silent"]
    assert proposal["own_answer"] == {"choice": "agree", "reason": ""}
    (amendment,) = client.get(f"/api/sections/{section.id}/amendments").get_json()["amendments"]
    assert amendment["comments"][0]["body_html"] == "<p>Comment 0 on <em>0</em></p>\n"
    assert amendment["status"] == "declined"
