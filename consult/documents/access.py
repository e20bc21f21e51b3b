"""Who may see which document, and the lists of documents pages show."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased

from consult.documents.models import Document, Visibility
from consult.extensions import db
from consult.public.models import ProfileStatus, ViaProfile
from consult.public.profiles import can_view_profile


def can_view_document(user: Any, document: Document) -> bool:
    """Members-only files need a signed-in user; a file of a hidden profile stays hidden too."""
    signed_in = getattr(user, "is_authenticated", False)
    if document.visibility is Visibility.MEMBERS and not signed_in:
        return False
    return document.profile is None or can_view_profile(user, document.profile)


def visible_documents(user: Any) -> Select:
    """A statement for the documents ``user`` may see, newest first.

    For visitors: public files not attached to an unpublished profile. Signed-in
    users also see members-only files; the exact per-profile rule is applied by
    :func:`can_view_document` where it matters (a member's own proposal).
    """
    profile = aliased(ViaProfile)
    statement = select(Document).outerjoin(profile, Document.profile_id == profile.id)
    signed_in = getattr(user, "is_authenticated", False)
    if not signed_in:
        statement = statement.where(Document.visibility == Visibility.PUBLIC)
    if not (signed_in and user.is_secretariat):
        allowed = [ProfileStatus.PUBLISHED]
        if signed_in:
            allowed.append(ProfileStatus.ARCHIVED)
        statement = statement.where(or_(Document.profile_id.is_(None), profile.status.in_(allowed)))
    return statement.order_by(Document.uploaded_at.desc(), Document.id.desc())


def matching(statement: Select, query: str) -> Select:
    """Narrow ``statement`` to documents whose symbol or title holds ``query`` (any case).

    Spaces are ignored in the symbol, as people type "E/CN.17/1999/ 12" from paper.
    """
    words = query.strip()
    if not words:
        return statement
    pattern = "%" + words.replace("\\", "").replace("%", "").replace("_", "") + "%"
    compact = "%" + "".join(words.split()).replace("%", "").replace("_", "") + "%"
    return statement.where(or_(Document.symbol.ilike(compact), Document.title.ilike(pattern)))


def documents_of_profile(user: Any, profile: ViaProfile) -> list[Document]:
    """The documents attached to ``profile`` that ``user`` may read, newest first."""
    statement = visible_documents(user).where(Document.profile_id == profile.id)
    return [d for d in db.session.scalars(statement) if can_view_document(user, d)]


def latest_public_documents(limit: int = 5) -> list[Document]:
    """The newest documents anyone may read, for the home page."""
    return list(db.session.scalars(visible_documents(None).limit(limit)))
