"""A section's printable record: adopted text, versions, amendments as redlines, proposals with
each constituency's position and their outcomes."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from consult.database import utcnow
from consult.decisions.models import Choice, Proposal, Vote
from consult.extensions import db
from tests.conftest import sign_in

TEXT = "Each initiative reports every year to the Commission."


def test_the_record_holds_the_adopted_text_amendments_and_outcomes(
    client, make_member, make_secretariat, make_section
):
    """After an amendment is accepted and a proposal agreed, does the record show the agreed
    version's text, the amendment as a redline with its author, and the outcome by constituency?"""
    section = make_section(title="Reporting", body=TEXT)
    officer = make_secretariat(name="Officer")
    author = make_member(name="Business Delegate", constituency="business")
    silent = make_member(name="Silent Unionist", constituency="trade-unions")
    sign_in(client, author)
    client.post(
        f"/toolkit/sections/{section.id}/amendments/new",
        data={
            "passage": "every year",
            "replacement": "every two years",
            "reason": "Less paperwork.",
        },
    )
    sign_in(client, officer)
    amendment_id = client.get(f"/api/sections/{section.id}/amendments").get_json()["amendments"][0][
        "id"
    ]
    client.post(f"/amendments/{amendment_id}/accept", data={})
    proposal = Proposal(
        section_id=section.id,
        version=2,
        question="Do we agree to version 2?",
        opened_by_id=officer.id,
        opened_at=utcnow() - timedelta(days=3),
        closes_at=utcnow() - timedelta(hours=1),
    )
    db.session.add(proposal)
    db.session.flush()
    db.session.add(
        Vote(proposal_id=proposal.id, user_id=author.id, choice=Choice.AGREE, reason="Good")
    )
    db.session.commit()
    client.post(
        f"/proposals/{proposal.id}/outcome",
        data={"outcome": "agreed", "statement": "Agreed without objection."},
    )
    sign_in(client, silent)
    response = client.get(f"/toolkit/sections/{section.id}/record")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    adopted = html[html.index("Adopted text") : html.index("Versions</h2>")]
    assert "(version 3, agreed" in adopted
    assert "Each initiative reports every two years to the Commission." in adopted
    amendments = html[html.index("Amendments</h2>") : html.index("Proposals and outcomes")]
    assert (
        f"Amendment {amendment_id} by <bdi>Business Delegate</bdi> (<bdi>Business and industry</bdi>)"
        in amendments
    )
    assert "<del>" in amendments and "<ins>" in amendments and "Less paperwork." in amendments
    outcomes = html[html.index("Proposals and outcomes") :]
    assert "Do we agree to version 2?" in outcomes and "Outcome: Agreed" in outcomes
    assert "Agreed without objection." in outcomes
    assert (
        "<bdi>Business Delegate</bdi>: Agree (<bdi>Good</bdi>)" in outcomes
        and "Silent Unionist" in outcomes
    )
    assert "<form" not in html[html.index("<main") :] and "<script" not in html


def test_a_section_never_agreed_says_its_text_is_a_draft(member_client, make_section):
    """Does the record of a section with no agreed version give the draft and say so?"""
    section = make_section(body=TEXT)
    html = member_client.get(f"/toolkit/sections/{section.id}/record").get_data(as_text=True)
    assert "Text (version 1, not yet adopted)" in html and "No amendment." in html
    assert "No proposal." in html


def test_the_record_is_for_members(client, make_section):
    """Are visitors sent to sign in, and an unknown section a 404 for members?"""
    section = make_section(published=True)
    assert client.get(f"/toolkit/sections/{section.id}/record").status_code == 302


def test_the_record_as_a_pdf_that_a_reader_opens(
    client, make_member, make_secretariat, make_section
):
    """Is the record a valid PDF (read strictly by pypdf) holding the text, the amendment with its
    marks and the members' names, a long text running onto further pages?"""
    long_text = TEXT + "\n\n**Reporting matters.**\n\n- first point\n- second point\n\n"
    long_text += "Initiatives publish what they achieve, year by year. " * 200
    section = make_section(title="Reporting – “annual”", body=long_text)
    sign_in(client, make_member(name="Business Delegate", constituency="business"))
    client.post(
        f"/toolkit/sections/{section.id}/amendments/new",
        data={"passage": "every year", "replacement": "every two years", "reason": ""},
    )
    sign_in(client, make_secretariat())
    response = client.get(f"/toolkit/sections/{section.id}/record.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"toolkit-section-{section.id}-record.pdf" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data), strict=True)
    assert len(reader.pages) >= 3
    assert reader.metadata.title == "Reporting – “annual”"
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Text (version 1, not yet adopted)" in text
    assert "Amendment" in text and "Business Delegate (Business and industry)" in text
    assert "[-year-]{+two years+}" in text.replace("\n", " ")
    assert "Initiatives publish what they achieve" in text
    # the text as readers see it, not its Markdown
    assert "Reporting matters." in text and "**" not in text and "- first point" in text
    assert client.get("/toolkit/sections/999999/record.pdf").status_code == 404
