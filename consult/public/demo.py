"""Demo content of the public site, from FACTS.md only (the CSD-8 paper on VIAs).

The text of the key elements is not in that paper: the placeholders say so
instead of inventing it. Profiles give only what the paper says of each code.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.accounts.models import User
from consult.database import utcnow
from consult.extensions import db
from consult.public.models import KeyElement, ProfileStatus, ProfileType, ViaProfile

PLACEHOLDER_ELEMENTS = 3
WORKSHOP = (
    "One of the three voluntary codes of conduct drawn up by international organisations that "
    "the NGO members of the Steering Group may study at a one-day workshop on 28 April 2000."
)

#: (name, organisation, type, sector, year, description)
PROFILES = (
    (
        "International Code of Conduct on the Distribution and Use of Pesticides",
        "Food and Agriculture Organization of the United Nations (FAO)",
        ProfileType.CODE_OF_CONDUCT,
        "agriculture",
        1986,
        f"Code of conduct adopted by FAO (Rome, 1986).\n\n{WORKSHOP}",
    ),
    (
        "International Code of Marketing of Breast-milk Substitutes",
        "UNICEF and the World Health Organization (WHO)",
        ProfileType.CODE_OF_CONDUCT,
        "health",
        1981,
        f"Code of conduct of UNICEF and WHO (WHO, Geneva, 1981).\n\n{WORKSHOP}",
    ),
    (
        "Guidelines for Multinational Enterprises",
        "Organisation for Economic Co-operation and Development (OECD)",
        ProfileType.CODE_OF_CONDUCT,
        "multi-sector",
        None,
        f"The OECD's guidelines for multinational enterprises.\n\n{WORKSHOP}",
    ),
    (
        "Responsible Care",
        "Chemical Manufacturers Association",
        ProfileType.OTHER,
        "chemicals",
        None,
        "The chemical industry programme of the Chemical Manufacturers Association. MIT's "
        "Technology, Business and Environment Program analysed it; the method of the country "
        "case-study project builds on such earlier analyses.",
    ),
)


def _seed_key_elements() -> None:
    if db.session.scalar(select(KeyElement.id).limit(1)) is not None:
        return
    for number in range(1, PLACEHOLDER_ELEMENTS + 1):
        db.session.add(
            KeyElement(
                position=number,
                title=f"Key element {number} (text from E/CN.17/1999/12 to be entered)",
                explanation=(
                    "Placeholder. The key elements identified at Toronto in March 1999 are "
                    "reported in E/CN.17/1999/12; their number and text are to be entered from "
                    "that document by the Secretariat."
                ),
            )
        )


def _seed_profiles() -> None:
    existing = set(db.session.scalars(select(ViaProfile.name)))
    for name, organisation, type_, sector, year, description in PROFILES:
        if name in existing:
            continue
        db.session.add(
            ViaProfile(
                name=name,
                organisation=organisation,
                type=type_,
                sector=sector,
                year_started=year,
                description=description,
                status=ProfileStatus.PUBLISHED,
                published_at=utcnow(),
            )
        )


def seed_public(users: dict[str, User]) -> None:
    """Key element placeholders and the four profiles."""
    _seed_key_elements()
    _seed_profiles()
    db.session.flush()
