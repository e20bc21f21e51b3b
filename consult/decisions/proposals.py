"""Proposals on a section: opened on one version, answered until they close, their outcome recorded.

The Secretariat opens a proposal (or a member, where the Secretariat allows it on the
section) with a question, background and a closing time. Every active member may answer
agree, abstain, disagree or block (a block needs a reason) and change the answer until the
proposal closes, at its closing time or earlier by the Secretariat. Those who have not
answered get one reminder before the close (:mod:`consult.decisions.reminders`). Once
closed, the Secretariat records the outcome in words; it stays on the section's history,
and an agreed outcome marks the section agreed in a new version naming the proposal (when the
section is still at the version the proposal was on).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from consult.accounts.models import User
from consult.database import utcnow
from consult.decisions.models import Choice, Outcome, Proposal, SectionRules, Vote
from consult.decisions.positions import active_members
from consult.extensions import db
from consult.toolkit import sections
from consult.toolkit.models import Section, SectionStatus

#: Shortest and longest time a proposal may stay open.
MIN_OPEN, MAX_OPEN = timedelta(hours=1), timedelta(days=90)
#: The reminder goes out a day before the close (half-way through a shorter proposal).
REMINDER_LEAD = timedelta(days=1)


class Refused(Exception):
    """The change is not allowed now; the message says why, for the member."""


def members_may_propose(section: Section) -> bool:
    """Whether the Secretariat lets members open proposals on ``section``."""
    rules = db.session.get(SectionRules, section.id)
    return bool(rules and rules.members_propose)


def set_members_propose(section: Section, allowed: bool) -> None:
    """Let members open proposals on ``section``, or not."""
    rules = db.session.get(SectionRules, section.id)
    if rules is None:
        rules = SectionRules(section_id=section.id)
        db.session.add(rules)
    rules.members_propose = allowed


def can_open(user: Any, section: Section) -> bool:
    """The Secretariat always; members where the section allows it."""
    if not getattr(user, "is_authenticated", False) or not sections.can_discuss(user, section):
        return False
    return user.is_secretariat or members_may_propose(section)


def closing_problem(closes_at: datetime, now: datetime) -> str | None:
    """Why ``closes_at`` cannot close a proposal opened ``now``, in words, or None."""
    if closes_at < now + MIN_OPEN:
        return str(_l("The closing time must be at least an hour from now."))
    if closes_at > now + MAX_OPEN:
        return str(_l("The closing time must be within 90 days."))
    return None


def open_proposal(
    section: Section, by: Any, question: str, details: str, closes_at: datetime, now: datetime
) -> Proposal:
    """Open a proposal on the section's current version."""
    problem = closing_problem(closes_at, now)
    if problem:
        raise Refused(problem)
    proposal = Proposal(
        section_id=section.id,
        version=section.version,
        question=question.strip(),
        details=details.strip(),
        opened_by_id=by.id,
        opened_at=now,
        closes_at=closes_at,
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal


def reminder_time(proposal: Proposal) -> datetime:
    """When the one reminder is due: a day before the close, or half-way through a short one."""
    opened, closes = proposal.opened_at, proposal.closes_at
    return max(opened + (closes - opened) / 2, closes - REMINDER_LEAD)


def vote(proposal: Proposal, user: Any, choice: Choice, reason: str, now: datetime) -> Vote:
    """Record or change ``user``'s answer while the proposal is open."""
    if not proposal.is_open(now):
        raise Refused(str(_l("This proposal has closed: answers can no longer be changed.")))
    reason = reason.strip()
    if choice == Choice.BLOCK and not reason:
        raise Refused(str(_l("Say why you block: a block needs a reason.")))
    existing = db.session.scalar(
        select(Vote).where(Vote.proposal_id == proposal.id, Vote.user_id == user.id)
    )
    if existing is None:
        existing = Vote(proposal_id=proposal.id, user_id=user.id, created_at=now, changes=0)
        db.session.add(existing)
    elif (existing.choice, existing.reason) != (choice, reason):
        existing.changes += 1
    existing.choice = choice
    existing.reason = reason
    existing.constituency_id = user.constituency_id
    existing.updated_at = now
    try:
        db.session.flush()
    except IntegrityError:  # the same member's first answer, sent twice at once
        db.session.rollback()
        raise Refused(str(_l("Your answer was sent twice; reload the page."))) from None
    return existing


def close_now(proposal: Proposal, now: datetime) -> None:
    """The Secretariat stops the answers before the closing time."""
    if proposal.is_open(now):
        proposal.closed_at = now


def record_outcome(
    proposal: Proposal, by: Any, outcome: Outcome, statement: str, now: datetime
) -> None:
    """Record what the closed proposal decided; an agreed one marks the section agreed."""
    if proposal.is_open(now):
        raise Refused(str(_l("The proposal is still open: close it before recording the outcome.")))
    proposal.closed_at = proposal.closed_at or min(proposal.closes_at, now)
    proposal.outcome = outcome
    proposal.outcome_statement = statement.strip()
    proposal.outcome_by_id = by.id
    proposal.outcome_at = now
    section = db.session.get(Section, proposal.section_id)
    # only the text that was agreed: a section edited since keeps its status
    if (
        outcome == Outcome.AGREED
        and section.status != SectionStatus.AGREED
        and section.version == proposal.version
    ):
        sections.update_section(
            section,
            author=by,
            note=str(_l("Agreed: proposal %(n)d", n=proposal.id))[:300],
            status=SectionStatus.AGREED,
        )


def proposals_of(section_ids: list[int]) -> dict[int, list[Proposal]]:
    """The proposals of these sections, newest first, with their votes and the officers named
    (two queries, however many there are: many-to-one rows are joined, so that a list with
    no outcome yet costs what one with outcomes costs)."""
    found: dict[int, list[Proposal]] = {section_id: [] for section_id in section_ids}
    if not section_ids:
        return found
    rows = db.session.scalars(
        select(Proposal)
        .where(Proposal.section_id.in_(section_ids))
        .options(
            selectinload(Proposal.votes),
            joinedload(Proposal.opened_by),
            joinedload(Proposal.outcome_by),
        )
        .order_by(Proposal.id.desc())
    )
    for proposal in rows:
        found[proposal.section_id].append(proposal)
    return found


def awaiting(user: Any, now: datetime) -> list[Proposal]:
    """The open proposals ``user`` has not answered, closing soonest first."""
    answered = select(Vote.id).where(Vote.proposal_id == Proposal.id, Vote.user_id == user.id)
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.closed_at.is_(None), Proposal.closes_at > now, ~answered.exists())
            .options(joinedload(Proposal.section))
            .order_by(Proposal.closes_at)
        )
    )


