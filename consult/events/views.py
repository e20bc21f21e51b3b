"""Public pages: the events, their agendas, registration and the private manage link."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.accounts.models import Constituency
from consult.errors import render_error
from consult.events import allocation, bp, notifications
from consult.events.agenda import timetable
from consult.events.calendar import agenda_calendar
from consult.events.forms import RegisterForm, RegistrationFields
from consult.events.models import ACTIVE_STATUSES, Event, EventSession, Registration, Status
from consult.extensions import db, limiter
from consult.forms import INVALID, ButtonForm
from consult.i18n.locales import current_language
from consult.tokens import InvalidToken


def constituency_pairs() -> list[tuple[int, str]]:
    """(id, name) of every constituency, in their order."""
    rows = db.session.scalars(select(Constituency).order_by(Constituency.position))
    return [(c.id, c.name) for c in rows]


def visible_event(slug: str, detail: str | None = None, *, agenda: bool = False) -> Event:
    """The event at ``slug``; unpublished ones exist only for the Secretariat (404 with ``detail``).

    With ``agenda``, its sessions and their documents come in the same few queries.
    """
    statement = select(Event).where(Event.slug == slug)
    if agenda:
        statement = statement.options(
            selectinload(Event.sessions).selectinload(EventSession.documents)
        )
    event = db.session.scalar(statement)
    secretariat = current_user.is_authenticated and current_user.is_secretariat
    if event is None or not (event.published or secretariat):
        abort(make_response(*render_error(404, detail)))
    g.page_timezone = event.timezone
    return event


@bp.get("/events")
def index():
    """Published events, the next first."""
    events = db.session.scalars(
        select(Event).where(Event.published.is_(True)).order_by(Event.starts_at.desc())
    ).all()
    return render_template("events/index.html", events=events, state=allocation.registration_state)


@bp.get("/events/<slug>")
def show(slug: str):
    """An event's description, agenda and how to register."""
    event = visible_event(slug, agenda=True)
    return render_template(
        "events/show.html",
        event=event,
        days=timetable(event.sessions, str(get_timezone())),
        closed=allocation.registration_state(event),
    )


@bp.get("/events/<slug>/agenda.ics")
def agenda_ics(slug: str):
    """The whole event and its sessions as an .ics file."""
    event = visible_event(slug, agenda=True)
    return Response(
        agenda_calendar(event),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}.ics"'},
    )


def _letter_kind(registration: Registration) -> str:
    return {
        Status.CONFIRMED: "confirmed",
        Status.WAITING: "waiting",
        Status.PENDING: "pending",
    }.get(registration.status, "cancelled")


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"], methods=["POST"])
def register(slug: str):
    """Register without an account; the answer and the e-mail say where the registrant stands."""
    event = visible_event(
        slug, _("There is no published event at this address, so registration is not possible.")
    )
    closed = allocation.registration_state(event)
    form = RegisterForm()
    form.fill_choices(str(get_locale()), constituency_pairs())
    if closed:
        status = 403 if request.method == "POST" else 200
        return render_template(
            "events/register.html", event=event, form=None, closed=closed
        ), status
    if form.validate_on_submit():
        data = allocation.RegistrationForm(
            name=form.name.data,
            email=form.email.data,
            organisation=form.organisation.data,
            constituency_id=form.constituency.data,
            country=form.country.data,
            position=form.position.data or "",
            accessibility_needs=form.accessibility_needs.data or "",
            consent_listed=form.consent_listed.data,
            language=current_language(),
        )
        # what the answer needs, noted before the commit expires the registration
        seen: dict = {}

        def then(outcome: allocation.Outcome) -> None:
            _queue_letters(outcome)
            registration = outcome.registration
            seen.update(
                status=registration.status,
                token=notifications.manage_token(registration),
            )

        try:
            allocation.register(event.id, data, then=then)
        except allocation.RegistrationRefused as refusal:
            if refusal.field == "email":
                form.email.errors.append(_refusal_for(event, data.email, refusal))
            else:
                return render_template(
                    "events/register.html", event=event, form=None, closed=str(refusal)
                ), 403
        else:
            # the page this leads to gives the place on the waiting list
            flash(_status_message(seen["status"]), "success")
            return redirect(url_for("events.manage", token=seen["token"]), 303)
    status = INVALID if form.is_submitted() else 200
    return render_template("events/register.html", event=event, form=form, closed=None), status


