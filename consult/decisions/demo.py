"""Demo decisions on the toolkit (FACTS.md: the scope of the toolkit is not agreed yet).

An open proposal on the scope section, answered by some members (one block with its reason),
and an amendment from business to the same section, with a trade union's comment on it.
Safe to run twice: each piece is looked up by its text first.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.accounts.models import User
from consult.database import utcnow
from consult.decisions import amendments, proposals
from consult.decisions.models import Amendment, Choice, Proposal
from consult.demo import SECRETARIAT_EMAIL
from consult.extensions import db
from consult.toolkit.models import Section

SCOPE = "Purpose and scope of the toolkit"
QUESTION = "Do we agree that the toolkit covers VIAs of business and industry only, for now?"
ANSWERS = (
    ("business.geneva@example.org", Choice.AGREE, "A narrow scope lets us finish before CSD-10."),
    (
        "unions.brussels@example.org",
        Choice.DISAGREE,
        "Agreements negotiated with unions belong in it.",
    ),
    (
        "ngo.nairobi@example.org",
        Choice.BLOCK,
        "Without initiatives led by NGOs and governments the toolkit would mislead developing "
        "countries.",
    ),
)
PASSAGE = "the aim is to finish the toolkit before CSD-10"
REPLACEMENT = (
    "the aim is to finish a first part of the toolkit before CSD-10 and the rest after the "
    "ten-year review"
)


def seed_decisions(users: dict[str, User]) -> None:
    """Create the demo proposal, its answers and the amendment when they are missing."""
    section = db.session.scalar(select(Section).where(Section.title == SCOPE))
    if section is None:  # an application built without the toolkit's demo
        return
    now = utcnow()
    officer = users[SECRETARIAT_EMAIL]
    proposal = db.session.scalar(select(Proposal).where(Proposal.question == QUESTION))
    if proposal is None:
        proposal = proposals.open_proposal(
            section,
            officer,
            QUESTION,
            "Raised on the call of 12 April 2000. The alternative is the full scope of "
            "CSD-7 decision 7/6.",
            (now + timedelta(days=6)).replace(minute=0, second=0, microsecond=0),
            now,
        )
        for email, choice, reason in ANSWERS:
            proposals.vote(proposal, users[email], choice, reason, now)
    if (
        PASSAGE in section.body
        and db.session.scalar(
            select(Amendment).where(
                Amendment.section_id == section.id, Amendment.passage == PASSAGE
            )
        )
        is None
    ):
        amendment = amendments.propose(
            section,
            users["business.geneva@example.org"],
            PASSAGE,
            REPLACEMENT,
            "A first part on business initiatives can be ready for CSD-10; the rest needs the "
            "consultations with developing countries.",
        )
        amendments.comment(
            amendment,
            users["unions.brussels@example.org"],
            "Acceptable if the second part keeps a date.",
        )
