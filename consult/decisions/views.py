"""Pages: a member's stance on a section, and the consensus view."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.roles import member_required
from consult.decisions import bp, positions
from consult.decisions.forms import StanceForm
from consult.extensions import db
from consult.forms import INVALID
from consult.toolkit.models import Section, Stance
from consult.toolkit.sections import can_discuss, ordered_sections


def discussable_section(section_id: int) -> Section:
    """The section, or 404 when it does not exist or the member may not discuss it."""
    section = db.session.get(Section, section_id)
    if section is None or not can_discuss(current_user, section):
        abort(404)
    return section


@bp.post("/toolkit/sections/<int:section_id>/stance")
@member_required
def state_stance(section_id: int):
    """Set (or change) the member's own stance on a section."""
    section = discussable_section(section_id)
    form = StanceForm()
    if not form.validate_on_submit():
        return render_template("decisions/stance.html", section=section, form=form), INVALID
    positions.state_stance(section, current_user, Stance(form.stance.data), form.reason.data or "")
    db.session.commit()
    flash(_("Your position is saved."), "success")
    return redirect(url_for("toolkit.section", section_id=section.id, _anchor="own-stance"))


@bp.get("/toolkit/consensus")
@member_required
def consensus():
    """For each section and constituency: current stances, and who has not been heard from."""
    items = ordered_sections(include_drafts=True)
    return render_template(
        "decisions/consensus.html",
        sections=items,
        rows=positions.positions([s.id for s in items]),
        constituencies=positions.constituencies(),
    )


@bp.get("/toolkit/sections/<int:section_id>/decisions")
@member_required
def section_live(section_id: int):
    """The proposals and amendments part of a section page, for its script after a live event."""
    from consult.decisions.panels import live_context

    section = discussable_section(section_id)
    return render_template("decisions/_section_live.html", ctx=live_context(section, current_user))
