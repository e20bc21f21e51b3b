"""The public site: home, key elements, VIA profiles, studies, documents, members."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("public", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint, navigation entries, home blocks and demo data."""
    from consult.navigation import NavItem, add_nav_item
    from consult.public import models, views  # noqa: F401  (registers models and routes)

    app.register_blueprint(bp)
    add_nav_item(app, NavItem("public.home", _l("Home"), "public", order=0))
