"""``flask --app consult send-reminders``: the agenda, two days before each confirmed call.

Meant for cron (hourly is fine): each member gets the reminder once per call,
because every reminder is recorded before it is sent, so running it twice (even at
the same time) sends nothing new. Moving a call clears its records.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from consult import mail
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


def _claim(call: Call, attendance: Attendance) -> bool:
    """Record the reminder before sending it; False when another run recorded it first."""
    db.session.add(Notice(call_id=call.id, user_id=attendance.user_id, kind=KIND))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def send_reminders(now: datetime | None = None) -> mail.DeliveryReport:
    """Send the agenda to every invitee who has not had it yet and has not declined.

    Each reminder is recorded (and committed) before it goes out, so two runs that
    overlap never send it twice; the record is removed when delivery fails, for a retry.
    """
    now = now or utcnow()
    total = mail.DeliveryReport()
    for call in due_calls(now):
        done = already_sent(call)
        candidates = [
            a
            for a in call.attendances
            if a.user_id not in done and a.partstat is not Partstat.DECLINED and a.user.active
        ]
        pending = [a for a in candidates if _claim(call, a)]
        if not pending:
            continue
        report = mail.send_all(notifications.agenda_messages(call, pending))
        for attendance in pending:
            if attendance.user.email in report.failed:
                attendance.delivery_error = report.failed[attendance.user.email][:500]
                db.session.execute(
                    delete(Notice).where(
                        Notice.call_id == call.id,
                        Notice.user_id == attendance.user_id,
                        Notice.kind == KIND,
                    )
                )
            else:
                attendance.delivery_error = ""
        db.session.commit()
        if report.failed:
            notifications.send_failure_report(call, report.failed)
        total.sent.extend(report.sent)
        total.failed.update(report.failed)
    return total


@click.command("send-reminders")
def send_reminders_command() -> None:
    """E-mail the agenda two days before each confirmed call (safe to run again)."""
    report = send_reminders()
    click.echo(f"Agenda reminders sent: {len(report.sent)}.")
    for address, reason in sorted(report.failed.items()):
        click.echo(f"Failed for {address}: {reason}", err=True)
