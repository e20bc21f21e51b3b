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
    session,
    url_for,
)
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.accounts.models import Constituency
from consult.errors import render_error
from consult.events import (
    addresses,
    allocation,
    bp,
    invitations,
    notifications,
    places,
    questions,
)
from consult.events.agenda import timetable
from consult.events.calendar import agenda_calendar
from consult.events.forms import RegisterForm, RegistrationFields
from consult.events.models import ACTIVE_STATUSES, Event, EventSession, Registration, Status
from consult.extensions import db, limiter
from consult.forms import INVALID, ButtonForm
from consult.i18n import country_choices
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
        places=places.of(event),
    )


def _ics(data: bytes, slug: str) -> Response:
    return Response(
        data,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{slug}.ics"'},
    )


@bp.get("/events/<slug>/agenda.ics")
def agenda_ics(slug: str):
    """The event's sessions (or, without sessions, the whole event) as an .ics file."""
    event = visible_event(slug, agenda=True)
    return _ics(agenda_calendar(event), event.slug)


@bp.get("/events/registration/<token>/agenda.ics")
def registration_agenda(token: str):
    """A registrant's agenda file: the sessions and their own entry for the whole event,
    under the UID of their invitation, so that a calendar holding both shows it once."""
    registration, refusal = _registration_or_refuse(token)
    if refusal:
        return refusal
    mine = registration if registration.status is Status.CONFIRMED else None
    return _ics(agenda_calendar(registration.event, mine), registration.event.slug)


