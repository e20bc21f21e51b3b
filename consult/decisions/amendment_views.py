"""Pages of amendments: propose one, comment on it, accept or decline it, withdraw it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.roles import member_required, secretariat_required
from consult.decisions import amendments, bp, live
from consult.decisions.forms import AcceptForm, AmendmentCommentForm, AmendmentForm, DeclineForm
from consult.decisions.models import Amendment, AmendmentStatus
from consult.decisions.proposals import now
from consult.decisions.views import discussable_section
from consult.extensions import db
from consult.forms import INVALID, ButtonForm
from consult.toolkit.sections import can_discuss

CONFLICT = 409


def visible_amendment(amendment_id: int) -> Amendment:
    """The amendment, or 404 when it does not exist or the member may not see its section."""
    amendment = db.session.get(Amendment, amendment_id)
    if amendment is None or not can_discuss(current_user, amendment.section):
        abort(404)
    return amendment


@bp.route("/toolkit/sections/<int:section_id>/amendments/new", methods=["GET", "POST"])
@member_required
def new_amendment(section_id: int):
    """Propose replacement text for a passage of the section's current text."""
    section = discussable_section(section_id)
    form = AmendmentForm()
    if not form.is_submitted():
        form.passage.data = (request.args.get("passage") or "")[:20_000]
        form.replacement.data = form.passage.data
    if form.validate_on_submit():
        try:
            amendment = amendments.propose(
                section,
                current_user,
                form.passage.data,
                form.replacement.data or "",
                form.reason.data or "",
            )
        except amendments.Refused as refused:
            db.session.rollback()
            form.passage.errors = [*form.passage.errors, str(refused)]
        else:
            live.announce(section.id, "amendment-proposed", amendment_id=amendment.id)
            live.commit_and_broadcast()
            flash(_("Amendment proposed."), "success")
            return redirect(url_for("decisions.amendment", amendment_id=amendment.id))
    status = INVALID if form.errors else 200
    return render_template("decisions/amendment_new.html", section=section, form=form), status


def amendment_context(amendment: Amendment, **forms) -> dict:
    """What the amendment's page shows."""
    return {
        "amendment": amendment,
        "section": amendment.section,
        "runs": amendments.in_context(amendment, amendments.version_text(amendment)),
        "comment_form": forms.get("comment_form") or AmendmentCommentForm(formdata=None),
        "accept_form": forms.get("accept_form") or AcceptForm(formdata=None),
        "decline_form": forms.get("decline_form") or DeclineForm(formdata=None),
        "action_form": ButtonForm(),
        "is_open": amendment.status == AmendmentStatus.OPEN,
        "refusal": forms.get("refusal"),
    }


@bp.get("/amendments/<int:amendment_id>")
@member_required
def amendment(amendment_id: int):
    """The passage and its replacement as a redline, the reasons, the comments, the decision."""
    return render_template(
        "decisions/amendment.html", **amendment_context(visible_amendment(amendment_id))
    )


@bp.get("/amendments/<int:amendment_id>/comments")
@member_required
def amendment_comments(amendment_id: int):
    """The comments and the decision alone, for the page's script after a live event."""
    return render_template(
        "decisions/_amendment_live.html", **amendment_context(visible_amendment(amendment_id))
    )


@bp.post("/amendments/<int:amendment_id>/comments")
@member_required
def comment_on_amendment(amendment_id: int):
    """Add a comment to the amendment."""
    item = visible_amendment(amendment_id)
    form = AmendmentCommentForm()
    if not form.validate_on_submit():
        context = amendment_context(item, comment_form=form)
        return render_template("decisions/amendment.html", **context), INVALID
    added = amendments.comment(item, current_user, form.body.data)
    live.announce(item.section_id, "amendment-comment", amendment_id=item.id)
    live.commit_and_broadcast()
    return redirect(url_for("decisions.amendment", amendment_id=item.id, _anchor=f"c{added.id}"))


def _decide(item: Amendment, work, **forms):
    try:
        work()
    except amendments.Refused as refused:
        db.session.rollback()
        context = amendment_context(item, refusal=str(refused), **forms)
        return render_template("decisions/amendment.html", **context), CONFLICT
    live.announce(item.section_id, f"amendment-{item.status.value}", amendment_id=item.id)
    live.commit_and_broadcast()
    return None


@bp.post("/amendments/<int:amendment_id>/accept")
@secretariat_required
def accept_amendment(amendment_id: int):
    """The Secretariat takes the amendment into a new version of the section."""
    item = visible_amendment(amendment_id)
    form = AcceptForm()
    if not form.validate_on_submit():
        return render_template(
            "decisions/amendment.html", **amendment_context(item, accept_form=form)
        ), INVALID
    refused = _decide(
        item,
        lambda: amendments.accept(item, current_user, form.note.data or "", now()),
        accept_form=form,
    )
    if refused:
        return refused
    flash(_("Amendment accepted: the section has a new version."), "success")
    return redirect(url_for("decisions.amendment", amendment_id=item.id))


@bp.post("/amendments/<int:amendment_id>/decline")
@secretariat_required
def decline_amendment(amendment_id: int):
    """The Secretariat declines the amendment, with a reason."""
    item = visible_amendment(amendment_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return render_template(
            "decisions/amendment.html", **amendment_context(item, decline_form=form)
        ), INVALID
    refused = _decide(
        item,
        lambda: amendments.decline(item, current_user, form.reason.data, now()),
        decline_form=form,
    )
    if refused:
        return refused
    flash(_("Amendment declined."), "success")
    return redirect(url_for("decisions.amendment", amendment_id=item.id))


@bp.post("/amendments/<int:amendment_id>/withdraw")
@member_required
def withdraw_amendment(amendment_id: int):
    """The author takes back an open amendment."""
    item = visible_amendment(amendment_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    refused = _decide(item, lambda: amendments.withdraw(item, current_user, now()))
    if refused:
        return refused
    flash(_("Amendment withdrawn."), "success")
    return redirect(url_for("decisions.amendment", amendment_id=item.id))
