"""A reminder to each owner shortly before an open work item falls due: run hourly by the workers.

Once per item and due date: the due date reminded of is written on the item (a
conditional update) in the transaction that queues the e-mail, so a second run, even
at the same moment, queues nothing; moving the due date arms the reminder again.
``flask --app consult send-due-reminders`` runs it by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from sqlalchemy import or_, select, update

from consult import jobs
from consult.accounts.models import User
from consult.database import utcnow
from consult.extensions import db
from consult.jobs.claims import queue_each_once
from consult.programme import notifications
from consult.programme.models import OPEN_STATUSES, WorkItem

#: The reminder goes out this many days before the due date (UTC dates).
LEAD_DAYS = 3


def _not_reminded_of_this_date():
    return or_(WorkItem.reminded_for.is_(None), WorkItem.reminded_for != WorkItem.due_date)


def send_due_reminders(now: datetime | None = None) -> list[str]:
    """Queue a reminder for every open item with an active owner falling due within three days.

    Returns the addresses queued.
    """
    today = (now or utcnow()).date()
    due = db.session.execute(
        select(WorkItem.id, WorkItem.due_date, User.email)
        .join(User, User.id == WorkItem.owner_id)
        .where(
            WorkItem.status.in_(OPEN_STATUSES),
            WorkItem.due_date > today,
            WorkItem.due_date <= today + timedelta(days=LEAD_DAYS),
            _not_reminded_of_this_date(),
            User.active.is_(True),
        )
        .order_by(WorkItem.due_date, WorkItem.id)
    ).all()
    db.session.commit()
    return queue_each_once(
        due,
        claim=lambda row: (
            update(WorkItem)
            .where(
                WorkItem.id == row.id,
                WorkItem.due_date == row.due_date,
                WorkItem.status.in_(OPEN_STATUSES),
                _not_reminded_of_this_date(),
            )
            .values(reminded_for=row.due_date)
        ),
        queue=lambda row: notifications.queue_due_reminder(*row),
    )


@jobs.periodic("programme.send-due-reminders", jobs.crontab(minute="40"))
def send_due_reminders_job() -> None:
    """Every hour, at twenty to: the reminders of work items that have come due."""
    send_due_reminders()


@click.command("send-due-reminders")
def send_due_reminders_command() -> None:
    """Remind owners of open work items due within three days (the workers run it hourly)."""
    queued = send_due_reminders()
    click.echo(f"Due-date reminders queued: {len(queued)}.")
