"""Seats freed by a release date go to those waiting: daily in the workers, or by hand.

``flask --app consult events fill`` runs it by hand.
"""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy import select

from consult import jobs
from consult.database import utcnow
from consult.events import allocation, notifications
from consult.events.models import Event
from consult.extensions import db

events_cli = AppGroup("events", help="Events: seats and waiting lists.")


def fill_all(now: datetime | None = None) -> int:
    """Give seats freed by a release date to those waiting, event by event; how many got one."""
    now = now or utcnow()
    total = 0
    for event_id in db.session.scalars(select(Event.id).where(Event.ends_at > now)).all():
        promoted = allocation.fill(event_id, now, then=notifications.queue_promotions)
        total += len(promoted)
    return total


@jobs.periodic("events.fill", jobs.crontab(minute="30", hour="0"))
def fill_job() -> None:
    """Every day at 00:30 UTC: seats freed by release dates go to those waiting."""
    fill_all()


@events_cli.command("remind")
def remind_command() -> None:
    """Queue the reminders whose day has come (the workers run it hourly)."""
    from consult.events.reminders import send_reminders

    click.echo(f"Reminders queued: {len(send_reminders())}.")


@events_cli.command("fill")
def fill_command() -> None:
    """Give seats freed by a release date to those waiting (the workers run it daily)."""
    click.echo(f"{fill_all()} waiting registrants got a seat.")
