"""Key elements, VIA profiles and their assessments."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.database import str_enum, utcnow
from consult.enums import LabelledEnum
from consult.extensions import db
from consult.i18n.content import Translatable


def fold(text: str | None) -> str:
    """Lower-case ``text`` and strip its accents, the same way for data and queries."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class ProfileStatus(LabelledEnum):
    """Where a VIA profile stands; only published profiles are public."""

    DRAFT = "draft", _l("Draft")
    PROPOSED = "proposed", _l("Proposed by a member")
    PUBLISHED = "published", _l("Published")
    ARCHIVED = "archived", _l("Archived")


class ProfileType(LabelledEnum):
    """What kind of voluntary initiative or agreement a profile describes."""

    CODE_OF_CONDUCT = "code-of-conduct", _l("Code of conduct")
    VOLUNTARY_AGREEMENT = "voluntary-agreement", _l("Voluntary agreement")
    CERTIFICATION = "certification", _l("Certification")
    PARTNERSHIP = "partnership", _l("Partnership")
    OTHER = "other", _l("Other")


class Rating(LabelledEnum):
    """How far a profile meets a key element."""

    MET = "met", _l("Met")
    PARTLY = "partly", _l("Partly met")
    NOT_MET = "not-met", _l("Not met")
    UNKNOWN = "unknown", _l("Unknown")


#: A sign beside the words, so that a cell never depends on colour.
RATING_SIGNS = {Rating.MET: "✓", Rating.PARTLY: "◐", Rating.NOT_MET: "✗", Rating.UNKNOWN: "?"}
#: Sectors a profile can be filed under (slug -> label).
SECTORS = {
    "agriculture": _l("Agriculture and pesticides"),
    "chemicals": _l("Chemicals"),
    "health": _l("Health and nutrition"),
    "multi-sector": _l("Several sectors"),
    "energy": _l("Energy"),
    "forestry": _l("Forestry"),
    "mining": _l("Mining"),
    "finance": _l("Finance"),
    "tourism": _l("Tourism"),
    "other": _l("Other"),
}


class KeyElement(Translatable, db.Model):
    """One of the key elements of VIAs identified at the Toronto consultation (March 1999)."""

    __tablename__ = "key_elements"
    translatable = ("title", "explanation")

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Display order, from 1.
    position: Mapped[int] = mapped_column(default=0, index=True)
    title: Mapped[str] = mapped_column(String(200))
    explanation: Mapped[str] = mapped_column(Text, default="")


class ProfileCountry(db.Model):
    """A country where a VIA applies."""

    __tablename__ = "via_profile_countries"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("via_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    #: ISO 3166-1 alpha-2 code.
    country: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)


class ViaProfile(db.Model):
    """A voluntary initiative or agreement, described for the public compilation."""

    __tablename__ = "via_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    #: The sponsoring organisation.
    organisation: Mapped[str] = mapped_column(String(300), default="")
    sector: Mapped[str] = mapped_column(String(40), default="other", index=True)
    year_started: Mapped[int | None]
    type: Mapped[ProfileType] = mapped_column(str_enum(ProfileType), default=ProfileType.OTHER)
    description: Mapped[str] = mapped_column(Text, default="")
    #: One link a line: the address, a space, then an optional label.
    links: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ProfileStatus] = mapped_column(
        str_enum(ProfileStatus), default=ProfileStatus.DRAFT, index=True
    )
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    #: Name, organisation and description folded for search (lower case, no accents).
    search_text: Mapped[str] = mapped_column(Text, default="")

    proposed_by: Mapped[User | None] = relationship()
    country_rows: Mapped[list[ProfileCountry]] = relationship(
        cascade="all, delete-orphan", order_by="ProfileCountry.country"
    )
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="profile", cascade="all, delete-orphan"
    )

    @property
    def countries(self) -> list[str]:
        """ISO codes of the countries where the VIA applies."""
        return [row.country for row in self.country_rows]

    @countries.setter
    def countries(self, codes: list[str]) -> None:
        wanted = sorted({code.upper() for code in codes if code})
        keep = [row for row in self.country_rows if row.country in wanted]
        have = {row.country for row in keep}
        self.country_rows = keep + [ProfileCountry(country=c) for c in wanted if c not in have]

    @property
    def link_list(self) -> list[tuple[str, str]]:
        """(url, label) pairs of the web links, only http(s) ones."""
        pairs = []
        for line in self.links.splitlines():
            url, _, label = line.strip().partition(" ")
            if url.startswith(("http://", "https://")):
                pairs.append((url, label.strip() or url))
        return pairs

    @property
    def is_public(self) -> bool:
        """True when anyone may see the profile."""
        return self.status is ProfileStatus.PUBLISHED


@event.listens_for(ViaProfile, "before_insert")
@event.listens_for(ViaProfile, "before_update")
def _fill_search_text(mapper: object, connection: object, profile: ViaProfile) -> None:
    """Keep the folded search text in step with the fields it is made of."""
    profile.search_text = fold(" ".join([profile.name, profile.organisation, profile.description]))


class Assessment(db.Model):
    """How one profile measures up to one key element."""

    __tablename__ = "via_assessments"
    __table_args__ = (UniqueConstraint("profile_id", "key_element_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("via_profiles.id", ondelete="CASCADE"))
    key_element_id: Mapped[int] = mapped_column(
        ForeignKey("key_elements.id", ondelete="CASCADE"), index=True
    )
    rating: Mapped[Rating] = mapped_column(str_enum(Rating), default=Rating.UNKNOWN)
    note: Mapped[str] = mapped_column(Text, default="")
    #: Where the judgement comes from (a document, a page, a meeting).
    source: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    profile: Mapped[ViaProfile] = relationship(back_populates="assessments")
    key_element: Mapped[KeyElement] = relationship()
