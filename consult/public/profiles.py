"""Who sees which VIA profile, and the search over the public compilation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.public.models import (
    SECTORS,
    ProfileCountry,
    ProfileStatus,
    ProfileType,
    ViaProfile,
    fold,
)

#: The last page number anyone can ask for (beyond it, the offset would overflow).
MAX_PAGE = 100_000
#: Profiles on one page of the public list.
PER_PAGE = 10
#: At most this many words of a query are used.
MAX_WORDS = 8


def can_view_profile(user: Any, profile: ViaProfile) -> bool:
    """Published: anyone. Archived: members. Draft or proposed: the Secretariat and the proposer."""
    if profile.status is ProfileStatus.PUBLISHED:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_secretariat:
        return True
    if profile.status is ProfileStatus.ARCHIVED:
        return True
    return profile.proposed_by_id == user.id


@dataclass(frozen=True)
class ProfileQuery:
    """What a visitor asked the public list for; unknown filter values are dropped."""

    text: str = ""
    sector: str = ""
    country: str = ""
    type: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: Any) -> ProfileQuery:
        """Read and clean the query string of the list page."""
        sector = args.get("sector", "")
        type_ = args.get("type", "")
        country = args.get("country", "").strip().upper()
        try:
            page = min(max(1, int(args.get("page", 1))), MAX_PAGE)
        except (TypeError, ValueError):
            page = 1
        return cls(
            text=args.get("q", "").strip()[:200],
            sector=sector if sector in SECTORS else "",
            country=country if len(country) == 2 and country.isalpha() else "",
            type=type_ if type_ in {t.value for t in ProfileType} else "",
            page=page,
        )

    @property
    def words(self) -> list[str]:
        """The folded words of the text; each must occur in the profile."""
        return fold(self.text).split()[:MAX_WORDS]

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query-string values for a link to this search (with ``changes``), empty ones left out."""
        values = {
            "q": self.text,
            "sector": self.sector,
            "country": self.country,
            "type": self.type,
            "page": self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_statement(query: ProfileQuery) -> Select:
    """Published profiles matching every word and every filter, by name.

    Matching is a case- and accent-insensitive substring test on a folded copy
    of name, organisation and description, so it behaves the same on SQLite
    and PostgreSQL.
    """
    statement = select(ViaProfile).where(ViaProfile.status == ProfileStatus.PUBLISHED)
    for word in query.words:
        statement = statement.where(ViaProfile.search_text.like(_like_pattern(word), escape="\\"))
    if query.sector:
        statement = statement.where(ViaProfile.sector == query.sector)
    if query.type:
        statement = statement.where(ViaProfile.type == ProfileType(query.type))
    if query.country:
        statement = statement.where(
            exists().where(
                ProfileCountry.profile_id == ViaProfile.id, ProfileCountry.country == query.country
            )
        )
    return statement.options(selectinload(ViaProfile.country_rows)).order_by(
        ViaProfile.name, ViaProfile.id
    )


def search_profiles(query: ProfileQuery, per_page: int = PER_PAGE):
    """One page of the search; a page past the end comes back empty, never an error."""
    return db.paginate(
        search_statement(query), page=query.page, per_page=per_page, error_out=False, count=True
    )


def published_countries() -> list[str]:
    """ISO codes of the countries that published profiles name, for the country filter."""
    statement = (
        select(ProfileCountry.country)
        .join(ViaProfile, ViaProfile.id == ProfileCountry.profile_id)
        .where(ViaProfile.status == ProfileStatus.PUBLISHED)
        .distinct()
    )
    return list(db.session.scalars(statement))
