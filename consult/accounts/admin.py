"""The Secretariat's pages: members (invite, edit, deactivate) and constituencies."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from consult.accounts import bp, notifications, services
from consult.accounts.forms import ConstituencyForm, InviteForm, MemberForm
from consult.accounts.models import Constituency, Role, User
from consult.accounts.roles import secretariat_required
from consult.extensions import db
from consult.forms import INVALID, ButtonForm


def _constituencies() -> list[Constituency]:
    return list(db.session.scalars(select(Constituency).order_by(Constituency.position)))


def _member_form(form_class: type[MemberForm], **kwargs) -> MemberForm:
    form = form_class(**kwargs)
    form.fill_choices(str(get_locale()))
    form.fill_constituencies(_constituencies())
    return form


@bp.get("/members")
@secretariat_required
def members():
    """The Secretariat's list of accounts."""
    users = db.session.scalars(
        select(User)
        .outerjoin(User.constituency)
        .options(contains_eager(User.constituency))
        .order_by(Constituency.position, User.display_name)
    ).all()
    return render_template("accounts/members.html", users=users, form=ButtonForm())


@bp.route("/members/invite", methods=["GET", "POST"])
@secretariat_required
def invite():
    """Invite a member: the account is created and a link to set a password is e-mailed."""
    form = _member_form(InviteForm)
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
            notifications.queue_invitation(user, current_user)
            db.session.commit()
            flash(_("Invitation on its way to %(email)s.", email=user.email), "success")
            return redirect(url_for("accounts.members"))
    status = INVALID if form.is_submitted() else 200
    return render_template("accounts/invite.html", form=form), status


@bp.route("/members/<int:user_id>/edit", methods=["GET", "POST"])
@secretariat_required
def edit_member(user_id: int):
    """Correct a member's name, organisation, constituency, country, zone or role."""
    user = db.get_or_404(User, user_id)
    form = _member_form(MemberForm, obj=user)
    if request.method == "GET":
        form.constituency.data = user.constituency_id
        form.country.data = user.country or ""
        form.role.data = user.role.value
    if form.validate_on_submit():
        if user.id == current_user.id and form.role.data != user.role.value:
            form.role.errors.append(_("You cannot change your own role."))
        else:
            services.update_member(
                user,
                {
                    "display_name": form.display_name.data,
                    "organisation": form.organisation.data or "",
                    "constituency": db.session.get(Constituency, form.constituency.data),
                    "country": form.country.data or None,
                    "timezone": form.timezone.data,
                    "role": Role(form.role.data),
                },
            )
            db.session.commit()
            flash(_("%(name)s is saved.", name=user.display_name), "success")
            return redirect(url_for("accounts.members"))
    status = INVALID if form.is_submitted() else 200
    return render_template("accounts/edit_member.html", form=form, user=user), status


def _set_active(user_id: int, active: bool):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id and not active:
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("accounts.members"), 303)
    user.active = active
    if not active:
        services.end_sessions(user)  # reactivation does not revive old cookies
    db.session.commit()
    if not active:
        services.disconnect_sockets(user)
    message = (
        _("%(name)s can sign in again.", name=user.display_name)
        if active
        else _("%(name)s can no longer sign in.", name=user.display_name)
    )
    flash(message, "success")
    return redirect(url_for("accounts.members"), 303)


@bp.post("/members/<int:user_id>/deactivate")
@secretariat_required
def deactivate(user_id: int):
    """Close a member's account; their comments and history stay."""
    return _set_active(user_id, active=False)


@bp.post("/members/<int:user_id>/reactivate")
@secretariat_required
def reactivate(user_id: int):
    """Open a closed account again."""
    return _set_active(user_id, active=True)


@bp.post("/members/<int:user_id>/resend-invitation")
@secretariat_required
def resend_invitation(user_id: int):
    """Send the set-password link again to a member who has not used it."""
    user = db.get_or_404(User, user_id)
    if user.has_password:
        flash(_("%(name)s has already set a password.", name=user.display_name), "info")
    else:
        notifications.queue_invitation(user, current_user)
        db.session.commit()
        flash(_("Invitation on its way to %(email)s.", email=user.email), "success")
    return redirect(url_for("accounts.members"), 303)


@bp.route("/constituencies", methods=["GET", "POST"])
@secretariat_required
def constituencies():
    """The constituencies, in the order pages show them; add one."""
    form = ConstituencyForm()
    if form.validate_on_submit():
        constituency = services.add_constituency(form.name.data, form.description.data or "")
        db.session.commit()
        flash(_("%(name)s is added.", name=constituency.name), "success")
        return redirect(url_for("accounts.constituencies"))
    status = INVALID if form.is_submitted() else 200
    return render_template(
        "accounts/constituencies.html",
        form=form,
        constituencies=_constituencies(),
        button=ButtonForm(),
    ), status


@bp.route("/constituencies/<int:constituency_id>/edit", methods=["GET", "POST"])
@secretariat_required
def edit_constituency(constituency_id: int):
    """Rename a constituency or change its description."""
    constituency = db.get_or_404(Constituency, constituency_id)
    form = ConstituencyForm(obj=constituency)
    if form.validate_on_submit():
        constituency.name = form.name.data.strip()
        constituency.description = (form.description.data or "").strip()
        db.session.commit()
        flash(_("%(name)s is saved.", name=constituency.name), "success")
        return redirect(url_for("accounts.constituencies"))
    status = INVALID if form.is_submitted() else 200
    return render_template(
        "accounts/edit_constituency.html", form=form, constituency=constituency
    ), status


@bp.post("/constituencies/<int:constituency_id>/move/<any(up, down):direction>")
@secretariat_required
def move_constituency(constituency_id: int, direction: str):
    """Move a constituency up or down the list."""
    constituency = db.get_or_404(Constituency, constituency_id)
    if ButtonForm().validate_on_submit():
        services.move_constituency(constituency, direction)
        db.session.commit()
    return redirect(url_for("accounts.constituencies"), 303)
