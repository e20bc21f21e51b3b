"""The public site: home, key elements, VIA profiles, studies, documents, members."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("public", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint, navigation entries, home blocks and demo data."""
    from consult.demo import register_seeder
    from consult.navigation import NavItem, add_nav_item
    from consult.public import library, manage, models, views  # noqa: F401  (routes, models)
    from consult.public.blocks import latest_documents_block, recent_profiles_block
    from consult.public.demo import seed_public
    from consult.public.home import register_home_block

    app.register_blueprint(bp)
    add_nav_item(app, NavItem("public.home", _l("Home"), "public", order=0))
    add_nav_item(app, NavItem("public.key_elements_page", _l("Key elements"), "public", order=20))
    add_nav_item(app, NavItem("public.profiles", _l("VIA profiles"), "public", order=21))
    add_nav_item(app, NavItem("public.studies", _l("Studies and documents"), "public", order=22))
    add_nav_item(app, NavItem("public.directory", _l("Steering Group"), "public", order=23))
    register_home_block(app, recent_profiles_block, order=50)
    register_home_block(app, latest_documents_block, order=60)
    register_seeder(app, seed_public, order=50)
