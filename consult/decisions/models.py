"""Decisions on toolkit sections: members' own stances, proposals and votes, amendments."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import Constituency, User
from consult.database import str_enum, utcnow
from consult.enums import LabelledEnum
from consult.extensions import db
from consult.toolkit.models import Section, Stance


class SectionRules(db.Model):
    """What the Secretariat allows on a section beyond the defaults (no row: the defaults)."""

    __tablename__ = "decisions_section_rules"

    section_id: Mapped[int] = mapped_column(
        ForeignKey("toolkit_sections.id", ondelete="CASCADE"), primary_key=True
    )
    #: Members (not only the Secretariat) may open proposals on the section.
    members_propose: Mapped[bool] = mapped_column(default=False)


class Position(db.Model):
    """A member's one current stance on a section, changed in place; earlier ones in its history."""

    __tablename__ = "decisions_positions"
    __table_args__ = (UniqueConstraint("section_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("toolkit_sections.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: The member's constituency when they last stated the stance.
    constituency_id: Mapped[int | None] = mapped_column(ForeignKey("constituencies.id"))
    stance: Mapped[Stance] = mapped_column(str_enum(Stance, "stance"))
    reason: Mapped[str] = mapped_column(Text, default="")
    #: The section's version when the stance was last stated.
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    constituency: Mapped[Constituency | None] = relationship()
    history: Mapped[list[PositionChange]] = relationship(
        back_populates="position", order_by="PositionChange.id.desc()", passive_deletes=True
    )


class PositionChange(db.Model):
    """One stance a member stated on a section (the newest is the current one)."""

    __tablename__ = "decisions_position_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        ForeignKey("decisions_positions.id", ondelete="CASCADE"), index=True
    )
    stance: Mapped[Stance] = mapped_column(str_enum(Stance, "stance"))
    reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=0)
    #: The top-level comment the stance was stated with, if any.
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("toolkit_comments.id", ondelete="SET NULL")
    )
    stated_at: Mapped[datetime] = mapped_column(default=utcnow)

    position: Mapped[Position] = relationship(back_populates="history")


class Choice(LabelledEnum):
    """An answer to a proposal (Loomio's consent options)."""

    AGREE = "agree", _l("Agree")
    ABSTAIN = "abstain", _l("Abstain")
    DISAGREE = "disagree", _l("Disagree")
    BLOCK = "block", _l("Block")


class Outcome(LabelledEnum):
    """What the Secretariat records when a proposal has closed."""

    AGREED = "agreed", _l("Agreed")
    NOT_AGREED = "not-agreed", _l("Not agreed")
    DEFERRED = "deferred", _l("Deferred")


class Proposal(db.Model):
    """A question put to the members on one version of a section, open until it closes."""

    __tablename__ = "decisions_proposals"
    __table_args__ = (Index("ix_decisions_proposals_section", "section_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("toolkit_sections.id", ondelete="CASCADE"))
    #: The version of the section the question is about.
    version: Mapped[int]
    question: Mapped[str] = mapped_column(String(300))
    #: Markdown: the background and the reasons for the proposal.
    details: Mapped[str] = mapped_column(Text, default="")
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closes_at: Mapped[datetime]
    #: When the Secretariat closed it early, or recorded the outcome.
    closed_at: Mapped[datetime | None]
    #: When the reminder to those who had not answered was queued.
    reminded_at: Mapped[datetime | None]
    outcome: Mapped[Outcome | None] = mapped_column(str_enum(Outcome, "proposal_outcome"))
    #: Markdown: the outcome in words (the Secretariat's record).
    outcome_statement: Mapped[str] = mapped_column(Text, default="")
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome_at: Mapped[datetime | None]

    section: Mapped[Section] = relationship()
    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
    outcome_by: Mapped[User | None] = relationship(foreign_keys=[outcome_by_id])
    votes: Mapped[list[Vote]] = relationship(back_populates="proposal", passive_deletes=True)

    def is_open(self, now: datetime | None = None) -> bool:
        """Votes are taken until the closing time, unless the Secretariat closed it before."""
        return self.closed_at is None and (now or utcnow()) < self.closes_at


class Vote(db.Model):
    """A member's answer to a proposal, changed in place until it closes."""

    __tablename__ = "decisions_votes"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("decisions_proposals.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    constituency_id: Mapped[int | None] = mapped_column(ForeignKey("constituencies.id"))
    choice: Mapped[Choice] = mapped_column(str_enum(Choice, "vote_choice"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: How many times the member changed it.
    changes: Mapped[int] = mapped_column(default=0)

    proposal: Mapped[Proposal] = relationship(back_populates="votes")
    user: Mapped[User] = relationship()
    constituency: Mapped[Constituency | None] = relationship()


class AmendmentStatus(LabelledEnum):
    """Where an amendment stands."""

    OPEN = "open", _l("Open")
    ACCEPTED = "accepted", _l("Accepted")
    DECLINED = "declined", _l("Declined")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


class Amendment(db.Model):
    """Replacement text a member proposes for a passage of a section."""

    __tablename__ = "decisions_amendments"
    __table_args__ = (Index("ix_decisions_amendments_section", "section_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("toolkit_sections.id", ondelete="CASCADE"))
    #: The version whose text holds the passage.
    version: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    constituency_id: Mapped[int | None] = mapped_column(ForeignKey("constituencies.id"))
    #: The words of the section to replace, exactly as they stand.
    passage: Mapped[str] = mapped_column(Text)
    replacement: Mapped[str] = mapped_column(Text, default="")
    #: Markdown: why.
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[AmendmentStatus] = mapped_column(
        str_enum(AmendmentStatus, "amendment_status"), default=AmendmentStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    #: Why it was declined (or a note on its acceptance).
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    #: The section version that took the amendment in.
    accepted_version: Mapped[int | None]

    section: Mapped[Section] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    constituency: Mapped[Constituency | None] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    comments: Mapped[list[AmendmentComment]] = relationship(
        back_populates="amendment", order_by="AmendmentComment.id", passive_deletes=True
    )


class AmendmentComment(db.Model):
    """A member's comment on an amendment."""

    __tablename__ = "decisions_amendment_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(
        ForeignKey("decisions_amendments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    constituency_id: Mapped[int | None] = mapped_column(ForeignKey("constituencies.id"))
    #: Markdown.
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    amendment: Mapped[Amendment] = relationship(back_populates="comments")
    #: Joined: every list of comments shows who wrote them.
    author: Mapped[User] = relationship(lazy="joined")
    constituency: Mapped[Constituency | None] = relationship(lazy="joined")
