"""The signed-in member's start page, made of the panels capabilities answer with."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from consult import signals
from consult.navigation import NavItem

bp = Blueprint("dashboard", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint and its navigation entry."""
    from consult.dashboard import views  # noqa: F401  (registers the routes)

    app.register_blueprint(bp)
    signals.nav_items.connect(nav_items, app)


def nav_items(app: Flask) -> list[NavItem]:
    """The dashboard, for signed-in members."""
    return [NavItem("dashboard.index", _l("Dashboard"), "member", order=10)]
