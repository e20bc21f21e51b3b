"""The signed-in member's start page, made of panels that capabilities contribute."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("dashboard", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint and its navigation entry."""
    from consult.dashboard import views  # noqa: F401  (registers the routes)
    from consult.navigation import NavItem, add_nav_item

    app.register_blueprint(bp)
    add_nav_item(app, NavItem("dashboard.index", _l("Dashboard"), "member", order=10))
