"""A call's life: confirming a slot, the call's page, moving, cancelling and marking it held."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult import signals
from consult.accounts.roles import member_required, secretariat_required
from consult.calls import bp, lifecycle, notifications, records, services
from consult.calls.checks import StartReview, review_start
from consult.calls.forms import (
    AgendaItemForm,
    AnswerForm,
    ConfirmForm,
    MinutesForm,
    MinutesStepForm,
    RescheduleForm,
    register_form,
)
from consult.calls.models import Call, CallSeries, CallStatus, Partstat, Presence
from consult.calls.polls import PollClosed
from consult.database import utcnow
from consult.extensions import db
from consult.forms import INVALID, ButtonForm


def _out_of_range(back: str):
    """The page refusing a start too far in the past or the future (422)."""
    message = _("A call must start between yesterday and two years from now.")
    return render_template("calls/refused.html", message=message, back=back), INVALID


def _refused(review: StartReview, back: str):
    """The page refusing a start that breaks the series' rules (422)."""
    return render_template("calls/refused.html", review=review, back=back), INVALID


def _to_acknowledge(review: StartReview, form, action: str, back: str):
    """The warnings about a start, with a button that sends the invitations anyway."""
    return render_template("calls/review.html", review=review, form=form, action=action, back=back)


def confirm_start(
    series: CallSeries, start: datetime, form: ConfirmForm, action: str, back: str, **poll
):
    """The one way to a confirmed call, from the planner or from a poll (``poll_id``).

    The start is checked (refused, or its warnings shown until acknowledged), then
    confirmed under the series' lock; the invitations are queued with the call.
    """
    now = utcnow()
    if not services.start_in_range(start, now):
        return _out_of_range(back)
    if start < now:
        flash(_("That slot is not valid any more; choose another."), "error")
        return redirect(back)
    g.page_timezone = series.organiser.timezone
    review = review_start(services.plan_input(series, now, covering=[start]), start, now)
    if not review.accepted:
        return _refused(review, back)
    if not review.acknowledged_by(form.acknowledged.data):
        return _to_acknowledge(review, form, action, back)
    try:
        call = lifecycle.confirm_call(series.id, start, poll_id=poll.get("poll_id"))
    except lifecycle.ScheduleConflict:
        flash(_("Another call of this series was confirmed at the same time; plan again."), "error")
        return redirect(back)
    except PollClosed:
        flash(_("The poll was closed meanwhile: nothing was confirmed."), "error")
        return redirect(back)
    flash(_("The call is confirmed and the invitations are on their way."), "success")
    return redirect(url_for("calls.call", call_id=call.id))


@bp.post("/calls/series/<int:series_id>/confirm")
@secretariat_required
def confirm(series_id: int):
    """Confirm a slot: the call is created and every member gets an invitation."""
    series = db.get_or_404(CallSeries, series_id)
    form = ConfirmForm()
    back = url_for("calls.plan", series_id=series.id)
    start = form.start_moment() if form.validate_on_submit() else None
    if start is None:
        flash(_("That slot is not valid any more; choose another."), "error")
        return redirect(back)
    existing = db.session.scalar(
        select(Call).where(
            Call.series_id == series.id,
            Call.starts_at == start,
            Call.status == CallStatus.CONFIRMED,
        )
    )
    if existing is not None:  # a second click on the same button
        flash(_("This call is already confirmed."), "info")
        return redirect(url_for("calls.call", call_id=existing.id))
    return confirm_start(series, start, form, url_for("calls.confirm", series_id=series.id), back)


