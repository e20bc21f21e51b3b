"""The public site: home, key elements, VIA profiles and their matrix, members."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("public", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint, navigation entries, home blocks and demo data."""
    from consult import signals
    from consult.demo import Seeder
    from consult.navigation import NavItem
    from consult.public import manage, models, views  # noqa: F401  (routes, models)
    from consult.public.blocks import recent_profiles_block
    from consult.public.demo import seed_public

    app.register_blueprint(bp)
    signals.provide(
        signals.nav_items,
        app,
        NavItem("public.home", _l("Home"), "public", order=0),
        NavItem("public.key_elements_page", _l("Key elements"), "public", order=20),
        NavItem("public.profiles", _l("VIA profiles"), "public", order=21),
        NavItem("public.directory", _l("Steering Group"), "public", order=23),
    )
    signals.home_blocks.connect(recent_profiles_block, app)
    signals.provide(signals.demo_seeders, app, Seeder(seed_public, order=50))
