"""This capability's own blocks on the home page."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.extensions import db
from consult.public.models import ProfileStatus, ViaProfile
from consult.signals import Panel


def recent_profiles_block(app: Any) -> Panel | None:
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
    return Panel(
        _l("Recently added VIA profiles"),
        "public/_block_profiles.html",
        {"profiles": profiles},
        order=50,
    )
