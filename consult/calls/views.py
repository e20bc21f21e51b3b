"""Pages of the calls capability: series, planner, call page, answers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from consult.accounts.models import User
from consult.accounts.roles import member_required, secretariat_required
from consult.calls import bp, notifications, services
from consult.calls.checks import StartReview, review_start
from consult.calls.forms import (
    ActionItemForm,
    ActionStatusForm,
    AgendaItemForm,
    AnswerForm,
    ConfirmForm,
    MinutesForm,
    RescheduleForm,
    SeriesForm,
)
from consult.calls.models import Call, CallSeries, CallStatus, Partstat
from consult.calls.planner import best_on_day, day_grid, explain, plan_call, window
from consult.database import utcnow
from consult.extensions import db
from consult.forms import INVALID, ButtonForm, select_choices
from consult.tokens import InvalidToken, read_token


def _active_users() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active).order_by(User.display_name)))


@bp.get("/calls")
@member_required
def index():
    """Series, the calls to come and the past calls."""
    series = db.session.scalars(select(CallSeries).order_by(CallSeries.name)).all()
    now = utcnow()
    calls = db.session.scalars(
        select(Call)
        .options(joinedload(Call.series), selectinload(Call.attendances))
        .order_by(Call.starts_at.desc())
    ).all()
    upcoming = sorted(
        (c for c in calls if c.ends_at >= now and c.status is CallStatus.CONFIRMED),
        key=lambda c: c.starts_at,
    )
    past = [c for c in calls if c.ends_at < now or c.status is not CallStatus.CONFIRMED]
    return render_template("calls/index.html", series=series, upcoming=upcoming, past=past)


def _series_form(series: CallSeries | None) -> SeriesForm:
    form = SeriesForm(obj=series)
    form.members.choices = select_choices((u.id, u.display_name) for u in _active_users())
    if request.method == "GET" and series is not None:
        form.members.data = [m.user_id for m in series.memberships]
    return form


@bp.route("/calls/series/new", methods=["GET", "POST"])
@bp.route("/calls/series/<int:series_id>/edit", methods=["GET", "POST"])
@secretariat_required
def edit_series(series_id: int | None = None):
    """Create or edit a series: cadence, hours, bridge and invited members."""
    series = db.get_or_404(CallSeries, series_id) if series_id else None
    form = _series_form(series)
    if form.validate_on_submit():
        taken = db.session.scalar(select(CallSeries).where(CallSeries.name == form.name.data))
        if taken is not None and taken is not series:
            form.name.errors.append(_("A series with this name already exists."))
        else:
            if series is None:
                series = CallSeries(organiser=current_user._get_current_object())
                db.session.add(series)
            members = form.members.data
            del form.members
            form.populate_obj(series)
            users = db.session.scalars(select(User).where(User.id.in_(members or []))).all()
            services.set_members(series, list(users))
            db.session.commit()
            flash(_("The series is saved."), "success")
            return redirect(url_for("calls.plan", series_id=series.id))
    status = INVALID if form.is_submitted() else 200
    return render_template("calls/series_form.html", form=form, series=series), status


def _day_param(first: date, last: date, default: date) -> date:
    try:
        chosen = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return default
    return chosen if first - timedelta(days=7) <= chosen <= last + timedelta(days=7) else default


def _chosen_hour(data, grid) -> int:
    """The grid hour asked for (``?at=``), else the hour of the day's best slot."""
    asked = request.args.get("at", "")
    if asked.isdigit() and int(asked) < len(grid.hours):
        return int(asked)
    try:
        best = best_on_day(data, grid.day).start
    except ValueError:  # the whole day is past
        return 0
    return max(i for i, hour in enumerate(grid.hours) if hour <= best)


def _out_of_range(back: str):
    """The page refusing a start too far in the past or the future (422)."""
    message = _("A call must start between yesterday and two years from now.")
    return render_template("calls/refused.html", message=message, back=back), INVALID


@bp.get("/calls/series/<int:series_id>/plan")
@secretariat_required
def plan(series_id: int):
    """The planner: the best slots in the window, explained, and a day grid."""
    series = db.get_or_404(CallSeries, series_id)
    g.page_timezone = series.organiser.timezone
    data = services.plan_input(series)
    result = plan_call(data, limit=5)
    first, last = window(data)
    default = first
    if result.candidates:
        default = result.candidates[0].start.astimezone(ZoneInfo(data.organiser_timezone)).date()
    day = _day_param(first, last, default)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    grid = day_grid(data, day) if data.members else None
    chosen_index = _chosen_hour(data, grid) if grid else None
    return render_template(
        "calls/plan.html",
        series=series,
        result=result,
        grid=grid,
        chosen_index=chosen_index,
        chosen=explain(data, grid.hours[chosen_index]) if grid else None,
        day=day,
        days=days,
        skipped=dict(result.skipped),
        form=ConfirmForm(),
        zone=data.organiser_timezone,
        upcoming=services.next_call(series),
    )


