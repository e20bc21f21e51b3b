"""Teleconferences: series, planner, invites, RSVP, agendas, minutes and calendar feeds."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("calls", __name__)


def init_app(app: Flask) -> None:
    """Register the models, routes, navigation, dashboard panel, mail-in handler and commands."""
    from consult.calls import models, views, views_agenda, views_feed  # noqa: F401
    from consult.calls.demo import seed_calls
    from consult.calls.labels import clock
    from consult.calls.panels import calls_panel
    from consult.calls.reminders import send_reminders_command
    from consult.calls.replies import handle_reply
    from consult.dashboard.panels import register_panel
    from consult.demo import register_seeder
    from consult.mailin import register_handler
    from consult.navigation import NavItem, add_nav_item

    app.add_template_filter(clock, "calls_clock")
    app.register_blueprint(bp)
    add_nav_item(app, NavItem("calls.index", _l("Calls"), "member", order=20))
    register_panel(app, calls_panel, order=10)
    register_handler(app, handle_reply, order=10)
    register_seeder(app, seed_calls, order=20)
    app.cli.add_command(send_reminders_command)
