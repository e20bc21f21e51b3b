"""The e-mails of the public site: the Secretariat hears of members' proposals."""

from __future__ import annotations

from flask_babel import gettext as _
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
    subject = _("Profile proposed for review: %(name)s", name=profile.name)
    messages = []
    for officer in officers:
        text, html = mail.render(
            "public/proposal", officer=officer, profile=profile, proposer=proposer, link=link
        )
        messages.append(mail.Message(to=officer.email, subject=subject, text=text, html=html))
    return mail.send_all(messages)
