"""Each member's own stance on a section, and where each constituency stands.

A member has one current stance per section (a row of ``decisions_positions``), changed in
place from the section's page or by posting a top-level comment with a stance; every stance
stated is kept in its history. The consensus view counts current stances by constituency
and names the active members of each constituency not yet heard from.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask import has_request_context, request
from sqlalchemy import func, select

from consult.accounts.models import Constituency, User
from consult.database import utcnow
from consult.decisions.models import Position, PositionChange
from consult.extensions import db
from consult.toolkit.models import Comment, Section, Stance


def state_stance(
    section: Section,
    user: Any,
    stance: Stance,
    reason: str = "",
    *,
    comment_id: int | None = None,
) -> Position:
    """Set ``user``'s current stance on ``section`` (in place) and add it to its history."""
    position = db.session.scalar(
        select(Position).where(Position.section_id == section.id, Position.user_id == user.id)
    )
    if position is None:
        position = Position(section_id=section.id, user_id=user.id)
        db.session.add(position)
    position.stance = stance
    position.reason = reason.strip()
    position.constituency_id = user.constituency_id
    position.version = section.version
    position.updated_at = utcnow()
    db.session.flush()
    db.session.add(
        PositionChange(
            position_id=position.id,
            stance=stance,
            reason=position.reason,
            version=section.version,
            comment_id=comment_id,
        )
    )
    return position


def on_stance_stated(sender: Any, *, section, user, stance, comment_id=None, **kwargs) -> None:
    """Receiver of ``signals.stance_stated``: a comment's stance becomes the member's own."""
    state_stance(section, user, stance, comment_id=comment_id)


def own_position(section: Section, user: Any) -> Position | None:
    """``user``'s current stance on ``section``, if they stated one."""
    return db.session.scalar(
        select(Position).where(Position.section_id == section.id, Position.user_id == user.id)
    )


def history_of(position: Position | None) -> list[PositionChange]:
    """Every stance the member stated on the section, newest first."""
    if position is None:
        return []
    return list(
        db.session.scalars(
            select(PositionChange)
            .where(PositionChange.position_id == position.id)
            .order_by(PositionChange.id.desc())
        )
    )


@dataclass
class Tally:
    """Current stances of some members, and who among them has not stated one."""

    counts: Counter = field(default_factory=Counter)
    not_heard: list[User] = field(default_factory=list)
    members: int = 0
    #: (member, stance, reason) of those who stated one, by name.
    stated: list[tuple[User, Stance, str]] = field(default_factory=list)

    @property
    def support(self) -> int:
        return self.counts[Stance.SUPPORT]

    @property
    def concern(self) -> int:
        return self.counts[Stance.CONCERN]

    @property
    def objection(self) -> int:
        return self.counts[Stance.OBJECTION]

    @property
    def total(self) -> int:
        """Members who took a position."""
        return sum(self.counts.values())

    def share(self, stance: Stance | str) -> float:
        """Fraction of positions that are ``stance`` (0 when nobody took one)."""
        return self.counts[Stance(stance)] / self.total if self.total else 0.0


@dataclass
class SectionPositions:
    """One section's row of the consensus view."""

    by_constituency: dict[int | None, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)
    unresolved: int = 0

    def tally(self, constituency_id: int | None) -> Tally:
        return self.by_constituency.get(constituency_id) or Tally()


_MEMBERS = "consult.decisions.active_members"


def active_members() -> list[User]:
    """Members whose stance (and answers) are awaited: every active account, by name.

    Loaded once per request: a section page counts them for its positions and its proposals.
    """
    cached = request.environ.get(_MEMBERS) if has_request_context() else None
    if cached is not None:
        return cached
    members = list(
        db.session.scalars(
            select(User).where(User.active.is_(True)).order_by(User.display_name, User.id)
        )
    )
    if has_request_context():
        request.environ[_MEMBERS] = members
    return members


def positions(section_ids: list[int]) -> dict[int, SectionPositions]:
    """Current stances by section and constituency, who has not been heard from, and
    unresolved threads: three queries whatever the number of sections and members.

    A member's stance counts in the constituency they belong to now, so a member who moved
    is neither counted twice nor left out.
    """
    members = active_members()
    by_id = {member.id: member for member in members}
    stated: dict[int, set[int]] = defaultdict(set)
    result = {section_id: SectionPositions() for section_id in section_ids}
    if not section_ids:
        return result
    rows = db.session.execute(
        select(Position.section_id, Position.user_id, Position.stance, Position.reason).where(
            Position.section_id.in_(section_ids)
        )
    )
    for section_id, user_id, stance, reason in rows:
        member = by_id.get(user_id)
        if member is None:  # deactivated: their stance no longer counts
            continue
        row = result[section_id]
        tally = row.by_constituency.setdefault(member.constituency_id, Tally())
        tally.counts[stance] += 1
        tally.stated.append((member, stance, reason))
        row.overall.counts[stance] += 1
        stated[section_id].add(user_id)
    for section_id, row in result.items():
        for tally in row.by_constituency.values():
            tally.stated.sort(key=lambda entry: (entry[0].display_name, entry[0].id))
        for member in members:
            tally = row.by_constituency.setdefault(member.constituency_id, Tally())
            tally.members += 1
            row.overall.members += 1
            if member.id not in stated[section_id]:
                tally.not_heard.append(member)
                row.overall.not_heard.append(member)
    unresolved = (
        select(Comment.section_id, func.count())
        .where(
            Comment.section_id.in_(section_ids),
            Comment.parent_id.is_(None),
            Comment.resolved_at.is_(None),
            Comment.deleted_at.is_(None),
        )
        .group_by(Comment.section_id)
    )
    for section_id, count in db.session.execute(unresolved):
        result[section_id].unresolved = count
    return result


def constituencies() -> list[Constituency]:
    """Constituencies in their display order."""
    return list(
        db.session.scalars(select(Constituency).order_by(Constituency.position, Constituency.name))
    )
