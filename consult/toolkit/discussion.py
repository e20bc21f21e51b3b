"""Rules for comments: post, reply, edit (keeping earlier text), delete, hide, resolve.

Each change also records a live event in the same transaction; the caller commits with
:func:`consult.toolkit.live.commit_and_broadcast`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from consult import signals
from consult.database import utcnow
from consult.extensions import db
from consult.toolkit import live
from consult.toolkit.models import Comment, CommentRevision, Section, Stance


class NotAllowed(Exception):
    """The user may not do this to this comment."""


def post_comment(
    section: Section,
    author: Any,
    body: str,
    *,
    parent: Comment | None = None,
    stance: Stance | None = None,
    quote: str = "",
    via_email: bool = False,
) -> Comment:
    """Add a comment (or, with ``parent``, a reply; replies carry no stance)."""
    if parent is not None and parent.section_id != section.id:
        raise NotAllowed("The comment replied to belongs to another section.")
    comment = Comment(
        section_id=section.id,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        author_id=author.id,
        constituency_id=author.constituency_id,
        stance=None if parent else stance,
        quote=quote.strip(),
        body=body.strip(),
        via_email=via_email,
    )
    comment.author = author  # the live event is rendered from these: no query after the flush
    comment.constituency = author.constituency
    db.session.add(comment)
    db.session.flush()
    if parent is None:
        comment.root_id = comment.id
    live.record_event(section.id, "created", comment)
    if comment.stance is not None:  # the member's own stance follows (consult.decisions keeps it)
        signals.values(
            signals.stance_stated,
            section=section,
            user=author,
            stance=comment.stance,
            comment_id=comment.id,
        )
    return comment


def can_edit(user: Any, comment: Comment) -> bool:
    """Authors edit and delete their own comments while they are neither deleted nor hidden."""
    return (
        getattr(user, "id", None) == comment.author_id
        and comment.deleted_at is None
        and comment.hidden_at is None
    )


def edit_comment(comment: Comment, user: Any, body: str) -> None:
    """Replace the text; the earlier text is kept as a revision and the comment shows as edited."""
    if not can_edit(user, comment):
        raise NotAllowed("Only the author may edit this comment.")
    body = body.strip()
    if body == comment.body:
        return
    db.session.add(
        CommentRevision(
            comment_id=comment.id,
            body=comment.body,
            written_at=comment.edited_at or comment.created_at,
        )
    )
    comment.body = body
    comment.edited_at = utcnow()
    live.record_event(comment.section_id, "edited", comment)


def delete_comment(comment: Comment, user: Any) -> None:
    """Mark a comment deleted by its author; its replies stay."""
    if not can_edit(user, comment):
        raise NotAllowed("Only the author may delete this comment.")
    comment.deleted_at = utcnow()
    live.record_event(comment.section_id, "deleted", comment)


def hide_comment(comment: Comment, officer: Any, reason: str) -> None:
    """The Secretariat hides a comment, saying why; members see the reason, not the text."""
    if not getattr(officer, "is_secretariat", False):
        raise NotAllowed("Only the Secretariat hides comments.")
    comment.hidden_at = utcnow()
    comment.hidden_reason = reason.strip()
    comment.hidden_by_id = officer.id
    live.record_event(comment.section_id, "hidden", comment)


def unhide_comment(comment: Comment, officer: Any) -> None:
    """The Secretariat shows a hidden comment again."""
    if not getattr(officer, "is_secretariat", False):
        raise NotAllowed("Only the Secretariat shows hidden comments.")
    comment.hidden_at = None
    comment.hidden_reason = ""
    comment.hidden_by_id = None
    live.record_event(comment.section_id, "shown", comment)


def set_resolved(comment: Comment, officer: Any, resolved: bool) -> None:
    """The Secretariat marks a thread (its top-level comment) resolved, or reopens it."""
    if not getattr(officer, "is_secretariat", False):
        raise NotAllowed("Only the Secretariat resolves threads.")
    if comment.parent_id is not None:
        raise NotAllowed("Only a whole thread is resolved.")
    comment.resolved_at = utcnow() if resolved else None
    comment.resolved_by_id = officer.id if resolved else None
    live.record_event(comment.section_id, "resolved" if resolved else "reopened", comment)


def revisions(comment: Comment) -> list[CommentRevision]:
    """Earlier texts of a comment, oldest first."""
    return list(
        db.session.scalars(
            select(CommentRevision)
            .where(CommentRevision.comment_id == comment.id)
            .order_by(CommentRevision.id)
        )
    )
