"""The Steering Group's work programme, toward CSD-10 in 2002."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from consult import signals
from consult.demo import Seeder
from consult.navigation import NavItem

bp = Blueprint("programme", __name__, url_prefix="/programme")


def init_app(app: Flask) -> None:
    """Register the blueprint and the receivers of the core's signals."""
    from consult.programme import models, views  # noqa: F401  (registers models and routes)
    from consult.programme.panels import my_items_panel

    app.register_blueprint(bp)
    signals.nav_items.connect(nav_items, app)
    signals.dashboard_panels.connect(my_items_panel, app)
    signals.demo_seeders.connect(demo_seeders, app)


def nav_items(app: Flask) -> list[NavItem]:
    """The work programme, for signed-in members."""
    return [NavItem("programme.index", _l("Work programme"), "member", order=40)]


def demo_seeders(app: Flask) -> Seeder:
    """The lines of work of the CSD-8 paper."""
    from consult.programme.demo import seed_programme

    return Seeder(seed_programme, order=60)
