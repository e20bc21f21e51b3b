"""``flask --app consult init``: the schema and the first Secretariat account."""

from __future__ import annotations

import click
from flask_migrate import upgrade

from consult.accounts.constituencies import ensure_standard_constituencies
from consult.accounts.models import Role
from consult.accounts.services import (
    MIN_PASSWORD_LENGTH,
    DuplicateEmail,
    Invitation,
    invite_member,
    set_password,
)
from consult.extensions import db


@click.command("init")
@click.option(
    "--email", prompt="Secretariat e-mail", help="E-mail of the first Secretariat account."
)
@click.option("--name", prompt="Display name", help="Name shown for that account.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Password (prompted when not given).",
)
@click.option("--timezone", default="America/New_York", show_default=True, help="IANA time zone.")
def init_command(email: str, name: str, password: str, timezone: str) -> None:
    """Build the schema and create the first Secretariat account."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(
            f"use at least {MIN_PASSWORD_LENGTH} characters", param_hint="--password"
        )
    upgrade()
    constituencies = ensure_standard_constituencies()
    invitation = Invitation(
        email=email,
        display_name=name,
        organisation="",
        constituency=constituencies["desa-dsd"],
        country=None,
        timezone=timezone,
        role=Role.SECRETARIAT,
    )
    try:
        user = invite_member(invitation)
    except DuplicateEmail as error:
        raise click.ClickException(f"an account for {email} already exists") from error
    set_password(user, password)
    db.session.commit()
    click.echo(f"Schema ready. Secretariat account {user.email} created.")
