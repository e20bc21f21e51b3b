"""Work programme pages: members read, the Secretariat edits."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from consult.accounts.models import Constituency, User
from consult.accounts.roles import member_required, secretariat_required
from consult.calls.models import ActionItem, ActionStatus, Call
from consult.database import utcnow
from consult.extensions import db
from consult.forms import INVALID
from consult.programme import bp
from consult.programme.forms import ItemForm
from consult.programme.models import ItemStatus, ProgrammeItem
from consult.programme.timeline import build_timeline, is_overdue


def _all_items() -> list[ProgrammeItem]:
    order = (ProgrammeItem.due_date.is_(None), ProgrammeItem.due_date, ProgrammeItem.id)
    query = select(ProgrammeItem).options(
        joinedload(ProgrammeItem.owner),
        joinedload(ProgrammeItem.constituency),
        joinedload(ProgrammeItem.call).joinedload(Call.series),
    )
    return list(db.session.scalars(query.order_by(*order)))


def _call_action_items() -> list[ActionItem]:
    """Action items recorded in call minutes: they feed the work programme."""
    order = (ActionItem.status != ActionStatus.OPEN, ActionItem.due_on.is_(None), ActionItem.due_on)
    query = (
        select(ActionItem)
        .options(joinedload(ActionItem.owner), joinedload(ActionItem.call))
        .order_by(*order, ActionItem.id)
    )
    return list(db.session.scalars(query))


@bp.get("/")
@member_required
def index():
    """Every item, the action items agreed on calls, and the timeline toward CSD-10."""
    items = _all_items()
    years, undated = build_timeline(items)
    return render_template(
        "programme/index.html",
        items=items,
        actions=_call_action_items(),
        years=years,
        undated=undated,
        overdue={item.id for item in items if is_overdue(item, utcnow().date())},
    )


def _apply(form: ItemForm, item: ProgrammeItem) -> None:
    item.title = form.title.data.strip()
    item.description = form.description.data or ""
    item.owner = db.session.get(User, form.owner_id.data) if form.owner_id.data else None
    item.constituency = (
        db.session.get(Constituency, form.constituency_id.data)
        if form.constituency_id.data
        else None
    )
    item.due_date = form.due_date.data
    item.status = ItemStatus(form.status.data)
    item.call = db.session.get(Call, form.call_id.data) if form.call_id.data else None
    item.agreed_at = (form.agreed_at.data or "").strip()


def _edit_page(item: ProgrammeItem, form: ItemForm, creating: bool):
    if form.validate_on_submit():
        _apply(form, item)
        if creating:
            db.session.add(item)
        db.session.commit()
        flash(_("The work programme is updated."), "success")
        return redirect(url_for("programme.index", _anchor=f"item-{item.id}"))
    status = INVALID if form.is_submitted() else 200
    return render_template("programme/edit.html", form=form, item=item, creating=creating), status


@bp.route("/new", methods=["GET", "POST"])
@secretariat_required
def new_item():
    """Add an item."""
    form = ItemForm()
    form.fill_choices()
    return _edit_page(ProgrammeItem(), form, creating=True)


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@secretariat_required
def edit_item(item_id: int):
    """Change an item."""
    item = db.get_or_404(ProgrammeItem, item_id)
    form = ItemForm(obj=item)
    form.fill_choices(current_owner_id=item.owner_id)
    return _edit_page(item, form, creating=False)
