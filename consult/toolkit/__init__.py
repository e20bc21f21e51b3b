"""Toolkit drafting: sections with versions, threaded comments live in every browser, positions."""

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
    from consult.dashboard.panels import register_panel
    from consult.demo import register_seeder
    from consult.mailin import register_handler
    from consult.navigation import NavItem, add_nav_item
    from consult.public.home import register_home_block
    from consult.toolkit import (  # noqa: F401  (register tables, routes, socket handlers)
        api,
        comment_views,
        live,
        models,
        notifications,
        views,
    )
    from consult.toolkit.demo import seed_toolkit
    from consult.toolkit.markdown import render_markdown
    from consult.toolkit.panels import published_sections_block, recent_comments_panel
    from consult.toolkit.replies import handle_reply

    app.register_blueprint(bp)
    app.jinja_env.filters["toolkit_markdown"] = render_markdown
    add_nav_item(app, NavItem("toolkit.index", _l("Toolkit"), "public", order=30))
    add_nav_item(app, NavItem("toolkit.consensus", _l("Consensus"), "member", order=31))
    register_panel(app, recent_comments_panel, order=20)
    register_home_block(app, published_sections_block, order=30)
    register_seeder(app, seed_toolkit, order=40)
    register_handler(app, handle_reply, order=50)
    app.cli.add_command(send_digests_command)
