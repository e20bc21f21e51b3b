"""A call's records: the attendance register and the minutes (drafted, approved, circulated)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.accounts.roles import secretariat_required
from consult.calls import bp, records
from consult.calls.forms import MinutesForm, MinutesStepForm, register_form
from consult.calls.models import Call, Presence
from consult.database import utcnow
from consult.extensions import db


def _back(call: Call, anchor: str):
    return redirect(url_for("calls.call", call_id=call.id, _anchor=anchor))


@bp.post("/calls/<int:call_id>/attendance")
@secretariat_required
def record_attendance(call_id: int):
    """Record who was present, who sent apologies and who was absent, once the call has started."""
    call = db.get_or_404(Call, call_id)
    form = register_form([a.user_id for a in call.attendances])
    if not records.can_register(call, utcnow()):
        flash(_("Attendance is recorded once the call has started."), "error")
        return _back(call, "register")
    if not form.validate_on_submit():
        flash(_("Choose present, apologies, absent or not recorded for every invitee."), "error")
        return _back(call, "register")
    presence = {
        a.user_id: Presence(getattr(form, f"presence-{a.user_id}").data) for a in call.attendances
    }
    records.record_presence(call, presence, utcnow())
    db.session.commit()
    flash(_("The attendance register is saved."), "success")
    return _back(call, "register")


@bp.post("/calls/<int:call_id>/minutes")
@secretariat_required
def save_minutes(call_id: int):
    """Save the draft minutes of a held call."""
    call = db.get_or_404(Call, call_id)
    form = MinutesForm()
    if not form.validate_on_submit():
        flash(_("Minutes are at most 50,000 characters."), "error")
        return _back(call, "minutes")
    try:
        records.save_minutes(call, form.minutes.data or "")
    except records.WrongState:
        flash(
            _("Only the draft minutes of a held call can be changed; reopen them first."), "error"
        )
        return _back(call, "minutes")
    db.session.commit()
    flash(_("The draft minutes are saved."), "success")
    return _back(call, "minutes")


#: What each step tells the Secretariat once done.
DONE = {
    "approve": _l("The minutes are approved; circulate them when ready."),
    "circulate": _l("The minutes are circulated: the invitees are getting them by e-mail."),
    "reopen-approved": _l("The minutes are a draft again."),
    "reopen-circulated": _l("The minutes are a draft again, hidden from members until circulated."),
}


@bp.post("/calls/<int:call_id>/minutes/step")
@secretariat_required
def step_minutes(call_id: int):
    """Approve, circulate or reopen the minutes; circulating e-mails them to the invitees."""
    call = db.get_or_404(Call, call_id)
    form = MinutesStepForm()
    if not form.validate_on_submit() or form.step.data not in records.STEPS:
        abort(400)
    try:
        records.step_minutes(call, form.step.data, utcnow())
    except records.WrongState:
        db.session.rollback()
        flash(_("The minutes were not in that state (empty, or changed meanwhile)."), "error")
        return _back(call, "minutes")
    db.session.commit()
    flash(str(DONE[form.step.data]), "success")
    return _back(call, "minutes")
