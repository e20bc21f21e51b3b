"""The e-mails of the public site: the Secretariat hears of members' proposals."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult import mail
from consult.accounts.models import Role, User
from consult.extensions import db
from consult.outbox.letters import NothingToSend, enqueue, letter
from consult.public.models import ViaProfile
from consult.urls import external_url

PROPOSAL = "public.proposal"


def notify_proposal(profile: ViaProfile, proposer: User) -> None:
    """Queue a notice to every active Secretariat officer: a member proposed a profile to review.

    Call it before the commit that saves the proposal (the profile needs its id: flush).
    """
    officers = db.session.scalars(
        select(User).where(User.role == Role.SECRETARIAT, User.active.is_(True))
    )
    for officer in officers:
        enqueue(
            officer.email,
            PROPOSAL,
            {"profile": profile.id, "proposer": proposer.id, "officer": officer.id},
        )


@letter(PROPOSAL, label=_l("Profile proposed for review"))
def proposal_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """The notice to one officer, with the link to the profile."""
    profile = db.session.get(ViaProfile, params["profile"])
    proposer = db.session.get(User, params["proposer"])
    officer = db.session.get(User, params["officer"])
    if profile is None or proposer is None or officer is None:
        raise NothingToSend("the profile or the people it names are gone")
    return mail.compose(
        officer,
        "public/proposal",
        _l("Profile proposed for review: %(name)s", name=profile.name),
        officer=officer,
        profile=profile,
        proposer=proposer,
        link=external_url("public.profile", profile_id=profile.id),
    )
