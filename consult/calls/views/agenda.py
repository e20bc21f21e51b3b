"""Agenda items and minutes of a call."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.roles import member_required, secretariat_required
from consult.calls import bp
from consult.calls.forms import AgendaItemForm, MinutesForm
from consult.calls.models import AgendaItem, AgendaStatus, Call, CallStatus
from consult.database import utcnow
from consult.extensions import db
from consult.forms import ButtonForm
from consult.ordering import move


def _back(call: Call, anchor: str = ""):
    return redirect(url_for("calls.call", call_id=call.id) + (f"#{anchor}" if anchor else ""))


@bp.post("/calls/<int:call_id>/agenda")
@member_required
def propose_item(call_id: int):
    """A member proposes an agenda item; the Secretariat's own items are accepted at once."""
    call = db.get_or_404(Call, call_id)
    if not current_user.is_secretariat and call.attendance_of(current_user) is None:
        abort(403)
    form = AgendaItemForm()
    if call.status is not CallStatus.CONFIRMED:
        flash(_("Items can only be proposed for a confirmed call."), "error")
        return _back(call)
    if not form.validate_on_submit():
        flash(_("Give the item a title (at most 300 characters)."), "error")
        return _back(call, "agenda")
    position = max((item.position for item in call.agenda_items), default=0) + 1
    item = AgendaItem(
        call=call,
        title=form.title.data,
        details=form.details.data or "",
        proposed_by=current_user._get_current_object(),
        position=position,
        status=AgendaStatus.ACCEPTED if current_user.is_secretariat else AgendaStatus.PROPOSED,
    )
    db.session.add(item)
    db.session.commit()
    flash(_("The item is proposed; the Secretariat sets the agenda."), "success")
    return _back(call, "agenda")


def _item(call_id: int, item_id: int) -> AgendaItem:
    item = db.get_or_404(AgendaItem, item_id)
    if item.call_id != call_id or not ButtonForm().validate_on_submit():
        abort(400)
    return item


@bp.post("/calls/<int:call_id>/agenda/<int:item_id>/<any(up, down):direction>")
@secretariat_required
def move_item(call_id: int, item_id: int, direction: str):
    """Move an item one place up or down."""
    item = _item(call_id, item_id)
    move(sorted(item.call.agenda_items, key=lambda i: (i.position, i.id)), item, direction)
    db.session.commit()
    return _back(item.call, "agenda")


@bp.post("/calls/<int:call_id>/agenda/<int:item_id>/<any(accept, decline):verdict>")
@secretariat_required
def judge_item(call_id: int, item_id: int, verdict: str):
    """Put a proposed item on the agenda, or leave it off."""
    item = _item(call_id, item_id)
    item.status = AgendaStatus.ACCEPTED if verdict == "accept" else AgendaStatus.DECLINED
    db.session.commit()
    return _back(item.call, "agenda")


@bp.post("/calls/<int:call_id>/agenda/publish")
@secretariat_required
def publish_agenda(call_id: int):
    """Publish the agenda: members see it on the call page, the reminder carries it."""
    call = db.get_or_404(Call, call_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    call.agenda_published_at = utcnow()
    db.session.commit()
    flash(_("The agenda is published."), "success")
    return _back(call, "agenda")


@bp.post("/calls/<int:call_id>/minutes")
@secretariat_required
def save_minutes(call_id: int):
    """Record the minutes of a held call."""
    call = db.get_or_404(Call, call_id)
    form = MinutesForm()
    if call.status is not CallStatus.HELD or not form.validate_on_submit():
        flash(_("Minutes are kept for held calls (at most 50,000 characters)."), "error")
        return _back(call, "minutes")
    call.minutes = form.minutes.data or ""
    call.minutes_published_at = utcnow()
    db.session.commit()
    flash(_("The minutes are saved."), "success")
    return _back(call, "minutes")
