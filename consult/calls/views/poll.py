"""The availability poll: the Secretariat asks, members answer (signed in or by link), a slot is confirmed."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from consult.accounts.roles import member_required, secretariat_required
from consult.calls import bp, poll_notifications, polls, services
from consult.calls.forms import ConfirmForm, PollForm, poll_answer_form
from consult.calls.models import CallSeries
from consult.calls.planner import plan_call
from consult.calls.poll_models import Availability, Poll, PollInvitee, PollStatus
from consult.calls.views.lifecycle import confirm_start
from consult.database import utcnow
from consult.extensions import db
from consult.forms import INVALID, ButtonForm
from consult.tokens import InvalidToken, read_token


def _closing(form: PollForm, zone: str, starts: list[datetime], now: datetime) -> datetime:
    """The end of the chosen day in the organiser's zone (never after the first slot), or the default."""
    if form.closes_on.data is None:
        return polls.default_closing(now, starts)
    end_of_day = datetime.combine(form.closes_on.data + timedelta(days=1), time(0), ZoneInfo(zone))
    return min(end_of_day, *starts)


@bp.route("/calls/series/<int:series_id>/poll", methods=["GET", "POST"])
@secretariat_required
def new_poll(series_id: int):
    """Choose three to six slots (the planner's or typed) and ask the members when they can meet."""
    series = db.get_or_404(CallSeries, series_id)
    zone = series.organiser.timezone
    g.page_timezone = zone
    now = utcnow()
    form = PollForm()
    candidates = plan_call(services.plan_input(series, now), limit=polls.MAX_SLOTS).candidates
    form.candidates.choices = [(c.start.isoformat(), c.start.isoformat()) for c in candidates]
    problems: list = []
    refused: list = []
    already = polls.open_poll(series)
    if already is None and form.validate_on_submit():
        starts, problems = form.starts(zone)
        if not problems:
            closes_at = _closing(form, zone, starts, now) if starts else now
            problems, refused = polls.problems_with(series, starts, closes_at, now)
        if not problems and not refused:
            try:
                polls.create_poll(
                    series, starts, closes_at, current_user._get_current_object(), now
                )
            except polls.PollAlreadyOpen:
                already = polls.open_poll(series)
            else:
                flash(
                    _("The poll is sent: each member gets the slots in their own time."), "success"
                )
                return redirect(url_for("calls.plan", series_id=series.id, _anchor="poll"))
    status = 200
    if form.is_submitted():
        status = 409 if already is not None else INVALID
    return render_template(
        "calls/poll_new.html",
        series=series,
        form=form,
        candidates=candidates,
        zone=zone,
        problems=problems,
        refused=refused,
        already=already,
        default_closing=polls.default_closing(now, [c.start for c in candidates] or [now]),
    ), status


