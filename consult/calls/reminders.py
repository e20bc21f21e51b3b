"""The agenda, two days before each confirmed call: run hourly by the workers.

``flask --app consult send-reminders`` runs it by hand. Each member gets the
reminder once per call, because every reminder is recorded in the transaction that
queues it, so running it twice (even at the same time) queues nothing new. Moving a
call clears its records.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult import jobs
from consult.calls import notifications
from consult.calls.models import AGENDA_REMINDER, Attendance, Call, CallStatus, Notice, Partstat
from consult.database import utcnow
from consult.extensions import db

KIND = AGENDA_REMINDER
LEAD_TIME = timedelta(days=2)


def due_calls(now: datetime) -> list[Call]:
    """Confirmed calls starting within the next two days."""
    return list(
        db.session.scalars(
            select(Call)
            .where(
                Call.status == CallStatus.CONFIRMED,
                Call.starts_at > now,
                Call.starts_at <= now + LEAD_TIME,
            )
            .order_by(Call.starts_at)
        )
    )


def already_sent(call: Call) -> set[int]:
    """The members who already have (or are being sent) this call's reminder."""
    return set(
        db.session.scalars(
            select(Notice.user_id).where(Notice.call_id == call.id, Notice.kind == KIND)
        )
    )


def _record_and_queue(call: Call, attendance: Attendance) -> bool:
    """Record the reminder and queue it in one transaction; False when another run recorded it."""
    db.session.add(Notice(call_id=call.id, user_id=attendance.user_id, kind=KIND))
    notifications.queue_agenda(call, attendance)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def send_reminders(now: datetime | None = None) -> list[str]:
    """Queue the agenda for every invitee who has not had it yet and has not declined.

    Each reminder is recorded in the same transaction as its outbox row, so two runs
    that overlap never queue it twice; the outbox retries it until the mail server
    takes it (or refuses it for good, which the organiser is told). Returns the
    addresses queued.
    """
    now = now or utcnow()
    queued: list[str] = []
    for call in due_calls(now):
        done = already_sent(call)
        for attendance in call.attendances:
            if attendance.user_id in done or attendance.partstat is Partstat.DECLINED:
                continue
            if attendance.user.active and _record_and_queue(call, attendance):
                queued.append(attendance.user.email)
    return queued


@jobs.periodic("calls.send-reminders", jobs.crontab(minute="0"))
def send_reminders_job() -> None:
    """Every hour, on the hour: the reminders that have come due."""
    send_reminders()


@click.command("send-reminders")
def send_reminders_command() -> None:
    """Queue the agenda two days before each confirmed call (the workers run it hourly)."""
    queued = send_reminders()
    click.echo(f"Agenda reminders queued: {len(queued)}.")
