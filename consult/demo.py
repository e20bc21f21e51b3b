"""Demo data from the real case (shared/seed/FACTS.md): the CSD Steering Group on VIAs.

Each capability answers ``signals.demo_seeders`` with a :class:`Seeder` for its own
part (accounts creates the members below first); running the demo twice leaves one
copy of everything, because every seeder looks rows up by a natural key before it
creates them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from consult import signals
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
    role: str = "member"  # or "secretariat"
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
        "secretariat",
    ),
    DemoMember(
        "dsd.officer@example.org",
        "DSD programme officer",
        "UN DESA, Division for Sustainable Development",
        "desa-dsd",
        "US",
        "America/New_York",
        "secretariat",
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


@dataclass(frozen=True)
class Seeder:
    """A capability's demo data, loaded in ``order`` (lower first).

    ``seed`` gets the demo members by e-mail; the accounts seeder (order 0) fills that mapping.
    """

    seed: Callable[[dict[str, Any]], None]
    order: int = 100


def load_demo() -> dict[str, Any]:
    """Load every capability's demo data in one transaction; return the members by e-mail."""
    users: dict[str, Any] = {}
    for seeder in signals.ordered(signals.demo_seeders):
        seeder.seed(users)
    db.session.commit()
    return users
