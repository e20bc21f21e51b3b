"""The e-mails about accounts."""

from __future__ import annotations

from flask_babel import gettext as _

from consult import mail
from consult.accounts.models import User
from consult.accounts.services import INVITE, RESET, make_account_token
from consult.urls import external_url


def send_password_reset(user: User) -> mail.DeliveryReport:
    """E-mail a one-time link to choose a new password."""
    link = external_url("accounts.reset_password", token=make_account_token(user, RESET))
    text, html = mail.render("accounts/reset", user=user, link=link)
    return mail.send(
        mail.Message(to=user.email, subject=_("Reset your Consult password"), text=text, html=html)
    )


def send_invitation(user: User, inviter: User) -> mail.DeliveryReport:
    """E-mail an invited member the link to set a password and sign in."""
    link = external_url("accounts.accept_invitation", token=make_account_token(user, INVITE))
    text, html = mail.render("accounts/invite", user=user, inviter=inviter, link=link)
    subject = _("You are invited to the Steering Group on Consult")
    return mail.send(mail.Message(to=user.email, subject=subject, text=text, html=html))
