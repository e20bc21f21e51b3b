"""Demo work programme: the lines of work of the CSD-8 paper (FACTS.md ¶4)."""

from __future__ import annotations

from sqlalchemy import select

from consult.accounts.models import User
from consult.extensions import db
from consult.programme.models import ItemStatus, ProgrammeItem

#: (title, description, status) — the paper names no owners or dates for these.
LINES_OF_WORK = (
    (
        "Develop the VIA toolkit",
        "All partners agree a toolkit is very useful, but its scope and content are not yet "
        "agreed. The aim is to finish it before CSD-10, as an input to the 2002 ten-year review.",
        ItemStatus.IN_PROGRESS,
    ),
    (
        "Identify further information needs",
        "Which information on VIAs, and on their use and impact in developing countries, is "
        "still needed (CSD decision 7/6).",
        ItemStatus.IN_PROGRESS,
    ),
    (
        "Identify related processes",
        "Processes run by stakeholder groups alone or jointly that bear on VIAs.",
        ItemStatus.PLANNED,
    ),
    (
        "Explore methods to test the key elements",
        "Ways to test the key elements identified at Toronto (March 1999) against existing "
        "initiatives; the assessment matrix of the public site is one.",
        ItemStatus.PLANNED,
    ),
    (
        "Judge whether further consultations are needed and feasible",
        "Whether more consultations with governments and stakeholders are needed, and whether "
        "they can be held.",
        ItemStatus.PLANNED,
    ),
)


def seed_programme(users: dict[str, User]) -> None:
    """Create the five lines of work once (looked up by title)."""
    existing = set(db.session.scalars(select(ProgrammeItem.title)))
    for title, description, status in LINES_OF_WORK:
        if title not in existing:
            db.session.add(
                ProgrammeItem(
                    title=title,
                    description=description,
                    status=status,
                    agreed_at="Work programme as reported to CSD-8 (2000)",
                )
            )
    db.session.flush()