@dataclass
class ConstituencyAnswers:
    """How one constituency answered a proposal, and who in it has not."""

    counts: Counter = field(default_factory=Counter)
    #: (member, their answer) pairs.
    votes: list[tuple[User, Vote]] = field(default_factory=list)
    not_answered: list[User] = field(default_factory=list)
    members: int = 0

    @property
    def position(self) -> str:
        """The constituency's position in a word: blocked, agrees, disagrees, divided, abstains."""
        if not self.counts:
            return "not-heard"
        if self.counts[Choice.BLOCK]:
            return "block"
        agree, disagree = self.counts[Choice.AGREE], self.counts[Choice.DISAGREE]
        if agree and not disagree:
            return "agree"
        if disagree and not agree:
            return "disagree"
        if agree and disagree:
            return "divided"
        return "abstain"

    @property
    def position_label(self) -> Any:
        return POSITION_LABELS[self.position]


POSITION_LABELS = {
    "not-heard": _l("Not yet heard"),
    "block": _l("Blocks"),
    "agree": _l("Agrees"),
    "disagree": _l("Disagrees"),
    "divided": _l("Divided"),
    "abstain": _l("Abstains"),
}


@dataclass
class Answers:
    """A proposal's answers by constituency, overall counts and who has not answered."""

    by_constituency: dict[int | None, ConstituencyAnswers]
    counts: Counter
    not_answered: list[User]
    members: int

    def of(self, constituency_id: int | None) -> ConstituencyAnswers:
        return self.by_constituency.get(constituency_id) or ConstituencyAnswers()


def answers(proposal: Proposal, members: list[User] | None = None) -> Answers:
    """Each active member's answer counted in their constituency now; the silent named."""
    members = active_members() if members is None else members
    by_user = {vote.user_id: vote for vote in proposal.votes}
    result: dict[int | None, ConstituencyAnswers] = {}
    counts: Counter = Counter()
    silent: list[User] = []
    for member in members:
        group = result.setdefault(member.constituency_id, ConstituencyAnswers())
        group.members += 1
        given = by_user.get(member.id)
        if given is None:
            group.not_answered.append(member)
            silent.append(member)
            continue
        group.counts[given.choice] += 1
        group.votes.append((member, given))
        counts[given.choice] += 1
    return Answers(result, counts, silent, len(members))


def own_vote(proposal: Proposal, user: Any) -> Vote | None:
    """``user``'s answer to the proposal, if any."""
    return next((v for v in proposal.votes if v.user_id == getattr(user, "id", None)), None)


def now() -> datetime:
    """The current moment (one place for the views)."""
    return utcnow()
