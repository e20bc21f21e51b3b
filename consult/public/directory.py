"""The public members directory: only members who agreed to be listed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.accounts.models import Constituency
from consult.extensions import db


@dataclass(frozen=True)
class Listing:
    """What the directory shows of a member: never the e-mail address."""

    name: str
    organisation: str
    country: str | None
    website: str | None


@dataclass(frozen=True)
class Group:
    """The listed members of one constituency."""

    constituency: Constituency
    members: list[Listing]


def safe_website(url: str | None) -> str | None:
    """The address if it is a web link (http or https), else None."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else None


def directory_groups() -> list[Group]:
    """Active members who consented to be listed, grouped by constituency in its order."""
    constituencies = db.session.scalars(
        select(Constituency)
        .order_by(Constituency.position, Constituency.name)
        .options(selectinload(Constituency.members))
    )
    groups = []
    for constituency in constituencies:
        members = sorted(
            (u for u in constituency.members if u.listed_in_directory and u.active),
            key=lambda u: (u.organisation.casefold(), u.display_name.casefold()),
        )
        if members:
            groups.append(
                Group(
                    constituency,
                    [
                        Listing(u.display_name, u.organisation, u.country, safe_website(u.website))
                        for u in members
                    ],
                )
            )
    return groups
