"""One reminder, before a proposal closes, to each active member who has not answered it.

Run hourly by the workers (``flask --app consult send-proposal-reminders`` by hand). The
reminder is due a day before the close, or half-way through a shorter proposal. Each
proposal is claimed by a conditional update of ``reminded_at`` in the transaction that
queues its e-mails, so running the job twice, even at the same moment, reminds no one twice.
"""

from __future__ import annotations

from datetime import datetime

import click
from sqlalchemy import select, update

from consult import jobs
from consult.database import utcnow
from consult.decisions import notifications
from consult.decisions.models import Proposal, Vote
from consult.decisions.positions import active_members
from consult.decisions.proposals import reminder_time
from consult.extensions import db


def send_proposal_reminders(now: datetime | None = None) -> list[str]:
    """Queue the reminders that are due; return the addresses queued."""
    now = now or utcnow()
    candidates = db.session.scalars(
        select(Proposal).where(
            Proposal.closed_at.is_(None), Proposal.closes_at > now, Proposal.reminded_at.is_(None)
        )
    ).all()
    due = [proposal.id for proposal in candidates if reminder_time(proposal) <= now]
    db.session.commit()
    queued: list[str] = []
    for proposal_id in due:
        claimed = db.session.execute(
            update(Proposal)
            .where(
                Proposal.id == proposal_id,
                Proposal.reminded_at.is_(None),
                Proposal.closed_at.is_(None),
            )
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            db.session.rollback()
            continue
        answered = set(
            db.session.scalars(select(Vote.user_id).where(Vote.proposal_id == proposal_id))
        )
        for member in active_members():
            if member.id not in answered:
                notifications.queue_reminder(proposal_id, member)
                queued.append(member.email)
        db.session.commit()
    return queued


@jobs.periodic("decisions.send-proposal-reminders", jobs.crontab(minute="50"))
def send_proposal_reminders_job() -> None:
    """Every hour, at ten to: the reminders of proposals closing soon."""
    send_proposal_reminders()


@click.command("send-proposal-reminders")
def send_proposal_reminders_command() -> None:
    """Remind members who have not answered a proposal closing soon (the workers run it hourly)."""
    click.echo(f"Proposal reminders queued: {len(send_proposal_reminders())}.")
