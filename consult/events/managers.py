"""Delegated managers: members the Secretariat names to run one event's registrations.

A manager may open the event's registrations, form, invitations and messages, and nothing else:
the event itself, its capacity and held seats, other events and other capabilities stay with
the Secretariat. Every events admin view is guarded by :func:`event_manager_required` (or by
the Secretariat's own decorator where managers have no business).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import ForeignKey, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from wtforms import EmailField
from wtforms.validators import DataRequired, Email, Length

from consult.accounts.models import Role, User
from consult.accounts.roles import secretariat_required
from consult.database import utcnow
from consult.events import bp
from consult.events.models import Event
from consult.extensions import db, login_manager
from consult.forms import ButtonForm

F = TypeVar("F", bound=Callable[..., Any])


class EventManager(db.Model):
    """One member named manager of one event."""

    __tablename__ = "event_managers"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("event_id", "user_id", name="one_manager_row"),)


def is_manager(user: Any, event_id: int) -> bool:
    """Whether ``user`` may manage the registrations of event ``event_id``."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role is Role.SECRETARIAT:
        return True
    return (
        db.session.scalar(
            select(EventManager.id).where(
                EventManager.event_id == event_id, EventManager.user_id == user.id
            )
        )
        is not None
    )


def managed_event_ids(user: Any) -> set[int]:
    """The events ``user`` was named manager of."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        db.session.scalars(select(EventManager.event_id).where(EventManager.user_id == user.id))
    )


def event_manager_required(view: F) -> F:
    """Let through the Secretariat and the managers of the event named by ``event_id``.

    Anonymous visitors are sent to sign in; anyone else gets 403 (also for an event that does not
    exist, so that a manager cannot learn which numbers are taken).
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not is_manager(current_user, kwargs["event_id"]):
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


class ManagerForm(FlaskForm):
    """The Secretariat names a member by e-mail address."""

    email = EmailField(
        _l("Member's e-mail address"),
        validators=[DataRequired(), Email(), Length(max=254)],
    )


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    g.page_timezone = event.timezone
    return event


def _managers(event: Event) -> list[EventManager]:
    return list(
        db.session.scalars(
            select(EventManager)
            .where(EventManager.event_id == event.id)
            .join(EventManager.user)
            .order_by(func.lower(User.display_name))
        )
    )


def _page(event: Event, form: ManagerForm, status: int = 200):
    return (
        render_template(
            "events/admin_managers.html",
            event=event,
            form=form,
            managers=_managers(event),
            action_form=ButtonForm(),
        ),
        status,
    )


@bp.route("/events/admin/<int:event_id>/managers", methods=["GET", "POST"])
@secretariat_required
def admin_managers(event_id: int):
    """The Secretariat names and removes the managers of one event."""
    event = _event(event_id)
    form = ManagerForm()
    if not form.validate_on_submit():
        return _page(event, form, 400 if form.is_submitted() else 200)
    email = form.email.data.strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None or not user.active:
        form.email.errors.append(_("No active member has this address."))
        return _page(event, form, 400)
    if user.role is Role.SECRETARIAT:
        form.email.errors.append(_("The Secretariat already manages every event."))
        return _page(event, form, 400)
    if not is_manager(user, event.id):
        db.session.add(EventManager(event_id=event.id, user_id=user.id))
        db.session.commit()
    flash(_("%(name)s now manages this event.", name=user.display_name), "success")
    return redirect(url_for("events.admin_managers", event_id=event.id))


@bp.post("/events/admin/<int:event_id>/managers/<int:manager_id>/remove")
@secretariat_required
def admin_remove_manager(event_id: int, manager_id: int):
    """Take a member's management of the event away."""
    event = _event(event_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    manager = db.session.get(EventManager, manager_id)
    if manager is None or manager.event_id != event.id:
        abort(404)
    name = manager.user.display_name
    db.session.delete(manager)
    db.session.commit()
    flash(_("%(name)s no longer manages this event.", name=name), "success")
    return redirect(url_for("events.admin_managers", event_id=event.id))