def _queue_letters(outcome: allocation.Outcome) -> None:
    """Inside the registration's transaction: the registrant's letter, and those seated first."""
    notifications.queue_promotions(outcome.promoted)
    notifications.queue_registration(outcome.registration, _letter_kind(outcome.registration))


def _refusal_for(event: Event, email: str, refusal: allocation.RegistrationRefused) -> str:
    """Why the address is refused; an address already registered gets its private link again.

    Sending the link answers the registrant who lost it, and gives this answer the
    same work as a new registration's: a letter queued, nothing sent from here.
    """
    existing = db.session.scalar(
        select(Registration).where(
            Registration.event_id == event.id,
            Registration.email == email.strip().lower(),
            Registration.status.in_(ACTIVE_STATUSES),
        )
    )
    if existing is None:
        return str(refusal)
    notifications.queue_link_again(existing)
    db.session.commit()
    return _(
        "This e-mail address is already registered for this event. We have e-mailed its "
        "private link again, to see or change the registration."
    )


def _status_message(status: Status) -> str:
    if status is Status.CONFIRMED:
        return _("Your seat is confirmed. An e-mail with the calendar invitation is on its way.")
    if status is Status.WAITING:
        return _(
            "The event is full: you are on the waiting list. "
            "We will e-mail you if a seat becomes yours."
        )
    if status is Status.PENDING:
        return _("Your registration awaits the Secretariat's approval. We will e-mail you.")
    return _("Your registration is cancelled.")


def _registration_or_refuse(token: str):
    try:
        return notifications.registration_for_token(token), None
    except InvalidToken as error:
        return None, (render_template("events/link_invalid.html", reason=str(error)), 400)


@bp.route("/events/registration/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"], methods=["POST"])
def manage(token: str):
    """A registrant sees, corrects or cancels their registration through their private link."""
    registration, refusal = _registration_or_refuse(token)
    if refusal:
        return refusal
    event = registration.event
    g.page_timezone = event.timezone
    form = RegistrationFields(obj=registration)
    form.fill_choices(str(get_locale()), constituency_pairs())
    if request.method == "GET":
        form.constituency.data = registration.constituency_id
    active = registration.status in (Status.CONFIRMED, Status.WAITING, Status.PENDING)
    if active and form.validate_on_submit():
        changes = {name: getattr(form, name).data for name in allocation.CORRECTABLE}
        try:
            allocation.correct(
                registration.id,
                changes,
                then=lambda outcome: notifications.queue_promotions(outcome.promoted),
            )
        except allocation.RegistrationRefused as refusal_message:
            getattr(form, refusal_message.field or "country").errors.append(str(refusal_message))
        else:
            flash(_("Your corrections are saved."), "success")
            return redirect(url_for("events.manage", token=token), 303)
    status = INVALID if form.is_submitted() else 200
    return render_template(
        "events/manage.html",
        event=event,
        registration=registration,
        form=form,
        active=active,
        position=allocation.waiting_position(registration),
        cancel_form=ButtonForm(),
        token=token,
    ), status


@bp.post("/events/registration/<token>/cancel")
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"])
def cancel(token: str):
    """Cancel through the private link; a freed seat goes to the first eligible person waiting."""
    registration, refusal = _registration_or_refuse(token)
    if refusal:
        return refusal
    if not ButtonForm().validate_on_submit():
        abort(400)
    if registration.status in ACTIVE_STATUSES:
        allocation.cancel(registration.id, then=_queue_cancellation)
    flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("events.manage", token=token), 303)


def _queue_cancellation(outcome: allocation.Outcome) -> None:
    """Inside the cancellation's transaction: its letter, and the invitations of those seated."""
    notifications.queue_registration(outcome.registration, "cancelled")
    notifications.queue_promotions(outcome.promoted)
