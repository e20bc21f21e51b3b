"""Demo toolkit: sections from the real case (FACTS.md ¶4 and ¶6), filled in later."""

from __future__ import annotations

from consult.accounts.models import User


def seed_toolkit(users: dict[str, User]) -> None:
    """Create the demo sections, comments and stances that are missing."""
