"""``flask --app consult send-reminders``: the agenda, two days before each confirmed call.

Meant for cron (hourly is fine): each member gets the reminder once per call,
because every reminder sent is recorded, so running it twice sends nothing new.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from sqlalchemy import select

from consult import mail
from consult.calls import notifications
from consult.calls.models import Call, CallStatus, Notice, Partstat
from consult.database import utcnow
from consult.extensions import db

KIND = "agenda-reminder"
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


def send_reminders(now: datetime | None = None) -> mail.DeliveryReport:
    """Send the agenda to every invitee who has not had it yet and has not declined."""
    now = now or utcnow()
    total = mail.DeliveryReport()
    for call in due_calls(now):
        done = set(
            db.session.scalars(
                select(Notice.user_id).where(Notice.call_id == call.id, Notice.kind == KIND)
            )
        )
        pending = [
            a
            for a in call.attendances
            if a.user_id not in done and a.partstat is not Partstat.DECLINED and a.user.active
        ]
        if not pending:
            continue
        report = mail.send_all(notifications.agenda_messages(call, pending))
        for attendance in pending:
            if attendance.user.email in report.sent:
                db.session.add(Notice(call_id=call.id, user_id=attendance.user_id, kind=KIND))
                attendance.delivery_error = ""
            elif attendance.user.email in report.failed:
                attendance.delivery_error = report.failed[attendance.user.email][:500]
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
