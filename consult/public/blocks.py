"""This capability's own blocks on the home page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.extensions import db
from consult.public.documents import latest_public_documents
from consult.public.home import HomeBlock
from consult.public.models import ProfileStatus, ViaProfile


def latest_documents_block() -> HomeBlock | None:
    """The newest public documents, or nothing when there are none."""
    documents = latest_public_documents(5)
    if not documents:
        return None
    return HomeBlock(
        _l("Latest documents"), "public/_block_documents.html", {"documents": documents}
    )


def recent_profiles_block() -> HomeBlock | None:
    """The profiles published most recently."""
    profiles = list(
        db.session.scalars(
            select(ViaProfile)
            .where(ViaProfile.status == ProfileStatus.PUBLISHED)
            .order_by(ViaProfile.published_at.desc().nulls_last(), ViaProfile.id.desc())
            .limit(5)
        )
    )
    if not profiles:
        return None
    return HomeBlock(
        _l("Recently added VIA profiles"), "public/_block_profiles.html", {"profiles": profiles}
    )
