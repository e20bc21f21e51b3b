"""The signed-in member's start page, made of the panels capabilities answer with."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("dashboard", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint and its navigation entry."""
    from consult import signals
    from consult.dashboard import views  # noqa: F401  (registers the routes)
    from consult.navigation import NavItem

    app.register_blueprint(bp)
    item = NavItem("dashboard.index", _l("Dashboard"), "member", order=10)
    signals.provide(signals.nav_items, app, item)
