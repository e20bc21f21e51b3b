"""The Secretariat's invitation list for an invitation-only event: upload, follow, send."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import BooleanField, DateField
from wtforms.validators import InputRequired

from consult.database import utcnow
from consult.events import bp, invitations
from consult.events.editor_forms import to_utc
from consult.events.managers import event_manager_required
from consult.events.models import Event, Invitation
from consult.extensions import db
from consult.forms import INVALID, ButtonForm

#: The largest list accepted, in bytes.
MAX_LIST_BYTES = 2 * 1024 * 1024


class InvitationListForm(FlaskForm):
    """A CSV list of people to invite, how long their links work, and whether to send now."""

    file = FileField(_l("Invitation list (CSV)"))
    expires_on = DateField(
        _l("The links work until (inclusive)"),
        validators=[InputRequired(message=_l("Enter the last day the links work."))],
    )
    send = BooleanField(_l("Send the invitations now"), default=True)


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    g.page_timezone = event.timezone
    return event


def _page(event: Event, form: InvitationListForm, errors: list[str], status: int = 200):
    rows = db.session.scalars(
        select(Invitation).where(Invitation.event_id == event.id).order_by(Invitation.email)
    ).all()
    return render_template(
        "events/admin_invitations.html",
        event=event,
        form=form,
        errors=errors,
        invitations=rows,
        now=utcnow(),
        action_form=ButtonForm(),
    ), status


def _default_expiry(event: Event) -> date:
    """The day registration closes, in the event's zone."""
    closes = event.registration_closes_at or event.starts_at
    return closes.astimezone(ZoneInfo(event.timezone)).date()


@bp.route("/events/admin/<int:event_id>/invitations", methods=["GET", "POST"])
@event_manager_required
def admin_invitations(event_id: int):
    """Upload the list (each bad line named, nothing kept until it is right), see who is invited."""
    event = _event(event_id)
    form = InvitationListForm()
    if not form.is_submitted():
        form.expires_on.data = _default_expiry(event)
    errors: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_LIST_BYTES + 1) if upload else b""
        if not data:
            errors = [_("Choose the CSV file of the invitation list.")]
        elif len(data) > MAX_LIST_BYTES:
            errors = [_("The file is larger than 2 MB: split the list.")]
        else:
            found = invitations.read_list(data)
            errors = found.errors
            if not errors:
                last_day = datetime.combine(form.expires_on.data + timedelta(days=1), time())
                added, known = invitations.keep(
                    event, found.invitees, to_utc(last_day, event.timezone)
                )
                db.session.flush()
                sent = invitations.queue_unsent(event) if form.send.data else 0
                db.session.commit()
                flash(
                    _(
                        "%(added)d invited, %(known)d already on the list, %(sent)d invitations "
                        "on their way.",
                        added=added,
                        known=known,
                        sent=sent,
                    ),
                    "success",
                )
                return redirect(url_for("events.admin_invitations", event_id=event.id), 303)
    status = INVALID if form.is_submitted() and (errors or form.errors) else 200
    return _page(event, form, errors, status)


@bp.post("/events/admin/<int:event_id>/invitations/send")
@event_manager_required
def admin_send_invitations(event_id: int):
    """Send every invitation not sent yet."""
    event = _event(event_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    sent = invitations.queue_unsent(event)
    db.session.commit()
    flash(_("%(sent)d invitations on their way.", sent=sent), "success")
    return redirect(url_for("events.admin_invitations", event_id=event.id), 303)
