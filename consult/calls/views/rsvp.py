"""Answers to an invitation: on the call's page, or from the e-mail's signed link."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.roles import member_required
from consult.calls import bp, notifications, services
from consult.calls.forms import AnswerForm
from consult.calls.models import Call, CallStatus
from consult.database import utcnow
from consult.extensions import db
from consult.forms import render_form
from consult.tokens import InvalidToken, read_token


def _closed_message(call: Call) -> str:
    """Why answers to ``call`` are no longer taken."""
    if call.status is CallStatus.CONFIRMED and call.ends_at <= utcnow():
        return _("This call is over: answers are no longer recorded.")
    if call.status is CallStatus.CANCELLED:
        return _("This call is cancelled: answers are no longer recorded.")
    if call.status is CallStatus.HELD:
        return _("This call has been held: answers are no longer recorded.")
    return _("This call is not confirmed: answers are not recorded.")


@bp.post("/calls/<int:call_id>/answer")
@member_required
def answer(call_id: int):
    """A signed-in member answers their invitation."""
    call = db.get_or_404(Call, call_id)
    attendance = call.attendance_of(current_user)
    form = AnswerForm()
    if attendance is None:
        abort(403)
    if call.status is not CallStatus.CONFIRMED or call.ends_at <= utcnow():
        flash(_closed_message(call), "error")
        return redirect(url_for("calls.call", call_id=call.id))
    if not form.validate_on_submit():
        flash(_("Choose accept, tentative or decline."), "error")
        return redirect(url_for("calls.call", call_id=call.id))
    services.answer(attendance, notifications.ANSWERS[form.answer.data])
    db.session.commit()
    flash(_("Your answer is recorded."), "success")
    return redirect(url_for("calls.call", call_id=call.id))


def _rsvp_attendance(call_id: int, user_id: int, token: str):
    try:
        payload = read_token(notifications.RSVP, token)
    except InvalidToken:
        return None
    if not isinstance(payload, dict) or payload.get("call") != call_id:
        return None
    if payload.get("user") != user_id:
        return None
    return services.find_attendance(call_id, user_id)


@bp.route("/calls/<int:call_id>/rsvp/<int:user_id>/<token>", methods=["GET", "POST"])
def rsvp(call_id: int, user_id: int, token: str):
    """Answer an invitation from the e-mail's link, without signing in.

    The link shows a page with the answer chosen; the button records it, so that
    mail scanners that open links never answer for the member. It stops working when
    the call is over, cancelled or held (409) and for a deactivated member (403).
    """
    attendance = _rsvp_attendance(call_id, user_id, token)
    if attendance is None:
        return render_template("calls/rsvp_invalid.html"), 400
    if not attendance.user.active:
        return render_template("calls/rsvp_invalid.html", deactivated=True), 403
    if attendance.call.status is not CallStatus.CONFIRMED or attendance.call.ends_at <= utcnow():
        g.page_timezone = attendance.user.timezone
        message = _closed_message(attendance.call)
        return render_template("calls/rsvp_closed.html", call=attendance.call, message=message), 409
    g.page_timezone = attendance.user.timezone
    form = AnswerForm()
    if request.method == "GET":
        form.answer.data = request.args.get("answer")
    if form.validate_on_submit():
        services.answer(attendance, notifications.ANSWERS[form.answer.data])
        db.session.commit()
        return render_template("calls/rsvp.html", attendance=attendance, form=form, done=True)
    return render_form("calls/rsvp.html", form, attendance=attendance, done=False)
