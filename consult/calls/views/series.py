"""Series and the planner: the list of calls, creating and editing a series, planning the next call."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from consult.accounts.models import User
from consult.accounts.roles import member_required, secretariat_required
from consult.calls import bp, lifecycle, polls, services
from consult.calls.forms import ConfirmForm, SeriesForm
from consult.calls.grid import day_grid
from consult.calls.models import Call, CallSeries, CallStatus
from consult.calls.planner import best_on_day, explain, plan_call, window
from consult.calls.poll_models import Availability
from consult.database import utcnow
from consult.extensions import db
from consult.forms import ButtonForm, render_form, select_choices


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
    return render_template(
        "calls/index.html",
        series=series,
        upcoming=upcoming,
        past=past,
        polls=polls.waiting_for(current_user._get_current_object(), now),
    )


def _series_form(series: CallSeries | None) -> SeriesForm:
    form = SeriesForm(obj=series)
    form.members.choices = select_choices((u.id, u.display_name) for u in services.active_users())
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
                series = CallSeries(organiser=current_user._get_current_object(), bridge="")
                db.session.add(series)
            bridge = series.bridge
            members = form.members.data
            del form.members
            form.populate_obj(series)
            users = db.session.scalars(select(User).where(User.id.in_(members or []))).all()
            services.set_members(series, list(users))
            changed = []
            if series.id and (series.bridge or "").split() != (bridge or "").split():
                changed = lifecycle.bridge_changed(series)
            db.session.commit()
            flash(_("The series is saved."), "success")
            if changed:
                flash(
                    ngettext(
                        "The new joining details are on their way to the invitees of %(num)d call.",
                        "The new joining details are on their way to the invitees of %(num)d calls.",
                        len(changed),
                    ),
                    "info",
                )
            return redirect(url_for("calls.plan", series_id=series.id))
    return render_form("calls/series_form.html", form, series=series)


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


@bp.get("/calls/series/<int:series_id>/plan")
@secretariat_required
def plan(series_id: int):
    """The planner: the best slots in the window, explained, and a day grid."""
    series = db.get_or_404(CallSeries, series_id)
    g.page_timezone = series.organiser.timezone
    now = utcnow()
    poll = polls.open_poll(series)
    asked = [slot.starts_at for slot in poll.slots] if poll else []
    data = services.plan_input(series, now, covering=asked)
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
        poll=polls.summarise(poll, data, now) if poll else None,
        last_poll=None if poll else polls.latest_poll(series),
        button=ButtonForm(),
        Availability=Availability,
    )