@bp.get("/calls/<int:call_id>")
@member_required
def call(call_id: int):
    """A call: time, bridge, who answered what, the agenda, minutes and other capabilities' parts.

    The action items agreed on it come from the work programme, through ``signals.call_sections``.
    """
    call = services.load_call(call_id)
    if call is None:
        abort(404)
    mine = call.attendance_of(current_user)
    answer_form = AnswerForm()
    if mine is not None:
        reverse = {v: k for k, v in notifications.ANSWERS.items()}
        answer_form.answer.data = reverse.get(mine.partstat)
    visible_items = call.agenda_for(current_user)
    attendances = sorted(call.attendances, key=lambda a: (a.partstat.value, a.user.display_name))
    now = utcnow()
    register = None
    started = records.can_register(call, now)
    if current_user.is_secretariat and started:
        register = register_form([a.user_id for a in call.attendances])
        for a in call.attendances:
            # Until recorded, a member who declined is offered as having sent apologies.
            offered = a.presence
            if offered is Presence.UNKNOWN and a.partstat is Partstat.DECLINED:
                offered = Presence.APOLOGIES
            getattr(register, f"presence-{a.user_id}").data = offered.value
    return render_template(
        "calls/call.html",
        call=call,
        mine=mine,
        attendances=attendances,
        counts=services.counts(call),
        answer_form=answer_form,
        agenda_form=AgendaItemForm(),
        minutes_form=MinutesForm(minutes=call.minutes),
        sections=signals.ordered(
            signals.call_sections, call=call, user=current_user._get_current_object()
        ),
        reschedule_form=RescheduleForm(),
        form=ButtonForm(),
        items=visible_items,
        times=call.item_times(visible_items),
        now=now,
        Partstat=Partstat,
        Presence=Presence,
        register_form=register,
        register=call.register() if started else None,
        by_name=sorted(call.attendances, key=lambda a: a.user.display_name),
        step_form=MinutesStepForm(),
        organiser_zone=call.series.organiser.timezone,
    )


@bp.post("/calls/<int:call_id>/reschedule")
@secretariat_required
def reschedule(call_id: int):
    """Move a confirmed call after the same checks as confirming; invitees get an update."""
    call = db.get_or_404(Call, call_id)
    form = RescheduleForm()
    back = url_for("calls.call", call_id=call.id)
    if call.status is not CallStatus.CONFIRMED or not form.validate_on_submit():
        flash(_("Give a valid date and time for a confirmed call."), "error")
        return redirect(back)
    zone = ZoneInfo(call.series.organiser.timezone)
    start = datetime.combine(form.day.data, form.time.data, zone)
    if not services.start_in_range(start):
        return _out_of_range(back)
    if start < utcnow():
        flash(_("A call cannot be moved into the past."), "error")
        return redirect(back)
    g.page_timezone = call.series.organiser.timezone
    review = review_start(
        services.plan_input(call.series, besides=call, covering=[start]), start, utcnow()
    )
    if not review.accepted:
        return _refused(review, back)
    if not review.acknowledged_by(form.acknowledged.data):
        return _to_acknowledge(review, form, url_for("calls.reschedule", call_id=call.id), back)
    try:
        call = lifecycle.move_call(call.id, start)
    except lifecycle.ScheduleConflict:
        flash(
            _("Another call of this series was moved or confirmed too close; try again."), "error"
        )
        return redirect(back)
    flash(_("The call is moved and the invitees are being told."), "success")
    return redirect(back)


@bp.post("/calls/<int:call_id>/cancel")
@secretariat_required
def cancel(call_id: int):
    """Call it off; every invitee gets METHOD:CANCEL."""
    call = db.get_or_404(Call, call_id)
    if call.status is not CallStatus.CONFIRMED or not ButtonForm().validate_on_submit():
        abort(400)
    lifecycle.cancel_call(call)
    db.session.commit()
    flash(_("The call is cancelled and the invitees are being told."), "success")
    return redirect(url_for("calls.call", call_id=call.id))


@bp.post("/calls/<int:call_id>/held")
@secretariat_required
def held(call_id: int):
    """Mark a call as held, so minutes and action items can follow."""
    call = db.get_or_404(Call, call_id)
    if call.status is not CallStatus.CONFIRMED or not ButtonForm().validate_on_submit():
        abort(400)
    try:
        lifecycle.hold_call(call)
    except lifecycle.TooEarly:
        flash(_("A call can be marked as held only once it has started."), "error")
        return redirect(url_for("calls.call", call_id=call.id))
    db.session.commit()
    flash(_("The call is marked as held."), "success")
    return redirect(url_for("calls.call", call_id=call.id))
