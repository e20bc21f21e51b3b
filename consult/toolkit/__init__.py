"""Toolkit drafting: sections with versions, threaded comments live in every browser, positions."""

from __future__ import annotations

import click
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from consult import signals
from consult.demo import Seeder
from consult.mailin import MailHandler
from consult.navigation import NavItem

bp = Blueprint("toolkit", __name__)


@click.command("send-digests")
def send_digests_command() -> None:
    """Send the daily digests of comments (for cron; running it twice sends nothing twice)."""
    from consult.toolkit.notifications import send_digests

    result = send_digests()
    click.echo(f"Digests sent: {result['sent']}, failed: {result['failed']}")


def init_app(app: Flask) -> None:
    """Register the models, the blueprint, commands and the receivers of the core's signals."""
    from consult.toolkit import (  # noqa: F401  (register tables, routes, socket handlers)
        api,
        comment_views,
        live,
        models,
        views,
    )
    from consult.toolkit.markdown import render_markdown
    from consult.toolkit.panels import published_sections_block, recent_comments_panel

    app.register_blueprint(bp)
    app.jinja_env.filters["toolkit_markdown"] = render_markdown
    app.cli.add_command(send_digests_command)
    signals.nav_items.connect(nav_items, app)
    signals.dashboard_panels.connect(recent_comments_panel, app)
    signals.home_blocks.connect(published_sections_block, app)
    signals.mail_handlers.connect(mail_handlers, app)
    signals.demo_seeders.connect(demo_seeders, app)


def nav_items(app: Flask) -> list[NavItem]:
    """The toolkit for everyone, the consensus view for signed-in members."""
    return [
        NavItem("toolkit.index", _l("Toolkit"), "public", order=30),
        NavItem("toolkit.consensus", _l("Consensus"), "member", order=31),
    ]


def mail_handlers(app: Flask) -> MailHandler:
    """Replies to comment notifications, after the calendar replies."""
    from consult.toolkit.replies import handle_reply

    return MailHandler(handle_reply, order=50)


def demo_seeders(app: Flask) -> Seeder:
    """Toolkit sections with comments and stances."""
    from consult.toolkit.demo import seed_toolkit

    return Seeder(seed_toolkit, order=40)
