"""The e-mails of the public site: the Secretariat hears of members' proposals."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult import mail
from consult.accounts.models import Role, User
from consult.extensions import db
from consult.public.models import ViaProfile
from consult.urls import external_url


def notify_proposal(profile: ViaProfile, proposer: User) -> mail.DeliveryReport:
    """Tell every active Secretariat officer that a member proposed a profile to review."""
    officers = db.session.scalars(
        select(User).where(User.role == Role.SECRETARIAT, User.active.is_(True))
    )
    link = external_url("public.profile", profile_id=profile.id)
    subject = _l("Profile proposed for review: %(name)s", name=profile.name)
    messages = [
        mail.compose(
            officer,
            "public/proposal",
            subject,
            officer=officer,
            profile=profile,
            proposer=proposer,
            link=link,
        )
        for officer in officers
    ]
    return mail.send_all(messages)
