"""The Steering Group's work programme, toward CSD-10 in 2002."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("programme", __name__, url_prefix="/programme")


def init_app(app: Flask) -> None:
    """Register the blueprint, its navigation entry and its demo data."""
    from consult.dashboard.panels import register_panel
    from consult.demo import register_seeder
    from consult.navigation import NavItem, add_nav_item
    from consult.programme import models, views  # noqa: F401  (registers models and routes)
    from consult.programme.demo import seed_programme
    from consult.programme.panels import my_items_panel

    app.register_blueprint(bp)
    add_nav_item(app, NavItem("programme.index", _l("Work programme"), "member", order=40))
    register_seeder(app, seed_programme, order=60)
    register_panel(app, my_items_panel, order=60)
