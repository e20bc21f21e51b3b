"""Events: the consultative forum and the NGO workshop, their agendas and registration."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("events", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint, navigation, dashboard panel, demo data and commands."""
    from consult.calls.feed import register_feed_source
    from consult.dashboard.panels import register_panel
    from consult.demo import register_seeder
    from consult.events import admin, cli, demo, editor, models, views  # noqa: F401  (routes)
    from consult.events.panels import open_events_panel, registered_events, upcoming_events_block
    from consult.navigation import NavItem, add_nav_item
    from consult.public.home import register_home_block

    app.register_blueprint(bp)
    _add_template_helpers(app)
    add_nav_item(app, NavItem("events.index", _l("Events"), "public", order=40))
    add_nav_item(app, NavItem("events.admin_index", _l("Registrations"), "secretariat", order=70))
    register_panel(app, open_events_panel, order=40)
    register_home_block(app, upcoming_events_block, order=10)
    register_feed_source(app, registered_events)
    register_seeder(app, demo.seed_events, order=40)
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
