"""Command-line tasks of the core: ``flask --app consult demo``.

Capabilities add their own (``init`` comes with accounts, ``send-reminders`` with calls ...).
"""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import inspect

from consult.demo import DEMO_PASSWORD, SECRETARIAT_EMAIL, load_demo
from consult.extensions import db


@click.command("demo")
def demo_command() -> None:
    """Load the demo Steering Group, events and pages (safe to run again)."""
    if not inspect(db.engine).has_table("users"):
        raise click.ClickException(
            "the database has no schema yet: run `flask --app consult db upgrade`"
        )
    users = load_demo()
    click.echo(f"Demo data ready: {len(users)} members.")
    click.echo(f"Sign in as {SECRETARIAT_EMAIL} with password {DEMO_PASSWORD}")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(demo_command)
