"""Editing the compilation: profiles (Secretariat and member proposals), key elements, assessments."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.accounts.roles import member_required, secretariat_required
from consult.database import utcnow
from consult.extensions import db
from consult.forms import ButtonForm, render_form
from consult.ordering import move
from consult.public import bp
from consult.public.forms import (
    AssessmentForm,
    KeyElementForm,
    ProfileForm,
    SecretariatProfileForm,
)
from consult.public.models import (
    Assessment,
    KeyElement,
    ProfileStatus,
    ProfileType,
    Rating,
    ViaProfile,
)
from consult.public.notifications import notify_proposal
from consult.public.views import key_elements


def set_status(profile: ViaProfile, status: ProfileStatus) -> None:
    """Change a profile's status, stamping the first publication."""
    if status is ProfileStatus.PUBLISHED and profile.status is not ProfileStatus.PUBLISHED:
        profile.published_at = utcnow()
    profile.status = status


def _apply(form: ProfileForm, profile: ViaProfile) -> None:
    profile.name = form.name.data.strip()
    profile.organisation = form.organisation.data.strip()
    profile.type = ProfileType(form.type.data)
    profile.sector = form.sector.data
    profile.countries = form.countries.data or []
    profile.year_started = form.year_started.data
    profile.description = form.description.data.strip()
    profile.links = "\n".join(
        line.strip() for line in (form.links.data or "").splitlines() if line.strip()
    )


def _profile_form(cls: type[ProfileForm], profile: ViaProfile | None) -> ProfileForm:
    form = cls(obj=profile)
    form.fill_choices(str(get_locale()))
    return form


@bp.get("/manage/profiles")
@secretariat_required
def manage_profiles():
    """Every profile by status, members' proposals first."""
    order = {
        ProfileStatus.PROPOSED: 0,
        ProfileStatus.DRAFT: 1,
        ProfileStatus.PUBLISHED: 2,
        ProfileStatus.ARCHIVED: 3,
    }
    profiles = sorted(
        db.session.scalars(select(ViaProfile)), key=lambda p: (order[p.status], p.name.casefold())
    )
    return render_template("public/manage_profiles.html", profiles=profiles)


@bp.route("/manage/profiles/new", methods=["GET", "POST"])
@secretariat_required
def new_profile():
    """The Secretariat writes a profile."""
    form = _profile_form(SecretariatProfileForm, None)
    if form.validate_on_submit():
        profile = ViaProfile()
        _apply(form, profile)
        set_status(profile, ProfileStatus(form.status.data))
        db.session.add(profile)
        db.session.commit()
        flash(_("The profile is saved."), "success")
        return redirect(url_for("public.profile", profile_id=profile.id))
    return render_form("public/profile_form.html", form, profile=None)


@bp.route("/manage/profiles/<int:profile_id>/edit", methods=["GET", "POST"])
@secretariat_required
def edit_profile(profile_id: int):
    """The Secretariat edits any profile, including members' proposals."""
    profile = db.get_or_404(ViaProfile, profile_id)
    form = _profile_form(SecretariatProfileForm, profile)
    if form.validate_on_submit():
        _apply(form, profile)
        set_status(profile, ProfileStatus(form.status.data))
        db.session.commit()
        flash(_("The profile is saved."), "success")
        return redirect(url_for("public.profile", profile_id=profile.id))
    return render_form("public/profile_form.html", form, profile=profile)


@bp.post("/manage/profiles/<int:profile_id>/status/<status>")
@secretariat_required
def set_profile_status(profile_id: int, status: str):
    """Approve (publish), archive or send back to draft, with one button."""
    profile = db.get_or_404(ViaProfile, profile_id)
    try:
        new_status = ProfileStatus(status)
    except ValueError:
        abort(404)
    if ButtonForm().validate_on_submit():
        set_status(profile, new_status)
        db.session.commit()
        flash(_("The profile is now: %(status)s.", status=new_status.label), "success")
    return redirect(url_for("public.profile", profile_id=profile.id))


