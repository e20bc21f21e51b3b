"""When members can meet: their away dates, and the days closed for everyone."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.accounts.roles import member_required, secretariat_required
from consult.calls import bp
from consult.calls.forms import AwayForm, HolidayForm
from consult.calls.models import AwayPeriod, Holiday
from consult.extensions import db
from consult.forms import ButtonForm, render_form


@bp.route("/calls/away", methods=["GET", "POST"])
@member_required
def away():
    """A member lists the dates they cannot take calls."""
    form = AwayForm()
    if form.validate_on_submit():
        db.session.add(
            AwayPeriod(
                user=current_user._get_current_object(),
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                note=form.note.data or "",
            )
        )
        db.session.commit()
        flash(_("Your away dates are saved."), "success")
        return redirect(url_for("calls.away"))
    periods = db.session.scalars(
        select(AwayPeriod)
        .where(AwayPeriod.user_id == current_user.id)
        .order_by(AwayPeriod.starts_on)
    ).all()
    return render_form("calls/away.html", form, periods=periods, delete_form=ButtonForm())


@bp.post("/calls/away/<int:period_id>/delete")
@member_required
def delete_away(period_id: int):
    """Remove one of one's own away periods."""
    period = db.get_or_404(AwayPeriod, period_id)
    if period.user_id != current_user.id:
        abort(403)
    if not ButtonForm().validate_on_submit():
        abort(400)
    db.session.delete(period)
    db.session.commit()
    return redirect(url_for("calls.away"))


@bp.route("/calls/holidays", methods=["GET", "POST"])
@secretariat_required
def holidays():
    """The Secretariat's days closed for everyone."""
    form = HolidayForm()
    if form.validate_on_submit():
        if db.session.scalar(select(Holiday).where(Holiday.day == form.day.data)):
            form.day.errors.append(_("This day is already a holiday."))
        else:
            db.session.add(Holiday(day=form.day.data, name=form.name.data))
            db.session.commit()
            flash(_("The holiday is saved."), "success")
            return redirect(url_for("calls.holidays"))
    days = db.session.scalars(select(Holiday).order_by(Holiday.day)).all()
    return render_form("calls/holidays.html", form, days=days, delete_form=ButtonForm())


@bp.post("/calls/holidays/<int:holiday_id>/delete")
@secretariat_required
def delete_holiday(holiday_id: int):
    """Open a day again."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    db.session.delete(db.get_or_404(Holiday, holiday_id))
    db.session.commit()
    return redirect(url_for("calls.holidays"))
