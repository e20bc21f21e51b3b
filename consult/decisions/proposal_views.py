"""Pages of proposals: open one on a section, answer it, close it, record its outcome."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.roles import member_required, secretariat_required
from consult.decisions import bp, live, notifications, positions, proposals
from consult.decisions.forms import OutcomeForm, ProposalForm, RulesForm, VoteForm
from consult.decisions.models import Choice, Outcome, Proposal
from consult.decisions.views import discussable_section
from consult.extensions import db
from consult.forms import INVALID, ButtonForm
from consult.toolkit.sections import can_discuss

CONFLICT = 409


def visible_proposal(proposal_id: int) -> Proposal:
    """The proposal, or 404 when it does not exist or the member may not see its section."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not can_discuss(current_user, proposal.section):
        abort(404)
    return proposal


def _closing(form: ProposalForm) -> datetime | None:
    """The closing date and time, read in the opener's own zone, as a UTC moment."""
    try:
        local = datetime.combine(
            form.closes_on.data, form.closes_time.data, ZoneInfo(current_user.timezone or "UTC")
        )
        return local.astimezone(ZoneInfo("UTC"))
    except (OverflowError, ValueError):
        return None


@bp.route("/toolkit/sections/<int:section_id>/proposals/new", methods=["GET", "POST"])
@member_required
def new_proposal(section_id: int):
    """Open a proposal on the section's current version."""
    section = discussable_section(section_id)
    if not proposals.can_open(current_user, section):
        abort(403)
    form = ProposalForm()
    if not form.is_submitted():
        week = proposals.now().astimezone(ZoneInfo(current_user.timezone or "UTC")) + timedelta(
            days=7
        )
        form.closes_on.data = week.date()
        form.closes_time.data = week.time().replace(hour=17, minute=0, second=0, microsecond=0)
    if form.validate_on_submit():
        closes_at = _closing(form)
        problem = (
            proposals.closing_problem(closes_at, proposals.now())
            if closes_at
            else _("That closing time does not exist.")
        )
        if problem:
            form.closes_on.errors = [*form.closes_on.errors, problem]
        else:
            proposal = proposals.open_proposal(
                section,
                current_user,
                form.question.data,
                form.details.data or "",
                closes_at,
                proposals.now(),
            )
            notifications.queue_opened(proposal, positions.active_members())
            live.announce(section.id, "proposal-opened", proposal_id=proposal.id)
            live.commit_and_broadcast()
            flash(_("Proposal opened."), "success")
            return redirect(url_for("decisions.proposal", proposal_id=proposal.id))
    status = INVALID if form.errors else 200
    return render_template("decisions/proposal_new.html", section=section, form=form), status


def proposal_context(proposal: Proposal) -> dict:
    """What the proposal's page and its live part show."""
    now = proposals.now()
    own = proposals.own_vote(proposal, current_user)
    vote_form = VoteForm(
        formdata=None, choice=own.choice.value if own else None, reason=own.reason if own else ""
    )
    return {
        "proposal": proposal,
        "section": proposal.section,
        "is_open": proposal.is_open(now),
        "answers": proposals.answers(proposal),
        "constituencies": positions.constituencies(),
        "own": own,
        "vote_form": vote_form,
        "outcome_form": OutcomeForm(formdata=None),
        "action_form": ButtonForm(),
        "choices": list(Choice),
    }


@bp.get("/proposals/<int:proposal_id>")
@member_required
def proposal(proposal_id: int):
    """The question, the answers by constituency, who has not answered, the member's answer."""
    return render_template(
        "decisions/proposal.html", **proposal_context(visible_proposal(proposal_id))
    )


@bp.get("/proposals/<int:proposal_id>/answers")
@member_required
def proposal_answers(proposal_id: int):
    """The answers part of the page alone, for the page's script after a live event."""
    context = proposal_context(visible_proposal(proposal_id))
    return render_template("decisions/_answers.html", **context)


@bp.post("/proposals/<int:proposal_id>/vote")
@member_required
def vote(proposal_id: int):
    """Answer the proposal, or change the answer, while it is open."""
    item = visible_proposal(proposal_id)
    form = VoteForm()
    if not form.validate_on_submit():
        return _page_again(item, INVALID, vote_form=form)
    try:
        proposals.vote(
            item, current_user, Choice(form.choice.data), form.reason.data or "", proposals.now()
        )
    except proposals.Refused as refused:
        db.session.rollback()
        return _page_again(item, CONFLICT, refused, vote_form=form)
    live.announce(item.section_id, "vote", proposal_id=item.id)
    live.commit_and_broadcast()
    flash(_("Your answer is saved. You can change it until the proposal closes."), "success")
    return redirect(url_for("decisions.proposal", proposal_id=item.id, _anchor="answer"))


def _page_again(item, status: int, refused: Exception | None = None, **forms):
    """The proposal page again, with the form sent back (and why it was refused)."""
    context = proposal_context(item)
    context.update(forms)
    if refused is not None:
        context["refusal"] = str(refused)
    return render_template("decisions/proposal.html", **context), status


@bp.post("/proposals/<int:proposal_id>/close")
@secretariat_required
def close_proposal(proposal_id: int):
    """The Secretariat stops the answers now."""
    item = visible_proposal(proposal_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    proposals.close_now(item, proposals.now())
    live.announce(item.section_id, "proposal-closed", proposal_id=item.id)
    live.commit_and_broadcast()
    flash(_("The proposal is closed: record its outcome."), "success")
    return redirect(url_for("decisions.proposal", proposal_id=item.id, _anchor="outcome"))


@bp.post("/proposals/<int:proposal_id>/outcome")
@secretariat_required
def record_outcome(proposal_id: int):
    """The Secretariat records what the closed proposal decided."""
    item = visible_proposal(proposal_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        return _page_again(item, INVALID, outcome_form=form)
    try:
        proposals.record_outcome(
            item, current_user, Outcome(form.outcome.data), form.statement.data, proposals.now()
        )
    except proposals.Refused as refused:
        db.session.rollback()
        return _page_again(item, CONFLICT, refused, outcome_form=form)
    live.announce(item.section_id, "outcome", proposal_id=item.id)
    live.commit_and_broadcast()
    flash(_("Outcome recorded; it stays on the section's history."), "success")
    return redirect(url_for("decisions.proposal", proposal_id=item.id, _anchor="outcome"))


@bp.post("/toolkit/sections/<int:section_id>/rules")
@secretariat_required
def section_rules(section_id: int):
    """The Secretariat lets members open proposals on a section, or not."""
    section = discussable_section(section_id)
    form = RulesForm()
    if not form.validate_on_submit():
        abort(400)
    proposals.set_members_propose(section, bool(form.members_propose.data))
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("toolkit.section", section_id=section.id, _anchor="proposals"))
