"""Where each constituency stands on each section: the consensus view."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from consult.accounts.models import Constituency
from consult.extensions import db
from consult.toolkit.models import Comment, Stance


@dataclass
class Tally:
    """Counts of members' latest stances."""

    counts: Counter = field(default_factory=Counter)

    @property
    def support(self) -> int:
        """Members who support."""
        return self.counts[Stance.SUPPORT]

    @property
    def concern(self) -> int:
        """Members with concerns."""
        return self.counts[Stance.CONCERN]

    @property
    def objection(self) -> int:
        """Members who object."""
        return self.counts[Stance.OBJECTION]

    @property
    def total(self) -> int:
        """Members who took a position."""
        return sum(self.counts.values())

    def share(self, stance: Stance) -> float:
        """Fraction of positions that are ``stance`` (0 when nobody took one)."""
        return self.counts[stance] / self.total if self.total else 0.0


@dataclass
class SectionPositions:
    """One section's row of the consensus view."""

    by_constituency: dict[int | None, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)
    unresolved: int = 0


def latest_stances(section_ids: list[int] | None = None) -> dict[tuple[int, int], tuple]:
    """Each member's latest stance per section: (section, member) -> (constituency, stance).

    Only top-level comments that are neither deleted nor hidden count.
    """
    query = (
        select(Comment.section_id, Comment.author_id, Comment.constituency_id, Comment.stance)
        .where(
            Comment.parent_id.is_(None),
            Comment.stance.is_not(None),
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
        )
        .order_by(Comment.id)
    )
    if section_ids is not None:
        query = query.where(Comment.section_id.in_(section_ids))
    latest: dict[tuple[int, int], tuple] = {}
    for section_id, author_id, constituency_id, stance in db.session.execute(query):
        latest[(section_id, author_id)] = (constituency_id, stance)
    return latest


def positions(section_ids: list[int] | None = None) -> dict[int, SectionPositions]:
    """Counts by section and constituency, and unresolved threads, in two queries."""
    result: dict[int, SectionPositions] = {}
    for (section_id, _), (constituency_id, stance) in latest_stances(section_ids).items():
        row = result.setdefault(section_id, SectionPositions())
        row.by_constituency.setdefault(constituency_id, Tally()).counts[stance] += 1
        row.overall.counts[stance] += 1
    unresolved = (
        select(Comment.section_id, func.count())
        .where(
            Comment.parent_id.is_(None),
            Comment.resolved_at.is_(None),
            Comment.deleted_at.is_(None),
        )
        .group_by(Comment.section_id)
    )
    if section_ids is not None:
        unresolved = unresolved.where(Comment.section_id.in_(section_ids))
    for section_id, count in db.session.execute(unresolved):
        result.setdefault(section_id, SectionPositions()).unresolved = count
    return result


def constituencies() -> list[Constituency]:
    """Constituencies in their display order."""
    return list(
        db.session.scalars(select(Constituency).order_by(Constituency.position, Constituency.name))
    )
