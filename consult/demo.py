"""Demo data from the real case (shared/seed/FACTS.md): the CSD Steering Group on VIAs.

Each capability adds its own part through :func:`register_seeder`; running the
demo twice leaves one copy of everything, because every seeder looks rows up by
a natural key before it creates them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import select

from consult.accounts.constituencies import ensure_standard_constituencies
from consult.accounts.models import Role, User
from consult.accounts.services import normalise_email, set_password
from consult.extensions import db

DEMO_PASSWORD = "steering-group-2000"  # noqa: S105 (printed demo sign-in)
SECRETARIAT_EMAIL = "secretariat@example.org"


@dataclass(frozen=True)
class DemoMember:
    """One member of the demo Steering Group."""

    email: str
    name: str
    organisation: str
    constituency: str
    country: str
    timezone: str
    role: Role = Role.MEMBER
    listed: bool = True


#: Members of each constituency in the time zones where such members sat.
DEMO_MEMBERS = (
    DemoMember(
        SECRETARIAT_EMAIL,
        "CSD Secretariat",
        "UN DESA, Division for Sustainable Development",
        "desa-dsd",
        "US",
        "America/New_York",
        Role.SECRETARIAT,
    ),
    DemoMember(
        "dsd.officer@example.org",
        "DSD programme officer",
        "UN DESA, Division for Sustainable Development",
        "desa-dsd",
        "US",
        "America/New_York",
        Role.SECRETARIAT,
    ),
    DemoMember(
        "business.geneva@example.org",
        "Business member (Geneva)",
        "Business and industry",
        "business",
        "CH",
        "Europe/Zurich",
    ),
    DemoMember(
        "business.brussels@example.org",
        "Business member (Brussels)",
        "Business and industry",
        "business",
        "BE",
        "Europe/Brussels",
    ),
    DemoMember(
        "unions.brussels@example.org",
        "Trade union member (Brussels)",
        "Trade unions",
        "trade-unions",
        "BE",
        "Europe/Brussels",
    ),
    DemoMember(
        "unions.toronto@example.org",
        "Trade union member (Toronto)",
        "Trade unions",
        "trade-unions",
        "CA",
        "America/Toronto",
    ),
    DemoMember(
        "ngo.nairobi@example.org",
        "NGO member (Nairobi)",
        "Non-governmental organisations",
        "ngos",
        "KE",
        "Africa/Nairobi",
    ),
    DemoMember(
        "ngo.saopaulo@example.org",
        "NGO member (São Paulo)",
        "Non-governmental organisations",
        "ngos",
        "BR",
        "America/Sao_Paulo",
    ),
    DemoMember(
        "ngo.delhi@example.org",
        "NGO member (New Delhi)",
        "Non-governmental organisations",
        "ngos",
        "IN",
        "Asia/Kolkata",
    ),
    DemoMember(
        "unep.paris@example.org",
        "UNEP member (Paris)",
        "United Nations Environment Programme",
        "unep",
        "FR",
        "Europe/Paris",
    ),
    DemoMember(
        "unep.nairobi@example.org",
        "UNEP member (Nairobi)",
        "United Nations Environment Programme",
        "unep",
        "KE",
        "Africa/Nairobi",
    ),
    DemoMember(
        "oecd.paris@example.org",
        "OECD member (Paris)",
        "Organisation for Economic Co-operation and Development",
        "oecd",
        "FR",
        "Europe/Paris",
    ),
    DemoMember(
        "gov.canada@example.org",
        "Government of Canada (Toronto)",
        "Government of Canada",
        "gov-developed",
        "CA",
        "America/Toronto",
        listed=False,
    ),
    DemoMember(
        "gov.china@example.org",
        "Government of China (Beijing)",
        "Government of China",
        "gov-developing",
        "CN",
        "Asia/Shanghai",
        listed=False,
    ),
    DemoMember(
        "gov.hungary@example.org",
        "Government of Hungary (Budapest)",
        "Government of Hungary",
        "gov-transition",
        "HU",
        "Europe/Budapest",
        listed=False,
    ),
)

Seeder = Callable[[dict[str, User]], None]


def register_seeder(app: Flask, seeder: Seeder, order: int = 100) -> None:
    """Add a capability's demo data; it receives the demo members by e-mail."""
    app.extensions.setdefault("consult_demo", []).append((order, seeder))


def seed_members() -> dict[str, User]:
    """Create the constituencies and the demo members that are missing."""
    constituencies = ensure_standard_constituencies()
    users: dict[str, User] = {}
    for member in DEMO_MEMBERS:
        email = normalise_email(member.email)
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email,
                display_name=member.name,
                organisation=member.organisation,
                constituency=constituencies[member.constituency],
                country=member.country,
                timezone=member.timezone,
                role=member.role,
                listed_in_directory=member.listed,
            )
            set_password(user, DEMO_PASSWORD)
            db.session.add(user)
        users[email] = user
    db.session.flush()
    return users


def load_demo() -> dict[str, User]:
    """Load every capability's demo data in one transaction."""
    users = seed_members()
    for _, seeder in sorted(
        current_app.extensions.get("consult_demo", []), key=lambda pair: pair[0]
    ):
        seeder(users)
    db.session.commit()
    return users
