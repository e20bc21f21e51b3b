"""Sign-in, passwords, profile, and the Secretariat's member management."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from consult import signals
from consult.accounts import bp, notifications, services
from consult.accounts.forms import (
    ChangePasswordForm,
    ProfileForm,
    ResetRequestForm,
    SetPasswordForm,
    SignInForm,
)
from consult.accounts.roles import member_required
from consult.extensions import db, limiter
from consult.forms import INVALID
from consult.tokens import InvalidToken


def _safe_next(target: str | None) -> str:
    """Only follow redirects to paths on this site."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
        ):
            return target
    return url_for("dashboard.index")


def _locale() -> str:
    return str(get_locale())


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def sign_in():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(
            _("The e-mail or the password is wrong, or the account is closed.")
        )
    status = INVALID if form.is_submitted() else 200
    return render_template("accounts/sign_in.html", form=form), status


@bp.post("/sign-out")
def sign_out():
    """Sign out (a POST, so that a link on another site cannot do it).

    The session and remember-me cookies are revoked on the server, not only deleted in this
    browser: a copy of them stops working, on this device and every other, and the member's
    open live pages are disconnected.
    """
    user = current_user._get_current_object() if current_user.is_authenticated else None
    if user is not None:
        services.end_sessions(user)
        db.session.commit()
        services.disconnect_sockets(user)
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address is known."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        notifications.queue_password_reset(form.email.data)
        db.session.commit()
        flash(
            _("If this address belongs to an account, a link to reset the password is on its way."),
            "info",
        )
        return redirect(url_for("accounts.sign_in"))
    status = INVALID if form.is_submitted() else 200
    return render_template("accounts/forgot_password.html", form=form), status


def _set_password_page(token: str, purpose: str, template: str):
    try:
        user = services.user_for_token(token, purpose)
    except InvalidToken as error:
        return render_template("accounts/link_invalid.html", reason=str(error)), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        services.disconnect_sockets(user)  # sessions under the old password have ended
        login_user(user)
        flash(_("Your password is set. Welcome, %(name)s.", name=user.display_name), "success")
        return redirect(url_for("dashboard.index"))
    status = INVALID if form.is_submitted() else 200
    return render_template(template, form=form, user=user), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
def reset_password(token: str):
    """Choose a new password through an e-mailed link."""
    return _set_password_page(token, services.RESET, "accounts/reset_password.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
def accept_invitation(token: str):
    """An invited member sets a first password."""
    return _set_password_page(token, services.INVITE, "accounts/accept_invitation.html")


@bp.route("/profile", methods=["GET", "POST"])
@member_required
def profile():
    """A member edits their own profile."""
    form = ProfileForm(obj=current_user)
    form.fill_choices(_locale())
    if request.method == "GET":
        form.country.data = current_user.country or ""
    if form.validate_on_submit():
        user = current_user._get_current_object()
        form.populate_obj(user)
        user.country = form.country.data or None
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    status = INVALID if form.is_submitted() else 200
    panels = signals.ordered(signals.account_panels, user=current_user._get_current_object())
    return render_template("accounts/profile.html", form=form, panels=panels), status


@bp.route("/profile/password", methods=["GET", "POST"])
@member_required
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def change_password():
    """A signed-in member changes their password, giving the current one first."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if services.check_password(user, form.current_password.data):
            services.set_password(user, form.password.data)
            db.session.commit()
            services.disconnect_sockets(user)
            login_user(user)  # a new session id: every other session is signed out
            flash(_("Your password is changed."), "success")
            return redirect(url_for("accounts.profile"))
        form.current_password.errors.append(_("This is not your current password."))
    status = INVALID if form.is_submitted() else 200
    return render_template("accounts/change_password.html", form=form), status
