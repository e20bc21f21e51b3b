"""The Steering Group's work programme, toward CSD-10 in 2002.

It owns the work items: lines of work and the action items agreed on calls, which it adds to
each call's page (``signals.call_sections``) and to the owner's dashboard.
"""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("programme", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint, its navigation entry, page sections and demo data."""
    from consult import signals
    from consult.demo import Seeder
    from consult.navigation import NavItem
    from consult.programme import models, views  # noqa: F401  (registers models and routes)
    from consult.programme.demo import seed_programme
    from consult.programme.panels import call_items_section, my_items_panel

    app.register_blueprint(bp)
    item = NavItem("programme.index", _l("Work programme"), "member", order=40)
    signals.provide(signals.nav_items, app, item)
    signals.provide(signals.demo_seeders, app, Seeder(seed_programme, order=60))
    signals.dashboard_panels.connect(my_items_panel, app)
    signals.call_sections.connect(call_items_section, app)
