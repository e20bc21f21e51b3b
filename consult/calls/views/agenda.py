"""Agenda items of a call: proposed, judged, ordered, published; their times, leads and documents."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult import signals
from consult.accounts.roles import member_required, secretariat_required
from consult.calls import bp, records
from consult.calls.forms import AgendaDocumentForm, AgendaItemEditForm, AgendaItemForm
from consult.calls.models import AgendaDocument, AgendaItem, AgendaStatus, Call, CallStatus
from consult.database import utcnow
from consult.extensions import db
from consult.forms import INVALID, ButtonForm, select_choices
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
    """Publish the agenda: members see it on the call page and every invitee gets it by e-mail."""
    call = db.get_or_404(Call, call_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        records.publish_agenda(call, utcnow())
    except records.NotConfirmed:
        flash(_("Only the agenda of a confirmed call is published."), "error")
        return _back(call, "agenda")
    db.session.commit()
    flash(_("The agenda is published and e-mailed to the invitees."), "success")
    return _back(call, "agenda")


def _agenda_item(call_id: int, item_id: int) -> AgendaItem:
    item = db.get_or_404(AgendaItem, item_id)
    if item.call_id != call_id:
        abort(404)
    return item


def _item_form(item: AgendaItem, *, posted: bool) -> AgendaItemEditForm:
    """The item's form, filled from the request when it was ``posted``, else from the item."""
    if posted:
        form = AgendaItemEditForm()
    else:
        form = AgendaItemEditForm(formdata=None, obj=item)
        form.lead.data = item.lead_id
    invitees = sorted((a.user for a in item.call.attendances), key=lambda u: u.display_name)
    form.lead.choices = select_choices(
        [("", _("— None —")), *((u.id, u.display_name) for u in invitees)]
    )
    return form


def _library(form: AgendaDocumentForm) -> dict[str, str]:
    """The library's files the Secretariat may link to, by address (none without the library)."""
    user = current_user._get_current_object()
    found = {
        link.url: link.title for link in signals.ordered(signals.linkable_documents, user=user)
    }
    form.library.choices = select_choices([("", _("— Choose —")), *found.items()])
    return found


def _item_page(item: AgendaItem, form, document_form, status: int):
    return render_template(
        "calls/agenda_item.html",
        call=item.call,
        item=item,
        form=form,
        document_form=document_form,
        button=ButtonForm(),
    ), status


@bp.route("/calls/<int:call_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@secretariat_required
def edit_item(call_id: int, item_id: int):
    """The Secretariat sets an item's title, details, minutes and lead speaker, and its documents."""
    item = _agenda_item(call_id, item_id)
    form = _item_form(item, posted=request.method == "POST")
    if form.validate_on_submit():
        item.title = form.title.data
        item.details = form.details.data or ""
        item.duration_minutes = form.duration_minutes.data
        item.lead_id = form.lead.data
        db.session.commit()
        flash(_("The item is saved."), "success")
        return _back(item.call, "agenda")
    document_form = AgendaDocumentForm(formdata=None, prefix="document")
    _library(document_form)
    return _item_page(item, form, document_form, INVALID if form.is_submitted() else 200)


@bp.post("/calls/<int:call_id>/agenda/<int:item_id>/documents")
@secretariat_required
def add_document(call_id: int, item_id: int):
    """Link a document to an item: one from the library, or any web address with a title."""
    item = _agenda_item(call_id, item_id)
    form = AgendaDocumentForm(prefix="document")
    library = _library(form)
    if not form.validate_on_submit():
        return _item_page(item, _item_form(item, posted=False), form, INVALID)
    if form.url.data:
        url, title = form.url.data, form.title.data.strip()
    else:
        url = form.library.data
        title = (form.title.data or "").strip() or library[url]
    item.documents.append(AgendaDocument(url=url, title=title[:300]))
    db.session.commit()
    flash(_("The document is linked to the item."), "success")
    return redirect(url_for("calls.edit_item", call_id=call_id, item_id=item.id))


@bp.post("/calls/<int:call_id>/agenda/<int:item_id>/documents/<int:document_id>/delete")
@secretariat_required
def remove_document(call_id: int, item_id: int, document_id: int):
    """Unlink a document from an item (the document itself stays where it is)."""
    document = db.get_or_404(AgendaDocument, document_id)
    if document.item_id != item_id or document.item.call_id != call_id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    db.session.delete(document)
    db.session.commit()
    return redirect(url_for("calls.edit_item", call_id=call_id, item_id=item_id))