def _poll_for_secretariat(poll_id: int) -> Poll:
    poll = db.get_or_404(Poll, poll_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    return poll


@bp.post("/calls/polls/<int:poll_id>/close")
@secretariat_required
def close_poll(poll_id: int):
    """Stop the poll without confirming a call: answers and links stop."""
    poll = _poll_for_secretariat(poll_id)
    if poll.status is PollStatus.OPEN:
        polls.close_poll(poll, utcnow())
        db.session.commit()
        flash(_("The poll is closed; its links no longer work."), "success")
    return redirect(url_for("calls.plan", series_id=poll.series_id))


@bp.post("/calls/polls/<int:poll_id>/confirm")
@secretariat_required
def confirm_from_poll(poll_id: int):
    """Confirm one of the poll's slots, through the same checks as any confirm; the poll closes."""
    poll = db.get_or_404(Poll, poll_id)
    form = ConfirmForm()
    back = url_for("calls.plan", series_id=poll.series_id, _anchor="poll")
    start = form.start_moment() if form.validate_on_submit() else None
    if poll.status is not PollStatus.OPEN:
        if poll.call_id is not None:
            flash(_("A call was already confirmed from this poll."), "info")
            return redirect(url_for("calls.call", call_id=poll.call_id))
        flash(_("This poll is closed."), "error")
        return redirect(back)
    if start is None or start not in {slot.starts_at for slot in poll.slots}:
        flash(_("Choose one of the poll's slots."), "error")
        return redirect(back)
    action = url_for("calls.confirm_from_poll", poll_id=poll.id)
    return confirm_start(poll.series, start, form, action, back, poll_id=poll.id)


# --- answering -------------------------------------------------------------------------------


def _answer_page(poll: Poll, invitee: PollInvitee, action: str, *, signed_link: bool):
    """Show the slots in the member's own zone, and record their answers on POST."""
    zone = invitee.user.timezone or "UTC"
    now = utcnow()
    form = poll_answer_form([slot.id for slot in poll.slots])
    open_now = poll.taking_answers(now)
    done = False
    status = 200
    if request.method == "GET":
        for slot_id, choice in polls.answers_of(poll, invitee.user_id).items():
            getattr(form, f"slot-{slot_id}").data = choice.value
    elif not open_now:
        status = 409
    elif not form.validate_on_submit():
        status = INVALID
    else:
        choices = {s.id: Availability(getattr(form, f"slot-{s.id}").data) for s in poll.slots}
        polls.record_answers(poll, invitee, choices, now)
        try:
            db.session.commit()
        except IntegrityError:  # the same answers sent twice at the same moment: one is kept
            db.session.rollback()
            return redirect(action)
        done = True
        if not signed_link:
            flash(_("Your answers are recorded."), "success")
            return redirect(action)
    return render_template(
        "calls/poll.html",
        poll=poll,
        invitee=invitee,
        form=form,
        zone=zone,
        action=action,
        open_now=open_now,
        done=done,
        length=timedelta(minutes=poll.series.duration_minutes),
        fields={slot.id: getattr(form, f"slot-{slot.id}") for slot in poll.slots},
    ), status


@bp.route("/calls/polls/<int:poll_id>", methods=["GET", "POST"])
@member_required
def poll_page(poll_id: int):
    """A member answers the poll on the site; the Secretariat is sent to the planner's view."""
    poll = db.get_or_404(Poll, poll_id)
    invitee = poll.invitee(current_user.id)
    if invitee is None:
        if current_user.is_secretariat:
            return redirect(url_for("calls.plan", series_id=poll.series_id, _anchor="poll"))
        abort(403)
    return _answer_page(
        poll, invitee, url_for("calls.poll_page", poll_id=poll.id), signed_link=False
    )


def _link_invitee(poll_id: int, user_id: int, token: str) -> PollInvitee | None:
    try:
        payload = read_token(poll_notifications.POLL_LINK, token)
    except InvalidToken:
        return None
    if not isinstance(payload, dict) or payload != {"poll": poll_id, "user": user_id}:
        return None
    poll = db.session.get(Poll, poll_id)
    return poll.invitee(user_id) if poll else None


@bp.route("/calls/polls/<int:poll_id>/answer/<int:user_id>/<token>", methods=["GET", "POST"])
def poll_link(poll_id: int, user_id: int, token: str):
    """Answer the poll from the e-mail's link, without signing in.

    Opening the link only shows the form, so mail scanners never answer. The link
    stops working once the poll is closed or past its closing time, and for a
    deactivated member.
    """
    invitee = _link_invitee(poll_id, user_id, token)
    if invitee is None:
        return render_template("calls/poll_link_invalid.html"), 400
    if not invitee.user.active:
        return render_template("calls/poll_link_invalid.html", deactivated=True), 403
    g.page_timezone = invitee.user.timezone
    action = url_for("calls.poll_link", poll_id=poll_id, user_id=user_id, token=token)
    if not invitee.poll.taking_answers(utcnow()):
        return render_template("calls/poll_closed.html", poll=invitee.poll), 409
    return _answer_page(invitee.poll, invitee, action, signed_link=True)
