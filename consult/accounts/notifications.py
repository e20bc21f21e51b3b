"""The e-mails about accounts: password resets and invitations.

A request only queues them (:func:`queue_password_reset`, :func:`queue_invitation`);
the worker writes them with the renderers below.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from consult import mail
from consult.accounts.models import User
from consult.accounts.services import (
    INVITE,
    RESET,
    find_user_by_email,
    make_account_token,
    normalise_email,
)
from consult.extensions import db
from consult.outbox.letters import NothingToSend, enqueue, letter
from consult.urls import external_url

RESET_KIND = "accounts.reset"
INVITE_KIND = "accounts.invite"


def queue_password_reset(address: str) -> None:
    """Queue a reset link for ``address``, whether or not it has an account.

    The request does the same work for every address, one row, so that neither
    its answer nor its timing tells who has an account; the worker looks the
    address up and sends nothing when no active account has it.
    """
    enqueue(normalise_email(address), RESET_KIND)


def queue_invitation(user: User, inviter: User) -> None:
    """Queue the link an invited member uses to set a password and sign in."""
    enqueue(user.email, INVITE_KIND, {"user": user.id, "inviter": inviter.id})


@letter(RESET_KIND, label=_l("Password reset"))
def reset_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """A one-time link to choose a new password, for the active account with this address."""
    user = find_user_by_email(recipient)
    if user is None or not user.active:
        raise NothingToSend("no active account has this address")
    link = external_url("accounts.reset_password", token=make_account_token(user, RESET))
    subject = _l("Reset your Consult password")
    return mail.compose(user, "accounts/reset", subject, user=user, link=link)


@letter(INVITE_KIND, label=_l("Invitation to join"))
def invitation_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """The link to set a first password, unless the member has set one meanwhile."""
    user = db.session.get(User, params["user"])
    inviter = db.session.get(User, params["inviter"])
    if user is None or not user.active:
        raise NothingToSend("the account is gone or closed")
    if user.has_password:
        raise NothingToSend("the member has set a password already")
    link = external_url("accounts.accept_invitation", token=make_account_token(user, INVITE))
    subject = _l("You are invited to the Steering Group on Consult")
    return mail.compose(user, "accounts/invite", subject, user=user, inviter=inviter, link=link)
