"""``flask --app consult worker``: a Huey consumer running the application's jobs.

Start one beside each web server, or several on other machines sharing a Redis
``JOBS_URL``. Ctrl-C (SIGINT) lets running jobs finish first; SIGTERM stops them where
they are (Huey's signals). Either way nothing is lost, because the outbox takes back
what a worker had claimed once its lease ends (see :mod:`consult.outbox.delivery`).
"""

from __future__ import annotations

import logging

import click
from flask.cli import with_appcontext

from consult import jobs


@click.command("worker")
@click.option(
    "--workers",
    "-w",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Jobs run at the same time (threads).",
)
@click.option(
    "--periodic/--no-periodic",
    default=True,
    show_default=True,
    help="Also run the scheduled jobs (reminders, digests, seat filling, outbox sweep).",
)
@with_appcontext
def worker_command(workers: int, periodic: bool) -> None:
    """Run queued and scheduled jobs until stopped (Ctrl-C lets running jobs finish)."""
    huey = jobs.queue()
    if huey.immediate:
        raise click.ClickException("JOBS_IMMEDIATE is set: jobs run where they are enqueued.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if "outbox.sweep" in jobs.JOBS:
        jobs.enqueue("outbox.sweep")  # pick up what a worker that died had left
    consumer = huey.create_consumer(workers=workers, periodic=periodic, worker_type="thread")
    consumer.run()
