"""Reminders before an event: run hourly by the workers, once per registration and kind.

``Event.remind_days_before`` days before the start, every confirmed participant is
reminded of the event (and of cancelling if they cannot come, so that their seat goes
to someone waiting), and everyone whose registration is still pending — awaiting the
Secretariat's approval, or its address not yet confirmed — is told so. The moment of
the reminder is written on the registration by a conditional update in the
transaction that queues the letter, so a second run, even at the same moment on
another worker, queues nothing. ``flask --app consult events remind`` runs it by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from consult import jobs
from consult.database import utcnow
from consult.events import notifications
from consult.events.models import Event, Registration, Status
from consult.extensions import db

#: Who gets which reminder, and the column that says it went out.
KINDS = (
    ("reminder", (Status.CONFIRMED,), Registration.reminded_at),
    ("reminder-pending", (Status.PENDING, Status.UNCONFIRMED), Registration.pending_reminded_at),
)


def due_events(now: datetime) -> list[Event]:
    """Published events not yet started whose reminder day has come."""
    events = db.session.scalars(
        select(Event).where(
            Event.published.is_(True),
            Event.remind_days_before.is_not(None),
            Event.starts_at > now,
        )
    ).all()
    return [e for e in events if now >= e.starts_at - timedelta(days=e.remind_days_before)]


def send_reminders(now: datetime | None = None) -> list[str]:
    """Queue every reminder that has come due; the addresses queued."""
    now = now or utcnow()
    queued = []
    for event in due_events(now):
        for kind, statuses, column in KINDS:
            ids = db.session.scalars(
                select(Registration.id).where(
                    Registration.event_id == event.id,
                    Registration.status.in_(statuses),
                    column.is_(None),
                )
            ).all()
            db.session.commit()
            for registration_id in ids:
                claimed = db.session.execute(
                    update(Registration)
                    .where(
                        Registration.id == registration_id,
                        Registration.status.in_(statuses),
                        column.is_(None),
                    )
                    .values({column.key: now})
                    .execution_options(synchronize_session=False)
                ).rowcount
                if claimed != 1:
                    db.session.rollback()
                    continue
                registration = db.session.get(Registration, registration_id)
                notifications.queue_registration(registration, kind)
                db.session.commit()
                queued.append(registration.email)
    return queued


@jobs.periodic("events.send-reminders", jobs.crontab(minute="10"))
def send_reminders_job() -> None:
    """Every hour, at ten past: the reminders of events whose reminder day has come."""
    send_reminders()
