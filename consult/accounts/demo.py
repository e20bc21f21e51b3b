"""The demo members (``consult.demo.DEMO_MEMBERS``) as accounts, before anything else is seeded."""

from __future__ import annotations

from sqlalchemy import select

from consult.accounts.constituencies import ensure_standard_constituencies
from consult.accounts.models import Role, User
from consult.accounts.services import normalise_email, set_password
from consult.demo import DEMO_MEMBERS, DEMO_PASSWORD
from consult.extensions import db


def seed_members(users: dict[str, User]) -> None:
    """Create the constituencies and the demo members that are missing; put all in ``users``."""
    constituencies = ensure_standard_constituencies()
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
                role=Role(member.role),
                listed_in_directory=member.listed,
            )
            set_password(user, DEMO_PASSWORD)
            db.session.add(user)
        users[email] = user
    db.session.flush()
