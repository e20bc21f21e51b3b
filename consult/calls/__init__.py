"""Teleconferences: series, planner, invites, RSVP, agendas, minutes and calendar feeds."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from consult import signals
from consult.demo import Seeder
from consult.mailin import MailHandler
from consult.navigation import NavItem

bp = Blueprint("calls", __name__)


def init_app(app: Flask) -> None:
    """Register the models, routes, commands and the receivers of the core's signals."""
    from consult.calls import models, views, views_agenda, views_feed  # noqa: F401
    from consult.calls.feed import confirmed_calls
    from consult.calls.labels import clock
    from consult.calls.panels import calls_panel
    from consult.calls.reminders import send_reminders_command

    app.add_template_filter(clock, "calls_clock")
    app.register_blueprint(bp)
    app.cli.add_command(send_reminders_command)
    signals.nav_items.connect(nav_items, app)
    signals.dashboard_panels.connect(calls_panel, app)
    signals.calendar_feed.connect(confirmed_calls, app)
    signals.mail_handlers.connect(mail_handlers, app)
    signals.demo_seeders.connect(demo_seeders, app)


def nav_items(app: Flask) -> list[NavItem]:
    """The calls, for signed-in members."""
    return [NavItem("calls.index", _l("Calls"), "member", order=20)]


def mail_handlers(app: Flask) -> MailHandler:
    """Calendar replies (iTIP REPLY) to call invitations, before other handlers."""
    from consult.calls.replies import handle_reply

    return MailHandler(handle_reply, order=10)


def demo_seeders(app: Flask) -> Seeder:
    """The Steering Group's call series, after the members."""
    from consult.calls.demo import seed_calls

    return Seeder(seed_calls, order=20)
