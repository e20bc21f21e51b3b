"""The e-mails about accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consult import mail
from consult.accounts.models import User
from consult.accounts.services import INVITE, RESET, make_account_token
from consult.urls import external_url


def send_password_reset(user: User) -> mail.DeliveryReport:
    """E-mail a one-time link to choose a new password."""
    link = external_url("accounts.reset_password", token=make_account_token(user, RESET))
    subject = _l("Reset your Consult password")
    return mail.send(mail.compose(user, "accounts/reset", subject, user=user, link=link))


def send_invitation(user: User, inviter: User) -> mail.DeliveryReport:
    """E-mail an invited member the link to set a password and sign in."""
    link = external_url("accounts.accept_invitation", token=make_account_token(user, INVITE))
    subject = _l("You are invited to the Steering Group on Consult")
    message = mail.compose(user, "accounts/invite", subject, user=user, inviter=inviter, link=link)
    return mail.send(message)
