"""Work programme pages: members read, owners and the Secretariat change, the Secretariat edits."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.models import Constituency, User
from consult.accounts.roles import member_required, secretariat_required
from consult.calls.models import Call, CallStatus
from consult.extensions import db
from consult.forms import render_form
from consult.programme import bp
from consult.programme.forms import CallItemForm, ItemForm, StatusForm
from consult.programme.items import all_items, line_problem, may_change_status, open_items
from consult.programme.models import WorkItem, WorkStatus
from consult.programme.timeline import build_timeline


@bp.get("/programme/")
@member_required
def index():
    """Every item, open ones first, and the timeline toward CSD-10."""
    items = all_items()
    years, undated = build_timeline(items)
    return render_template(
        "programme/index.html",
        items=items,
        years=years,
        undated=undated,
        status_form=StatusForm(),
        may_change_status=may_change_status,
    )


@bp.get("/programme/open")
@member_required
def open_list():
    """The items still to be done, soonest first."""
    return render_template(
        "programme/open.html",
        items=open_items(),
        status_form=StatusForm(),
        may_change_status=may_change_status,
    )


@bp.get("/actions")
@member_required
def old_actions_page():
    """Where the open action items were listed before they joined the work programme."""
    return redirect(url_for("programme.open_list"), code=301)


def _get(model: type, ident: int | None) -> object | None:
    return db.session.get(model, ident) if ident else None


def _apply(form: ItemForm, item: WorkItem) -> None:
    item.title = form.title.data.strip()
    item.description = form.description.data or ""
    item.parent = _get(WorkItem, form.parent_id.data)
    item.owner = _get(User, form.owner_id.data)
    item.constituency = _get(Constituency, form.constituency_id.data)
    item.due_date = form.due_date.data
    item.status = WorkStatus(form.status.data)
    item.call = _get(Call, form.call_id.data)
    item.agreed_at = (form.agreed_at.data or "").strip()


def _edit_page(item: WorkItem, form: ItemForm, creating: bool):
    if form.validate_on_submit():
        problem = line_problem(item, _get(WorkItem, form.parent_id.data))
        if problem is None:
            _apply(form, item)
            if creating:
                db.session.add(item)
            db.session.commit()
            flash(_("The work programme is updated."), "success")
            return redirect(url_for("programme.index", _anchor=f"item-{item.id}"))
        form.parent_id.errors.append(problem)
    return render_form("programme/edit.html", form, item=item, creating=creating)


@bp.route("/programme/new", methods=["GET", "POST"])
@secretariat_required
def new_item():
    """Add an item."""
    form = ItemForm()
    form.fill_choices()
    return _edit_page(WorkItem(), form, creating=True)


@bp.route("/programme/<int:item_id>/edit", methods=["GET", "POST"])
@secretariat_required
def edit_item(item_id: int):
    """Change an item."""
    item = db.get_or_404(WorkItem, item_id)
    form = ItemForm(obj=item)
    form.fill_choices(item)
    return _edit_page(item, form, creating=False)


@bp.post("/programme/<int:item_id>/status")
@member_required
def status(item_id: int):
    """Its owner or the Secretariat moves an item along (planned, in progress, done, dropped)."""
    item = db.get_or_404(WorkItem, item_id)
    if not may_change_status(current_user, item):
        abort(403)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    item.status = WorkStatus(form.status.data)
    db.session.commit()
    flash(_("The work item is updated."), "success")
    return redirect(_back(form.back.data, item))


def _back(place: str | None, item: WorkItem) -> str:
    """The page the status form was on, at the item's row."""
    anchor = f"item-{item.id}"
    if place == "call" and item.call_id:
        return url_for("calls.call", call_id=item.call_id, _anchor=anchor)
    if place == "dashboard":
        return url_for("dashboard.index")
    if place == "open":
        return url_for("programme.open_list", _anchor=anchor)
    return url_for("programme.index", _anchor=anchor)


@bp.post("/programme/calls/<int:call_id>/items")
@secretariat_required
def add_call_item(call_id: int):
    """Record an action item agreed on a held call; it joins the work programme."""
    call = db.get_or_404(Call, call_id)
    form = CallItemForm()
    form.fill_choices()
    back = url_for("calls.call", call_id=call.id, _anchor="work-items")
    if call.status is not CallStatus.HELD or not form.validate_on_submit():
        flash(_("Give the action a title and an owner (held calls only)."), "error")
        return redirect(back)
    item = WorkItem(
        call=call,
        title=form.title.data.strip(),
        owner=_get(User, form.owner.data),
        due_date=form.due_on.data,
        status=WorkStatus.PLANNED,
    )
    line = _get(WorkItem, form.line.data)
    problem = line_problem(item, line)
    if problem is not None:
        flash(problem, "error")
        return redirect(back)
    item.parent = line
    db.session.add(item)
    db.session.commit()
    flash(_("The action item is recorded."), "success")
    return redirect(back)