@bp.route("/profiles/propose", methods=["GET", "POST"])
@member_required
def propose_profile():
    """A member proposes a profile; it stays hidden until the Secretariat approves it."""
    form = _profile_form(ProfileForm, None)
    if form.validate_on_submit():
        profile = ViaProfile(status=ProfileStatus.PROPOSED, proposed_by_id=current_user.id)
        _apply(form, profile)
        db.session.add(profile)
        db.session.flush()
        notify_proposal(profile, current_user)
        db.session.commit()
        flash(
            _("Thank you. The Secretariat will review your proposal before it is published."),
            "success",
        )
        return redirect(url_for("public.profile", profile_id=profile.id))
    mine = db.session.scalars(
        select(ViaProfile)
        .where(ViaProfile.proposed_by_id == current_user.id)
        .order_by(ViaProfile.created_at.desc())
    )
    return render_form("public/propose.html", form, mine=list(mine))


@bp.get("/manage/key-elements")
@secretariat_required
def manage_key_elements():
    """The key elements with buttons to edit and reorder them."""
    return render_template(
        "public/manage_key_elements.html", elements=key_elements(), form=ButtonForm()
    )


@bp.route("/manage/key-elements/new", methods=["GET", "POST"])
@bp.route("/manage/key-elements/<int:element_id>/edit", methods=["GET", "POST"])
@secretariat_required
def edit_key_element(element_id: int | None = None):
    """Add a key element at the end, or change one."""
    element = db.session.get(KeyElement, element_id) if element_id else KeyElement()
    if element is None:
        abort(404)
    form = KeyElementForm(obj=element)
    if form.validate_on_submit():
        element.title = form.title.data.strip()
        element.explanation = (form.explanation.data or "").strip()
        element.translations = form.translations.form.collected()
        if element_id is None:
            element.position = len(key_elements()) + 1
            db.session.add(element)
        db.session.commit()
        flash(_("The key element is saved."), "success")
        return redirect(url_for("public.manage_key_elements"))
    return render_form("public/key_element_form.html", form, element=element_id and element)


@bp.post("/manage/key-elements/<int:element_id>/move/<any(up, down):direction>")
@secretariat_required
def move_key_element(element_id: int, direction: str):
    """Move a key element one place up or down."""
    element = db.get_or_404(KeyElement, element_id)
    if ButtonForm().validate_on_submit():
        if not move(key_elements(), element, direction):
            flash(_("That key element cannot move further."), "info")
        db.session.commit()
    return redirect(url_for("public.manage_key_elements", _anchor=f"element-{element_id}"))


@bp.route("/manage/profiles/<int:profile_id>/assess/<int:element_id>", methods=["GET", "POST"])
@secretariat_required
def edit_assessment(profile_id: int, element_id: int):
    """Judge one profile against one key element, with a note and a source."""
    profile = db.get_or_404(ViaProfile, profile_id)
    element = db.get_or_404(KeyElement, element_id)
    assessment = db.session.scalar(
        select(Assessment).where(
            Assessment.profile_id == profile.id, Assessment.key_element_id == element.id
        )
    )
    form = AssessmentForm(
        obj=assessment,
        data={"rating": assessment.rating.value if assessment else Rating.UNKNOWN.value},
    )
    if form.validate_on_submit():
        if assessment is None:
            assessment = Assessment(profile=profile, key_element=element)
            db.session.add(assessment)
        assessment.rating = Rating(form.rating.data)
        assessment.note = (form.note.data or "").strip()
        assessment.source = (form.source.data or "").strip()
        db.session.commit()
        flash(_("The assessment is saved."), "success")
        return redirect(
            url_for("public.profile", profile_id=profile.id, _anchor=f"assessment-{element.id}")
        )
    return render_form("public/assessment_form.html", form, profile=profile, element=element)
