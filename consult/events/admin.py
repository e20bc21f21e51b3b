"""The Secretariat's view of registrations: counts, list, export, decisions, messages."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from consult.accounts.roles import member_required, secretariat_required
from consult.events import (
    allocation,
    bp,
    decisions,
    exports,
    messages,
    notifications,
    places,
    questions,
    stats,
)
from consult.events.forms import CapacityForm, MessageForm
from consult.events.managers import event_manager_required, managed_event_ids
from consult.events.models import Event, FormAnswer, Registration, Status
from consult.events.views import constituency_pairs
from consult.extensions import db
from consult.forms import INVALID, ButtonForm


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    g.page_timezone = event.timezone
    return event


def _registrations(event: Event, query: str = "", status: str = "") -> list[Registration]:
    statement = (
        select(Registration)
        .where(Registration.event_id == event.id)
        .options(selectinload(Registration.constituency), selectinload(Registration.answers))
        .order_by(Registration.arrival)
    )
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            or_(
                func.lower(Registration.name).like(pattern),
                Registration.email.like(pattern),
                func.lower(Registration.organisation).like(pattern),
            )
        )
    if status in {s.value for s in Status}:
        statement = statement.where(Registration.status == Status(status))
    return list(db.session.scalars(statement))


@bp.get("/events/admin")
@member_required
def admin_index():
    """Every event, published or not, with its counts (for a manager, the events they manage)."""
    statement = select(Event).order_by(Event.starts_at.desc())
    if not current_user.is_secretariat:
        statement = statement.where(Event.id.in_(managed_event_ids(current_user) or {0}))
    events = db.session.scalars(statement).all()
    if not events and not current_user.is_secretariat:
        abort(403)
    known = stats.status_counts_by_event()
    counts = {event.id: known.get(event.id) or stats.by_status(()) for event in events}
    return render_template("events/admin_index.html", events=events, counts=counts)


@bp.get("/events/admin/<int:event_id>")
@event_manager_required
def admin_event(event_id: int):
    """Counts with bars, the searchable list and the actions."""
    event = _event(event_id)
    questions_asked = event.form_fields  # loaded once: each answer finds its question here
    everyone = _registrations(event)
    query, status = _filters()
    shown = _registrations(event, query, status) if (query or status) else everyone
    return render_template(
        "events/admin_event.html",
        event=event,
        status_bars=stats.bars(stats.by_status(everyone), dict(Status.choices())),
        constituency_bars=stats.bars(stats.by_constituency(everyone)),
        group_bars=stats.bars(stats.by_group(everyone), stats.group_labels()),
        registrations=shown,
        total=len(everyone),
        query=query,
        status=status,
        filters={key: value for key, value in (("q", query), ("status", status)) if value},
        statuses=list(Status),
        action_form=ButtonForm(),
        capacity_form=CapacityForm(capacity=event.capacity),
        mailings=messages.log(event),
        questions_asked=questions_asked,
        places=places.of(event),
        days=stats.by_day(everyone, event.timezone),
    )


def _filters() -> tuple[str, str]:
    """The dashboard's search and status filter, as the page's address gives them."""
    return request.args.get("q", "").strip()[:100], request.args.get("status", "")


def _export(event: Event, extension: str, mimetype: str, body: bytes) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{event.slug}-registrations.{extension}"'
        },
    )


@bp.get("/events/admin/<int:event_id>/registrations.csv")
@event_manager_required
def admin_csv(event_id: int):
    """The registrations the dashboard shows, as CSV (UTF-8 with a byte-order mark)."""
    event = _event(event_id)
    rows = _registrations(event, *_filters())
    body = exports.to_csv(rows, event.form_fields)
    return _export(event, "csv", "text/csv; charset=utf-8", body)


@bp.get("/events/admin/<int:event_id>/registrations.xlsx")
@event_manager_required
def admin_xlsx(event_id: int):
    """The registrations the dashboard shows, as an Excel workbook."""
    event = _event(event_id)
    rows = _registrations(event, *_filters())
    body = exports.to_xlsx(rows, event.form_fields, title=event.slug)
    return _export(event, "xlsx", XLSX, body)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/events/admin/<int:event_id>/answers/<int:answer_id>/file")
@event_manager_required
def admin_answer_file(event_id: int, answer_id: int):
    """A file a registrant sent with a question (a passport copy, say): for the Secretariat only."""
    event = _event(event_id)
    answer = db.session.get(FormAnswer, answer_id)
    if answer is None or answer.registration.event_id != event.id:
        abort(404)
    path = questions.answer_file(answer)
    if path is None:
        abort(404)
    return send_file(path, as_attachment=True, download_name=str(answer.value))


def _back(event_id: int):
    return redirect(url_for("events.admin_event", event_id=event_id), 303)


def _registration_of(event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


def _decision_letters(action: str):
    """What to queue, inside the decision's transaction: the registrant's letter and promotions."""

    def queue(outcome: allocation.Outcome) -> None:
        registration = outcome.registration
        if action == "decline":
            if registration.status is Status.DECLINED:
                notifications.queue_registration(registration, "declined")
        elif registration.status is Status.CONFIRMED:
            kind = "promoted" if action == "promote" else "confirmed"
            notifications.queue_registration(registration, kind)
        elif registration.status is Status.WAITING:
            notifications.queue_registration(registration, "waiting")
        notifications.queue_promotions(outcome.promoted)

    return queue


@bp.post("/events/admin/<int:event_id>/registrations/<int:registration_id>/<action>")
@event_manager_required
def admin_decide(event_id: int, registration_id: int, action: str):
    """Approve, decline or promote one registration."""
    event = _event(event_id)
    registration = _registration_of(event, registration_id)
    if action not in {"approve", "decline", "promote"} or not ButtonForm().validate_on_submit():
        abort(400)
    try:
        outcome = getattr(decisions, action)(registration.id, then=_decision_letters(action))
    except allocation.RegistrationRefused as refusal:
        flash(str(refusal), "error")
        return _back(event.id)
    registration = outcome.registration
    flash(
        _(
            "%(name)s: %(status)s.",
            name=registration.name,
            status=registration.status.label,
        ),
        "success",
    )
    return _back(event.id)


@bp.post("/events/admin/<int:event_id>/fill")
@event_manager_required
def admin_fill(event_id: int):
    """Give free seats to those waiting, in order (after a release date, for example)."""
    event = _event(event_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    promoted = allocation.fill(event.id, then=notifications.queue_promotions)
    flash(_("%(count)d people got a seat.", count=len(promoted)), "success")
    return _back(event.id)


@bp.post("/events/admin/<int:event_id>/capacity")
@secretariat_required
def admin_capacity(event_id: int):
    """Change the number of seats; new seats go to those waiting."""
    event = _event(event_id)
    form = CapacityForm()
    if not form.validate_on_submit():
        flash(" ".join(map(str, form.capacity.errors)) or _("Enter the number of seats."), "error")
        return _back(event.id)
    try:
        decisions.set_capacity(event.id, form.capacity.data, then=notifications.queue_promotions)
    except allocation.RegistrationRefused as refusal:
        flash(str(refusal), "error")
        return _back(event.id)
    flash(_("Seats: %(count)d.", count=form.capacity.data), "success")
    return _back(event.id)


@bp.route("/events/admin/<int:event_id>/message", methods=["GET", "POST"])
@event_manager_required
def admin_message(event_id: int):
    """Write to a group of registrants (by status, constituency, country group); kept in a log."""
    event = _event(event_id)
    audience = messages.Audience.from_args(request.args)
    recipients = messages.recipients(event, audience)
    form = MessageForm()
    if form.validate_on_submit():
        if not recipients:
            flash(_("Nobody is in this group: choose another before sending."), "error")
        else:
            author = current_user._get_current_object()
            mailing = messages.new_mailing(
                event, audience, form.subject.data, form.body.data, author
            )
            notifications.queue_mailing(mailing, recipients)
            db.session.commit()
            flash(
                ngettext(
                    "Your message is on its way to %(num)d person.",
                    "Your message is on its way to %(num)d people.",
                    len(recipients),
                ),
                "success",
            )
            return redirect(url_for("events.admin_event", event_id=event.id, _anchor="messages"))
    status = INVALID if form.is_submitted() else 200
    return render_template(
        "events/admin_message.html",
        event=event,
        form=form,
        audience=audience,
        recipients=recipients,
        statuses=messages.STATUSES,
        constituencies=constituency_pairs(),
        groups=stats.group_labels(),
        body_hint=messages.BODY_HINT,
        reply_to=messages.reply_address(current_user),
    ), status


@bp.get("/events/admin/<int:event_id>/participants")
@event_manager_required
def admin_participants(event_id: int):
    """The printable participant list: confirmed people who agreed to be listed."""
    event = _event(event_id)
    listed = [r for r in _registrations(event, status="confirmed") if r.consent_listed]
    listed.sort(key=lambda r: (r.name.casefold(), r.arrival))
    return render_template("events/participants.html", event=event, participants=listed)