def _refused(review: StartReview, back: str):
    """The page refusing a start that breaks the series' rules (422)."""
    return render_template("calls/refused.html", review=review, back=back), INVALID


def _to_acknowledge(review: StartReview, form, action: str, back: str):
    """The warnings about a start, with a button that sends the invitations anyway."""
    return render_template("calls/review.html", review=review, form=form, action=action, back=back)


@bp.post("/calls/series/<int:series_id>/confirm")
@secretariat_required
def confirm(series_id: int):
    """Confirm a slot: the call is created and every member gets an invitation."""
    series = db.get_or_404(CallSeries, series_id)
    form = ConfirmForm()
    back = url_for("calls.plan", series_id=series.id)
    start = form.start_moment() if form.validate_on_submit() else None
    if start is not None and not services.start_in_range(start):
        return _out_of_range(back)
    if start is None or start < utcnow():
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
    g.page_timezone = series.organiser.timezone
    review = review_start(services.plan_input(series), start, utcnow())
    if not review.accepted:
        return _refused(review, back)
    if review.warnings and form.acknowledged.data != "1":
        return _to_acknowledge(review, form, url_for("calls.confirm", series_id=series.id), back)
    try:
        call = services.confirm_call(series.id, start, then=notifications.queue_invitations)
    except services.ScheduleConflict:
        flash(_("Another call of this series was confirmed at the same time; plan again."), "error")
        return redirect(back)
    flash(_("The call is confirmed and the invitations are on their way."), "success")
    return redirect(url_for("calls.call", call_id=call.id))


@bp.get("/calls/<int:call_id>")
@member_required
def call(call_id: int):
    """A call: time, bridge, who answered what, the agenda, minutes and action items."""
    call = services.load_call(call_id)
    if call is None:
        abort(404)
    mine = call.attendance_of(current_user)
    answer_form = AnswerForm()
    if mine is not None:
        reverse = {v: k for k, v in notifications.ANSWERS.items()}
        answer_form.answer.data = reverse.get(mine.partstat)
    action_form = ActionItemForm()
    action_form.owner.choices = select_choices((u.id, u.display_name) for u in _active_users())
    visible_items = call.agenda_for(current_user)
    attendances = sorted(call.attendances, key=lambda a: (a.partstat.value, a.user.display_name))
    return render_template(
        "calls/call.html",
        call=call,
        mine=mine,
        attendances=attendances,
        counts=services.counts(call),
        answer_form=answer_form,
        agenda_form=AgendaItemForm(),
        minutes_form=MinutesForm(minutes=call.minutes),
        action_form=action_form,
        status_form=ActionStatusForm(),
        reschedule_form=RescheduleForm(),
        form=ButtonForm(),
        items=visible_items,
        now=utcnow(),
        Partstat=Partstat,
        organiser_zone=call.series.organiser.timezone,
    )


def _closed_message(call: Call) -> str:
    """Why answers to ``call`` are no longer taken."""
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
    if call.status is not CallStatus.CONFIRMED:
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
    mail scanners that open links never answer for the member.
    """
    attendance = _rsvp_attendance(call_id, user_id, token)
    if attendance is None:
        return render_template("calls/rsvp_invalid.html"), 400
    if attendance.call.status is not CallStatus.CONFIRMED:
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
    status = INVALID if form.is_submitted() else 200
    return render_template("calls/rsvp.html", attendance=attendance, form=form, done=False), status


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
    review = review_start(services.plan_input(call.series, besides=call), start, utcnow())
    if not review.accepted:
        return _refused(review, back)
    if review.warnings and form.acknowledged.data != "1":
        return _to_acknowledge(review, form, url_for("calls.reschedule", call_id=call.id), back)
    try:
        call = services.reschedule(
            call.id, start, then=lambda moved: notifications.queue_invitations(moved, update=True)
        )
    except services.ScheduleConflict:
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
    services.cancel_call(call)
    notifications.queue_cancellations(call)
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
    call.status = CallStatus.HELD
    db.session.commit()
    flash(_("The call is marked as held."), "success")
    return redirect(url_for("calls.call", call_id=call.id))
