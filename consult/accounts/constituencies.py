"""The standard constituencies of the Steering Group (DESIGN.md), kept as data."""

from __future__ import annotations

from sqlalchemy import select

from consult.accounts.models import Constituency
from consult.extensions import db

#: (slug, name, description) in display order.
STANDARD_CONSTITUENCIES = (
    ("business", "Business and industry", "Business and industry organisations"),
    ("trade-unions", "Trade unions", "Workers and trade union organisations"),
    ("ngos", "NGOs", "Non-governmental organisations"),
    ("unep", "UNEP", "United Nations Environment Programme"),
    (
        "desa-dsd",
        "DESA/DSD (Secretariat)",
        "UN Department of Economic and Social Affairs, Division for Sustainable Development",
    ),
    ("gov-developed", "Governments: developed countries", "Governments of developed countries"),
    ("gov-developing", "Governments: developing countries", "Governments of developing countries"),
    (
        "gov-transition",
        "Governments: economies in transition",
        "Governments of countries with economies in transition",
    ),
    ("oecd", "OECD", "Organisation for Economic Co-operation and Development"),
    ("other", "Other", "Other participants"),
)


def ensure_standard_constituencies() -> dict[str, Constituency]:
    """Create the standard constituencies that are missing; return all by slug."""
    existing = {c.slug: c for c in db.session.scalars(select(Constituency))}
    for position, (slug, name, description) in enumerate(STANDARD_CONSTITUENCIES):
        if slug not in existing:
            constituency = Constituency(
                slug=slug, name=name, description=description, position=position
            )
            db.session.add(constituency)
            existing[slug] = constituency
    db.session.flush()
    return existing
