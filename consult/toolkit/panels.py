"""The toolkit's boxes on the members' dashboard, their profile page and the public home page."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from consult.extensions import db
from consult.signals import Panel
from consult.toolkit.models import Comment, Section


def recent_comments_panel(app: Any, user: Any) -> Panel:
    """Dashboard panel: the latest comments on the toolkit."""
    comments = list(
        db.session.scalars(
            select(Comment)
            .where(Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
            .options(joinedload(Comment.author), joinedload(Comment.section))
            .order_by(Comment.id.desc())
            .limit(5)
        )
    )
    return Panel(
        _l("Recent comments"), "toolkit/_panel.html", {"recent_comments": comments}, order=20
    )


def published_sections_block(app: Any) -> Panel | None:
    """Home page block: the toolkit sections most recently published, or nothing."""
    sections = list(
        db.session.scalars(
            select(Section)
            .where(Section.published)
            .order_by(Section.updated_at.desc(), Section.id.desc())
            .limit(5)
        )
    )
    if not sections:
        return None
    return Panel(
        _l("Latest toolkit sections"), "toolkit/_home_block.html", {"sections": sections}, order=30
    )


def direct_mail_panel(app: Any, user: Any) -> Panel:
    """Profile page: whether replies and mentions are e-mailed at once."""
    from consult.toolkit.forms import DirectMailForm
    from consult.toolkit.notifications import direct_mail_wanted

    form = DirectMailForm(at_once=direct_mail_wanted([user.id])[user.id])
    return Panel(
        _l("E-mail about the toolkit"), "toolkit/_direct_mail_panel.html", {"form": form}, order=20
    )
