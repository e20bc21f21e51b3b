"""Amendments: a member proposes replacement text for a passage of a section.

The passage must stand exactly once in the section's current text, so that everyone reads
the same change; others comment on it; the Secretariat accepts it, which saves a new
version of the section with the passage replaced and a note naming the amendment and its
author, or declines it with a reason. The author may withdraw it while it is open.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from consult.decisions.models import Amendment, AmendmentComment, AmendmentStatus
from consult.extensions import db
from consult.redline import Run, redline
from consult.toolkit import sections
from consult.toolkit.models import Section, SectionVersion


class Refused(Exception):
    """The change is not allowed; the message says why, for the member."""


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n")


def passage_problem(section: Section, passage: str) -> str | None:
    """Why ``passage`` cannot be amended in the section's current text, in words, or None."""
    passage = _normalise(passage)
    found = section.body.count(passage) if passage.strip() else 0
    if found == 0:
        return str(
            _l(
                "The passage is not in the current text of the section: copy it exactly as it stands."
            )
        )
    if found > 1:
        return str(
            _l(
                "The passage stands %(n)d times in the section: include more words so that it is found once.",
                n=found,
            )
        )
    return None


def propose(
    section: Section, author: Any, passage: str, replacement: str, reason: str
) -> Amendment:
    """Record an amendment to the section's current version."""
    passage, replacement = _normalise(passage), _normalise(replacement)
    problem = passage_problem(section, passage)
    if problem:
        raise Refused(problem)
    if passage == replacement:
        raise Refused(str(_l("The replacement is the same as the passage.")))
    amendment = Amendment(
        section_id=section.id,
        version=section.version,
        author_id=author.id,
        constituency_id=author.constituency_id,
        passage=passage,
        replacement=replacement,
        reason=reason.strip(),
    )
    db.session.add(amendment)
    db.session.flush()
    return amendment


def comment(amendment: Amendment, author: Any, body: str) -> AmendmentComment:
    """Add a member's comment to an amendment (open or decided: the record stays discussable)."""
    item = AmendmentComment(
        amendment_id=amendment.id,
        author_id=author.id,
        constituency_id=author.constituency_id,
        body=body.strip(),
    )
    db.session.add(item)
    db.session.flush()
    return item


def _must_be_open(amendment: Amendment) -> None:
    if amendment.status != AmendmentStatus.OPEN:
        raise Refused(
            str(_l("This amendment is no longer open (%(status)s).", status=amendment.status.label))
        )


def accept(amendment: Amendment, by: Any, note: str, now: datetime) -> int:
    """Replace the passage in the section: a new version naming the amendment and its author."""
    _must_be_open(amendment)
    section = db.session.get(Section, amendment.section_id, with_for_update=True)
    problem = passage_problem(section, amendment.passage)
    if problem:
        raise Refused(
            str(
                _l(
                    "The section's text has changed since the amendment: the passage is no longer found once. Decline it, or ask for a new amendment."
                )
            )
        )
    label = str(
        _l(
            "Amendment %(n)d by %(author)s accepted",
            n=amendment.id,
            author=amendment.author.display_name,
        )
    )
    version_note = f"{label}. {note.strip()}" if note.strip() else label
    sections.update_section(
        section,
        author=by,
        note=version_note[:300],
        body=section.body.replace(amendment.passage, amendment.replacement, 1),
    )
    amendment.status = AmendmentStatus.ACCEPTED
    amendment.decided_by_id = by.id
    amendment.decided_at = now
    amendment.decision_reason = note.strip()
    amendment.accepted_version = section.version
    return section.version


def decline(amendment: Amendment, by: Any, reason: str, now: datetime) -> None:
    """Decline the amendment; the reason is required and shown to everyone."""
    _must_be_open(amendment)
    if not reason.strip():
        raise Refused(str(_l("Give the reason for declining.")))
    amendment.status = AmendmentStatus.DECLINED
    amendment.decided_by_id = by.id
    amendment.decided_at = now
    amendment.decision_reason = reason.strip()


def withdraw(amendment: Amendment, by: Any, now: datetime) -> None:
    """The author takes back an open amendment."""
    _must_be_open(amendment)
    if by.id != amendment.author_id:
        raise Refused(str(_l("Only the author may withdraw an amendment.")))
    amendment.status = AmendmentStatus.WITHDRAWN
    amendment.decided_at = now


def in_context(amendment: Amendment, body: str | None) -> list[Run]:
    """The change as a redline of the paragraphs that hold the passage in ``body`` (the text
    of the version amended), so readers see the sentence around it; the passage alone when
    that text is not at hand."""
    if not body or amendment.passage not in body:
        return redline(amendment.passage, amendment.replacement)
    start = body.index(amendment.passage)
    end = start + len(amendment.passage)
    first = body.rfind("\n\n", 0, start)
    first = 0 if first < 0 else first + 2
    last = body.find("\n\n", end)
    last = len(body) if last < 0 else last
    before = body[first:last]
    after = body[first:start] + amendment.replacement + body[end:last]
    return redline(before, after)


def version_text(amendment: Amendment) -> str | None:
    """The text of the version the amendment was proposed on."""
    return db.session.scalar(
        select(SectionVersion.body).where(
            SectionVersion.section_id == amendment.section_id,
            SectionVersion.number == amendment.version,
        )
    )


def amendments_of(section_ids: list[int]) -> dict[int, list[Amendment]]:
    """The amendments of these sections, newest first, with authors and comments (fixed queries)."""
    found: dict[int, list[Amendment]] = {section_id: [] for section_id in section_ids}
    if not section_ids:
        return found
    rows = db.session.scalars(
        select(Amendment)
        .where(Amendment.section_id.in_(section_ids))
        .options(
            joinedload(Amendment.author),
            joinedload(Amendment.constituency),
            joinedload(Amendment.decided_by),
            selectinload(Amendment.comments).joinedload(AmendmentComment.author),
        )
        .order_by(Amendment.id.desc())
    )
    for amendment in rows:
        found[amendment.section_id].append(amendment)
    return found
