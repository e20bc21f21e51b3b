"""``flask --app consult events fill``: the cron job that gives released seats to those waiting."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from consult.database import utcnow
from consult.events import allocation, notifications
from consult.events.models import Event
from consult.extensions import db

events_cli = AppGroup("events", help="Events: seats and waiting lists.")


@events_cli.command("fill")
def fill_command() -> None:
    """Give seats freed by a release date to those waiting (run it daily from cron)."""
    now = utcnow()
    total = 0
    for event_id in db.session.scalars(select(Event.id).where(Event.ends_at > now)).all():
        promoted = allocation.fill(event_id, now)
        notifications.send_promotions(promoted)
        total += len(promoted)
    click.echo(f"{total} waiting registrants got a seat.")
