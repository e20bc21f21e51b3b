"""The scheduled jobs are scheduled by the task queue itself (no cron lines), at the times the
README gives (tests/events/test_cli.py runs one as the queue's scheduler picks it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from consult import jobs

#: The README's table: job, and a UTC moment it runs at.
SCHEDULE = {
    "outbox.sweep": (datetime(2027, 3, 9, 14, 7), "every minute"),
    "toolkit.notify-sweep": (datetime(2027, 3, 9, 14, 7), "every minute"),
    "calls.send-reminders": (datetime(2027, 3, 9, 14, 0), "on the hour"),
    "calls.send-poll-reminders": (datetime(2027, 3, 9, 14, 30), "at half past"),
    "programme.send-due-reminders": (datetime(2027, 3, 9, 14, 40), "at twenty to"),
    "decisions.send-proposal-reminders": (datetime(2027, 3, 9, 14, 50), "at ten to"),
    "toolkit.send-digests": (datetime(2027, 3, 9, 6, 15), "daily 06:15"),
    "events.fill": (datetime(2027, 3, 9, 0, 30), "daily 00:30"),
    "outbox.purge": (datetime(2027, 3, 9, 3, 45), "daily 03:45"),
}

EVERY_MINUTE = {"outbox.sweep", "toolkit.notify-sweep"}


def due(app, moment: datetime) -> set[str]:
    """The jobs the queue's scheduler starts at ``moment`` (as a worker's scheduler asks it)."""
    return {task.name.rsplit(".", 2)[-2] + "." + task.name.rsplit(".", 1)[-1]
            for task in jobs.queue(app).read_periodic(moment)}  # fmt: skip


def test_every_scheduled_job_is_on_the_queue_schedule(app):
    """Does the queue start each job at its time, and only then?"""
    for name, (moment, _when) in SCHEDULE.items():
        assert name in due(app, moment), name
        if name not in EVERY_MINUTE:
            assert name not in due(app, moment + timedelta(minutes=1)), name
    assert due(app, datetime(2027, 3, 9, 14, 7)) == EVERY_MINUTE
