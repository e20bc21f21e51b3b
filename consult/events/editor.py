"""The Secretariat creates and edits events, their agenda sessions and their held seats."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from consult.accounts.roles import secretariat_required
from consult.events import allocation, bp, decisions, notifications
from consult.events.editor_forms import (
    EventForm,
    SeatRuleForm,
    SessionForm,
    to_local,
    to_utc,
)
from consult.events.models import (
    Event,
    EventKind,
    EventSession,
    SeatRule,
    SessionDocument,
)
from consult.events.views import constituency_pairs
from consult.extensions import db
from consult.forms import INVALID, ButtonForm

#: Fields whose change makes calendars update the invitation (SEQUENCE is raised).
SCHEDULE_FIELDS = ("starts_at", "ends_at", "venue", "title", "timezone")


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


#: The session form shares the page with the event's own form, and field names with it:
#: its fields are prefixed, so that no id is given twice.
SESSION_PREFIX = "session"


def _page(event: Event | None, form: EventForm, status: int = 200):
    zone = event.timezone if event else form.timezone.data
    session_form = SessionForm(formdata=None, prefix=SESSION_PREFIX)
    rule_form = SeatRuleForm(formdata=None)
    rule_form.fill_choices(constituency_pairs())
    return render_template(
        "events/admin_edit.html",
        event=event,
        form=form,
        session_form=session_form,
        rule_form=rule_form,
        action_form=ButtonForm(),
        zone=zone,
    ), status


def _slug_taken(slug: str, event: Event | None) -> bool:
    other = db.session.scalar(select(Event).where(Event.slug == slug))
    return other is not None and other is not event


@bp.route("/events/admin/new", methods=["GET", "POST"])
@secretariat_required
def admin_new():
    """Create an event (unpublished until the Secretariat says so)."""
    form = EventForm()
    form.fill_choices(str(get_locale()))
    if request.method == "GET":
        form.timezone.data = current_app.config["DEFAULT_TIMEZONE"]
    if form.validate_on_submit():
        if _slug_taken(form.slug.data, None):
            form.slug.errors.append(_("Another event already has this address."))
        else:
            event = Event(sequence=0)
            _apply(form, event)
            event.capacity = form.capacity.data
            db.session.add(event)
            db.session.commit()
            flash(_("The event is created."), "success")
            return redirect(url_for("events.admin_edit", event_id=event.id), 303)
    return _page(None, form, INVALID if form.is_submitted() else 200)


def _apply(form: EventForm, event: Event) -> None:
    zone = form.timezone.data
    event.title = form.title.data.strip()
    event.slug = form.slug.data
    event.kind = EventKind(form.kind.data)
    event.description = form.description.data or ""
    event.translations = form.translations.form.collected()
    event.venue = (form.venue.data or "").strip()
    event.timezone = zone
    event.starts_at = to_utc(form.starts_at.data, zone)
    event.ends_at = to_utc(form.ends_at.data, zone)
    event.registration_opens_at = to_utc(form.registration_opens_at.data, zone)
    event.registration_closes_at = to_utc(form.registration_closes_at.data, zone)
    event.published = form.published.data
    event.approval_required = form.approval_required.data
    event.confirm_address = form.confirm_address.data
    event.invitation_only = form.invitation_only.data
    event.remind_days_before = form.remind_days_before.data
    event.practice = form.practice.data


@bp.route("/events/admin/<int:event_id>/edit", methods=["GET", "POST"])
@secretariat_required
def admin_edit(event_id: int):
    """Edit an event; a new title, time or place raises the invitation's SEQUENCE and sends
    every confirmed participant the update."""
    event = _event(event_id)
    form = EventForm(obj=event)
    form.fill_choices(str(get_locale()))
    if request.method == "GET":
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            getattr(form, name).data = to_local(getattr(event, name), event.timezone)
    if form.validate_on_submit():
        if _slug_taken(form.slug.data, event):
            form.slug.errors.append(_("Another event already has this address."))
            return _page(event, form, INVALID)
        before = {name: getattr(event, name) for name in SCHEDULE_FIELDS}
        _apply(form, event)
        changed = any(getattr(event, name) != value for name, value in before.items())
        updates = 0
        if changed:  # every copy must follow: a stale one would answer an old SEQUENCE
            event.sequence += 1
            updates = notifications.queue_updates(event)  # queued with the change itself
        db.session.commit()
        if form.capacity.data != event.capacity:
            try:
                decisions.set_capacity(
                    event.id, form.capacity.data, then=notifications.queue_promotions
                )
            except allocation.RegistrationRefused as refusal:
                form.capacity.errors.append(str(refusal))
                return _page(event, form, INVALID)
        if updates:
            flash(_("Updated invitation on its way to %(count)d people.", count=updates), "info")
        flash(_("The event is saved."), "success")
        return redirect(url_for("events.admin_edit", event_id=event.id), 303)
    return _page(event, form, INVALID if form.is_submitted() else 200)


def _whole_days_changed(event: Event) -> None:
    """The first session came or the last went: the whole event is now written as whole days
    (or again with its hours, see :mod:`consult.events.calendar`), so every copy is updated."""
    event.sequence += 1
    notifications.queue_updates(event)


@bp.post("/events/admin/<int:event_id>/sessions")
@secretariat_required
def admin_add_session(event_id: int):
    """Add a session to the agenda."""
    event = _event(event_id)
    form = SessionForm(prefix=SESSION_PREFIX)
    if not form.validate_on_submit():
        for field in form:
            for error in field.errors:
                flash(f"{field.label.text}: {error}", "error")
        return redirect(url_for("events.admin_edit", event_id=event.id), 303)
    first = not event.sessions
    session = EventSession(
        event=event,
        title=form.title.data.strip(),
        starts_at=to_utc(form.starts_at.data, event.timezone),
        ends_at=to_utc(form.ends_at.data, event.timezone),
        room=(form.room.data or "").strip(),
        speakers=form.speakers.data or "",
        description=form.description.data or "",
        translations=form.translations.form.collected(),
        position=len(event.sessions),
    )
    for position, (title, citation, url) in enumerate(form.parsed_documents()):
        session.documents.append(
            SessionDocument(title=title, citation=citation, url=url, position=position)
        )
    db.session.add(session)
    if first:
        _whole_days_changed(event)
    db.session.commit()
    flash(_("Session added."), "success")
    return redirect(url_for("events.admin_edit", event_id=event.id), 303)


@bp.post("/events/admin/<int:event_id>/sessions/<int:session_id>/delete")
@secretariat_required
def admin_delete_session(event_id: int, session_id: int):
    """Remove a session from the agenda."""
    event = _event(event_id)
    session = db.session.get(EventSession, session_id)
    if session is None or session.event_id != event.id or not ButtonForm().validate_on_submit():
        abort(404)
    db.session.delete(session)
    db.session.flush()
    db.session.refresh(event)
    if not event.sessions:
        _whole_days_changed(event)
    db.session.commit()
    flash(_("Session removed."), "success")
    return redirect(url_for("events.admin_edit", event_id=event.id), 303)


@bp.post("/events/admin/<int:event_id>/rules")
@secretariat_required
def admin_add_rule(event_id: int):
    """Hold seats for a constituency or a country group (under the event's lock)."""
    event = _event(event_id)
    form = SeatRuleForm()
    form.fill_choices(constituency_pairs())
    if not form.validate_on_submit():
        for field in form:
            for error in field.errors:
                flash(f"{field.label.text}: {error}", "error")
        return redirect(url_for("events.admin_edit", event_id=event.id), 303)
    kind, _sep, value = form.beneficiary.data.partition(":")
    release_at = to_utc(form.release_at.data, event.timezone)

    def work() -> None:
        locked = allocation.lock_event(event.id)
        held = sum(rule.seats for rule in locked.seat_rules) + form.seats.data
        if held > locked.capacity:
            raise allocation.RegistrationRefused(
                _("Seats held in all (%(held)d) cannot exceed the capacity.", held=held)
            )
        rule = SeatRule(event_id=locked.id, seats=form.seats.data, release_at=release_at)
        if kind == "group":
            rule.country_group = value
        else:
            rule.constituency_id = int(value)
        rule.taken = allocation.confirmed_of(rule)
        db.session.add(rule)

    try:
        allocation.in_seat_transaction(work)
    except allocation.RegistrationRefused as refusal:
        flash(str(refusal), "error")
    else:
        flash(_("Seats held."), "success")
    return redirect(url_for("events.admin_edit", event_id=event.id), 303)


@bp.post("/events/admin/<int:event_id>/rules/<int:rule_id>/delete")
@secretariat_required
def admin_delete_rule(event_id: int, rule_id: int):
    """Stop holding seats; any seat this frees goes to those waiting."""
    event = _event(event_id)
    if not ButtonForm().validate_on_submit():
        abort(400)

    def work():
        locked = allocation.lock_event(event.id)
        rule = db.session.get(SeatRule, rule_id)
        if rule is None or rule.event_id != locked.id:
            abort(404)
        db.session.delete(rule)
        db.session.flush()
        db.session.refresh(locked)
        return allocation.fill_seats(locked, allocation.utcnow())

    allocation.in_seat_transaction(work, then=notifications.queue_promotions)
    flash(_("Seats no longer held."), "success")
    return redirect(url_for("events.admin_edit", event_id=event.id), 303)