def _letter_kind(registration: Registration) -> str:
    return {
        Status.CONFIRMED: "confirmed",
        Status.WAITING: "waiting",
        Status.PENDING: "pending",
        Status.UNCONFIRMED: "unconfirmed",
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
    invitation = None
    if event.invitation_only:
        invitation, refusal = _invitation_or_refuse(event)
        if refusal:
            return refusal
        _fit_to_invitation(form, invitation)
    fields = event.form_fields
    answers = questions.Answers()
    if request.method == "POST":
        answers = questions.read(fields, request.form, request.files)
    if form.validate_on_submit() and answers.valid:
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
        stored = questions.save_files(answers)
        seen: dict = {}

        def then(outcome: allocation.Outcome) -> None:
            if invitation is not None:
                invitations.use(invitation.id, outcome.registration)
            questions.store(outcome.registration, answers, stored)
            _queue_letters(outcome)
            # noted before the commit expires the registration
            seen["registration"] = outcome.registration.id

        try:
            allocation.register(event.id, data, then=then)
        except allocation.RegistrationRefused as refusal:
            questions.discard(stored)
            if refusal.field != "email":
                db.session.rollback()
                return render_template(
                    "events/register.html", event=event, form=None, closed=str(refusal)
                ), 403
            # the refused transaction was rolled back: the link goes in a transaction of its own
            _send_link_again(event, data.email)
            session[RECEIPT] = {"event": event.id, "again": data.email.strip().lower()}
        else:
            session[RECEIPT] = {"event": event.id, "registration": seen["registration"]}
        return redirect(url_for("events.registered", slug=event.slug), 303)
    status = INVALID if form.is_submitted() else 200
    return render_template(
        "events/register.html",
        event=event,
        form=form,
        closed=None,
        places=places.of(event),
        fields=fields,
        answers=answers,
        countries=country_choices(str(get_locale())),
    ), status


def _invitation_or_refuse(event: Event):
    """(the invitation the address carries, None), or (None, the page refusing without one)."""
    token = request.args.get("invitation", "")
    status = 403 if request.method == "POST" else 200
    if not token:
        reason = _(
            "This event is by invitation only: use the personal link in your invitation e-mail."
        )
        return None, (
            render_template("events/register.html", event=event, form=None, closed=reason),
            status,
        )
    try:
        return invitations.invitation_for(token, event), None
    except InvalidToken as error:
        return None, (
            render_template("events/register.html", event=event, form=None, closed=str(error)),
            403,
        )


def _fit_to_invitation(form: RegisterForm, invitation) -> None:
    """The invited address, and the invited constituency if the list names one, are fixed."""
    if request.method == "GET" and invitation.name:
        form.name.data = invitation.name
    form.email.data = invitation.email
    form.email.render_kw = {"readonly": True}
    if invitation.constituency_id:
        form.constituency.data = invitation.constituency_id
        form.constituency.choices = [
            c for c in form.constituency.choices if c.value == invitation.constituency_id
        ]


#: Where the page after submitting finds what this browser just submitted (never the link).
RECEIPT = "events.receipt"


@bp.get("/events/<slug>/registered")
def registered(slug: str):
    """After submitting: where the registrant stands and which mailbox to look in.

    The private link goes to the mailbox only: whoever typed someone else's address
    learns nothing more here than they typed.
    """
    event = visible_event(slug)
    receipt = session.get(RECEIPT) or {}
    registration = None
    if receipt.get("event") == event.id and receipt.get("registration"):
        registration = db.session.get(Registration, receipt["registration"])
    again = receipt.get("again") if receipt.get("event") == event.id else None
    address = registration.email if registration else again
    position = allocation.waiting_position(registration) if registration else None
    return render_template(
        "events/registered.html",
        event=event,
        registration=registration,
        message=_status_message(registration, position) if registration else "",
        address=mask_address(address) if address else None,
    )


def mask_address(address: str) -> str:
    """``p•••@example.org``: enough to recognise one's own address, not to read another's."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}"


def _queue_letters(outcome: allocation.Outcome) -> None:
    """Inside the registration's transaction: the registrant's letter, and those seated first."""
    notifications.queue_promotions(outcome.promoted)
    notifications.queue_registration(outcome.registration, _letter_kind(outcome.registration))


def _send_link_again(event: Event, email: str) -> None:
    """An address already registered: its private link goes to that mailbox, and nowhere else.

    Sending the link answers the registrant who lost it, and gives this answer the
    same work as a new registration's: a letter queued, nothing sent from here.
    """
    existing = db.session.scalar(
        select(Registration).where(
            Registration.event_id == event.id,
            Registration.email == email.strip().lower(),
            Registration.status.in_((*ACTIVE_STATUSES, Status.DECLINED)),
        )
    )
    if existing is not None:
        notifications.queue_link_again(existing)
        db.session.commit()


def _status_message(registration: Registration, position: int | None) -> str:
    if registration.status is Status.CONFIRMED:
        return _("Your seat is confirmed. An e-mail with the calendar invitation is on its way.")
    if registration.status is Status.WAITING:
        return _(
            "The event is full: you are number %(position)d on the waiting list. "
            "We will e-mail you if a seat becomes yours.",
            position=position or 0,
        )
    if registration.status is Status.PENDING:
        return _("Your registration awaits the Secretariat's approval. We will e-mail you.")
    if registration.status is Status.UNCONFIRMED:
        return _(
            "Your registration is not complete yet: follow the link in the e-mail we sent "
            "you to confirm your address. Until then it holds no place."
        )
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
    fields = event.form_fields
    answers = questions.Answers.given(registration.answers)
    if active and request.method == "POST":
        answers = questions.read(fields, request.form, request.files, registration.answers)
    if active and form.validate_on_submit() and answers.valid:
        changes = {name: getattr(form, name).data for name in allocation.CORRECTABLE}
        stored = questions.save_files(answers)
        unused: list[str] = []

        def then(outcome: allocation.Outcome) -> None:
            unused.extend(questions.store(outcome.registration, answers, stored))
            notifications.queue_promotions(outcome.promoted)

        try:
            allocation.correct(registration.id, changes, then=then)
        except allocation.RegistrationRefused as refusal_message:
            db.session.rollback()
            questions.discard(stored)
            getattr(form, refusal_message.field or "country").errors.append(str(refusal_message))
        else:
            questions.discard(unused)
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
        fields=fields,
        answers=answers,
        countries=country_choices(str(get_locale())),
    ), status


@bp.post("/events/registration/<token>/confirm")
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"])
def confirm_address(token: str):
    """The registrant proves their address: the registration joins the queue now.

    A button on the page the link opens, not the link itself: mail scanners that
    open every link in a message must not confirm on the registrant's behalf.
    """
    registration, refusal = _registration_or_refuse(token)
    if refusal:
        return refusal
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        outcome = addresses.confirm(registration.id, then=_queue_confirmation)
    except allocation.RegistrationRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("events.manage", token=token), 303)
    position = allocation.waiting_position(outcome.registration)
    flash(_status_message(outcome.registration, position), "success")
    return redirect(url_for("events.manage", token=token), 303)


def _queue_confirmation(outcome: allocation.Outcome) -> None:
    """Inside the confirmation's transaction: where the registrant now stands, and promotions."""
    notifications.queue_promotions(outcome.promoted)
    notifications.queue_registration(outcome.registration, _letter_kind(outcome.registration))


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
