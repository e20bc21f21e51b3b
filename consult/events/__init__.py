"""Events: the consultative forum and the NGO workshop, their agendas and registration."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("events", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint, commands and the answers to the core's signals."""
    from consult import signals
    from consult.demo import Seeder
    from consult.events import admin, cli, demo, editor, models, views  # noqa: F401  (routes)
    from consult.events.panels import open_events_panel, registered_events, upcoming_events_block
    from consult.navigation import NavItem

    app.register_blueprint(bp)
    _add_template_helpers(app)
    signals.provide(
        signals.nav_items,
        app,
        NavItem("events.index", _l("Events"), "public", order=40),
        NavItem("events.admin_index", _l("Registrations"), "secretariat", order=70),
    )
    signals.provide(signals.demo_seeders, app, Seeder(demo.seed_events, order=45))
    signals.dashboard_panels.connect(open_events_panel, app)
    signals.home_blocks.connect(upcoming_events_block, app)
    signals.calendar_feed.connect(registered_events, app)
    app.cli.add_command(cli.events_cli)


def _add_template_helpers(app: Flask) -> None:
    """Filters for times in an event's zone, and labels of statuses and country groups."""
    from zoneinfo import ZoneInfo

    from flask_babel import format_time

    from consult.events.countries import group_label
    from consult.events.stats import status_label

    app.jinja_env.filters["in_zone"] = lambda moment, zone: moment.astimezone(ZoneInfo(zone))
    app.jinja_env.filters["clock"] = lambda moment: format_time(moment, "short")
    app.jinja_env.globals.update(group_label=group_label, status_label=status_label)
