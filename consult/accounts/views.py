"""Sign-in, passwords, profile, and the Secretariat's member management."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from consult.accounts import bp, notifications, services
from consult.accounts.forms import (
    InviteForm,
    ProfileForm,
    ResetRequestForm,
    SetPasswordForm,
    SignInForm,
)
from consult.accounts.models import Constituency, Role, User
from consult.accounts.roles import member_required, secretariat_required
from consult.extensions import db, limiter
from consult.forms import INVALID, ButtonForm, select_choices
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
    """Sign out (a POST, so that a link on another site cannot do it)."""
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address is known."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.active:
            notifications.send_password_reset(user)
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
    return render_template("accounts/profile.html", form=form), status


def _constituencies() -> list[Constituency]:
    return list(db.session.scalars(select(Constituency).order_by(Constituency.position)))


@bp.get("/members")
@secretariat_required
def members():
    """The Secretariat's list of accounts."""
    users = db.session.scalars(
        select(User).outerjoin(User.constituency).order_by(Constituency.position, User.display_name)
    ).all()
    return render_template("accounts/members.html", users=users, form=ButtonForm())


@bp.route("/members/invite", methods=["GET", "POST"])
@secretariat_required
def invite():
    """Invite a member: the account is created and a link to set a password is e-mailed."""
    form = InviteForm()
    form.fill_choices(_locale())
    form.constituency.choices = select_choices((c.id, c.name) for c in _constituencies())
    if request.method == "GET":
        form.timezone.data = current_app.config["DEFAULT_TIMEZONE"]
    if form.validate_on_submit():
        invitation = services.Invitation(
            email=form.email.data,
            display_name=form.display_name.data,
            organisation=form.organisation.data or "",
            constituency=db.session.get(Constituency, form.constituency.data),
            country=form.country.data or None,
            timezone=form.timezone.data,
            role=Role(form.role.data),
        )
        try:
            user = services.invite_member(invitation)
        except services.DuplicateEmail:
            form.email.errors.append(_("An account with this e-mail already exists."))
        else:
            db.session.commit()
            report = notifications.send_invitation(user, current_user)
            if report.ok:
                flash(_("Invitation sent to %(email)s.", email=user.email), "success")
            else:
                flash(
                    _("The account is created but the e-mail could not be sent; resend it later."),
                    "error",
                )
            return redirect(url_for("accounts.members"))
    status = INVALID if form.is_submitted() else 200
    return render_template("accounts/invite.html", form=form), status


def _member_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/members/<int:user_id>/deactivate")
@secretariat_required
def deactivate(user_id: int):
    """Close a member's account; their comments and history stay."""
    user = _member_or_404(user_id)
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("accounts.members"), 303)
    user.active = False
    db.session.commit()
    flash(_("%(name)s can no longer sign in.", name=user.display_name), "success")
    return redirect(url_for("accounts.members"), 303)


@bp.post("/members/<int:user_id>/reactivate")
@secretariat_required
def reactivate(user_id: int):
    """Open a closed account again."""
    user = _member_or_404(user_id)
    user.active = True
    db.session.commit()
    flash(_("%(name)s can sign in again.", name=user.display_name), "success")
    return redirect(url_for("accounts.members"), 303)


@bp.post("/members/<int:user_id>/resend-invitation")
@secretariat_required
def resend_invitation(user_id: int):
    """Send the set-password link again to a member who has not used it."""
    user = _member_or_404(user_id)
    if user.has_password:
        flash(_("%(name)s has already set a password.", name=user.display_name), "info")
    elif notifications.send_invitation(user, current_user).ok:
        flash(_("Invitation sent to %(email)s.", email=user.email), "success")
    else:
        flash(_("The e-mail could not be sent; try again later."), "error")
    return redirect(url_for("accounts.members"), 303)
