"""Teleconferences: series, planner, invites, RSVP, agendas, minutes and calendar feeds."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("calls", __name__)

#: A sign beside each word in the planner, so that no part of the day is told by colour alone.
PERIOD_SIGNS = {"good": "✓", "early": "◐", "late": "◑", "night": "☾", "away": "✕"}


@bp.context_processor
def calls_helpers() -> dict:
    """Names the calls templates use."""
    return {"period_sign": lambda period: PERIOD_SIGNS.get(str(period), "")}


def init_app(app: Flask) -> None:
    """Register the models, routes, commands and the answers to the core's signals."""
    from consult import signals
    from consult.calls import models, views, views_agenda, views_feed  # noqa: F401
    from consult.calls.demo import seed_calls
    from consult.calls.feed import confirmed_calls
    from consult.calls.panels import calls_panel
    from consult.calls.reminders import send_reminders_command
    from consult.calls.replies import handle_reply
    from consult.demo import Seeder
    from consult.mailin import MailHandler
    from consult.navigation import NavItem

    app.register_blueprint(bp)
    signals.provide(signals.nav_items, app, NavItem("calls.index", _l("Calls"), "member", order=20))
    signals.dashboard_panels.connect(calls_panel, app)
    signals.calendar_feed.connect(confirmed_calls, app)
    signals.provide(signals.mail_handlers, app, MailHandler(handle_reply, order=10))
    signals.provide(signals.demo_seeders, app, Seeder(seed_calls, order=20))
    app.cli.add_command(send_reminders_command)
