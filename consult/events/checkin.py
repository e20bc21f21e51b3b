"""Check-in at the door: a badge's code scanned or a name found, arrival recorded once.

The page (``events/checkin.html`` and ``static/js/checkin.js``) keeps the event's confirmed
participants and the scans not yet sent in the phone's storage, so a basement room without
signal does not stop the queue; the scans are sent when the phone is back online. Sending the
same scan twice changes nothing (the first arrival time stays), so the phone may resend
whatever it is unsure of.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select, update

from consult.accounts.roles import member_required
from consult.database import utcnow
from consult.events import bp
from consult.events.admin import _event
from consult.events.badges import badge_token, read_badge_token
from consult.events.managers import event_manager_required, managed_event_ids
from consult.events.models import Event, Registration, Status
from consult.extensions import db
from consult.i18n import country_name
from consult.i18n.formats import clock

#: A scan sent later keeps the time it was made, if no older than this (a day's sessions).
OFFLINE_LIMIT = timedelta(hours=24)
#: At most so many scans in one sync request.
SYNC_LIMIT = 500


class Result(enum.StrEnum):
    """What a scan or a search choice came to."""

    CHECKED_IN = "checked-in"
    ALREADY = "already"
    NOT_CONFIRMED = "not-confirmed"
    OTHER_EVENT = "other-event"
    INVALID = "invalid"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Outcome:
    result: Result
    registration: Registration | None = None

    def as_json(self, event: Event) -> dict[str, Any]:
        """The outcome as the page shows it, with a message in the viewer's language."""
        person = self.registration
        at = person.checked_in_at if person else None
        name = person.name if person else ""
        messages = {
            Result.CHECKED_IN: _("%(name)s is checked in.", name=name),
            Result.ALREADY: _(
                "%(name)s is already checked in at %(time)s.",
                name=name,
                time=clock(at, event.timezone, "HH:mm") if at else "",
            ),
            Result.NOT_CONFIRMED: _("%(name)s has no confirmed seat.", name=name),
            Result.OTHER_EVENT: _("This badge is for another event."),
            Result.INVALID: _("This code is not a badge of this site."),
            Result.UNKNOWN: _("No such registration for this event."),
        }
        return {
            "result": str(self.result),
            "message": messages[self.result],
            "registration": person.id if person else None,
            "checked_in_at": at.isoformat() if at else None,
        }


def _when(value: Any, now: datetime) -> datetime:
    """The moment a scan was made, as the phone says (ISO 8601), if plausible; else now."""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return now
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        if now - OFFLINE_LIMIT <= moment <= now:
            return moment
    return now


def registration_for(event: Event, scan: dict[str, Any]) -> Outcome | Registration:
    """The registration a scan names (a badge token, or an id chosen from a search)."""
    token = scan.get("token")
    if isinstance(token, str) and token:
        ids = read_badge_token(token[:200])
        if ids is None:
            return Outcome(Result.INVALID)
        if ids[0] != event.id:
            return Outcome(Result.OTHER_EVENT)
        registration_id = ids[1]
    else:
        registration_id = scan.get("registration")
        if not isinstance(registration_id, int) or isinstance(registration_id, bool):
            return Outcome(Result.INVALID)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        return Outcome(Result.UNKNOWN)
    return registration


def check_in(event: Event, scan: dict[str, Any], now: datetime | None = None) -> Outcome:
    """Record the arrival a scan names, once: a conditional update, so two phones scanning
    the same badge at once record one arrival, the first."""
    now = now or utcnow()
    found = registration_for(event, scan)
    if isinstance(found, Outcome):
        return found
    if found.status is not Status.CONFIRMED:
        return Outcome(Result.NOT_CONFIRMED, found)
    changed = db.session.execute(
        update(Registration)
        .where(Registration.id == found.id, Registration.checked_in_at.is_(None))
        .values(checked_in_at=_when(scan.get("at"), now))
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    db.session.refresh(found)
    return Outcome(Result.CHECKED_IN if changed else Result.ALREADY, found)


def search(event: Event, query: str, limit: int = 20) -> list[Registration]:
    """Confirmed participants whose name or organisation holds ``query`` (any case)."""
    pattern = f"%{query.lower()}%"
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status == Status.CONFIRMED,
                func.lower(Registration.name).like(pattern)
                | func.lower(Registration.organisation).like(pattern),
            )
            .order_by(Registration.name, Registration.arrival)
            .limit(limit)
        )
    )


def participant(registration: Registration) -> dict[str, Any]:
    """What the page keeps of a participant: enough to find, show and check in offline."""
    return {
        "id": registration.id,
        "name": registration.name,
        "organisation": registration.organisation,
        "constituency": registration.constituency.name if registration.constituency else "",
        "country": country_name(registration.country),
        "token": badge_token(registration),
        "checked_in_at": (
            registration.checked_in_at.isoformat() if registration.checked_in_at else None
        ),
    }


def roster(event: Event) -> list[dict[str, Any]]:
    """Every confirmed participant of the event, by name."""
    people = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == Status.CONFIRMED)
        .order_by(Registration.name, Registration.arrival)
    )
    return [participant(r) for r in people]


def _scans() -> list[dict[str, Any]]:
    """The scans a request sends, or a 400 with what is wrong."""
    body = request.get_json(silent=True)
    scans = body.get("scans") if isinstance(body, dict) else None
    if not isinstance(scans, list) or len(scans) > SYNC_LIMIT:
        abort(400, _("Send a list of at most %(n)d scans.", n=SYNC_LIMIT))
    if not all(isinstance(scan, dict) for scan in scans):
        abort(400, _("Each scan names a badge token or a registration."))
    return scans


@bp.get("/events/admin/<int:event_id>/checkin")
@event_manager_required
def admin_checkin(event_id: int):
    """The check-in page, made for a phone at the door."""
    event = _event(event_id)
    return render_template(
        "events/checkin.html",
        event=event,
        urls={
            "roster": url_for("events.admin_checkin_roster", event_id=event.id),
            "sync": url_for("events.admin_checkin_sync", event_id=event.id),
            "worker": url_for("events.checkin_worker"),
        },
    )


@bp.get("/events/admin/<int:event_id>/checkin/participants")
@event_manager_required
def admin_checkin_roster(event_id: int):
    """The confirmed participants, or those a search (``q``) finds, as JSON."""
    event = _event(event_id)
    query = request.args.get("q", "").strip()[:100]
    people = [participant(r) for r in search(event, query)] if query else roster(event)
    return jsonify(
        event=event.id, participants=people, checked_in=_count(event), csrf=generate_csrf()
    )


def _count(event: Event) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.event_id == event.id, Registration.checked_in_at.is_not(None))
    )


@bp.post("/events/admin/<int:event_id>/checkin/sync")
@event_manager_required
def admin_checkin_sync(event_id: int):
    """Record the scans sent (one just made, or those kept while offline); each once."""
    event = _event(event_id)
    outcomes = [check_in(event, scan) for scan in _scans()]
    return jsonify(
        results=[outcome.as_json(event) for outcome in outcomes], checked_in=_count(event)
    )


@bp.get("/events/admin/checkin-worker.js")
@member_required
def checkin_worker():
    """The service worker that keeps the check-in page and its scripts for offline use, for
    whoever may check people in: the Secretariat and the managers of some event.

    Served from here, not /static, so that its scope covers the check-in pages.
    """
    if not current_user.is_secretariat and not managed_event_ids(current_user):
        abort(403)
    script = Path(current_app.static_folder or "", "js", "checkin-worker.js").read_bytes()
    return Response(script, mimetype="text/javascript", headers={"Cache-Control": "no-cache"})
