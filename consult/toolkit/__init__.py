"""Toolkit drafting: sections with versions, threaded comments live in every browser."""

from __future__ import annotations

import click
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("toolkit", __name__)


@click.command("send-digests")
def send_digests_command() -> None:
    """Queue the daily digests of comments (the workers run it daily; twice queues nothing twice)."""
    from consult.toolkit.notifications import send_digests

    result = send_digests()
    click.echo(f"Digests queued: {result['queued']}")


def init_app(app: Flask) -> None:
    """Register the models, the blueprint, navigation, panel, seeder, mail handler and commands."""
    from consult import signals
    from consult.demo import Seeder
    from consult.mailin import MailHandler
    from consult.navigation import NavItem
    from consult.toolkit import (  # noqa: F401  (register tables, routes, socket handlers)
        api,
        comment_views,
        live,
        models,
        notifications,
        views,
    )
    from consult.toolkit.demo import seed_toolkit
    from consult.toolkit.panels import (
        direct_mail_panel,
        published_sections_block,
        recent_comments_panel,
    )
    from consult.toolkit.replies import handle_reply

    app.register_blueprint(bp)
    signals.provide(
        signals.nav_items,
        app,
        NavItem("toolkit.index", _l("Toolkit"), "public", order=30),
    )
    signals.dashboard_panels.connect(recent_comments_panel, app)
    signals.account_panels.connect(direct_mail_panel, app)
    signals.home_blocks.connect(published_sections_block, app)
    signals.provide(signals.demo_seeders, app, Seeder(seed_toolkit, order=40))
    signals.provide(signals.mail_handlers, app, MailHandler(handle_reply, order=50))
    app.cli.add_command(send_digests_command)
