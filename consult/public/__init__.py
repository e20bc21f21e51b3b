"""The public site: home, key elements, VIA profiles, studies, documents, members."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from consult import signals
from consult.demo import Seeder
from consult.navigation import NavItem

bp = Blueprint("public", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint and the receivers of the core's signals."""
    from consult.public import library, manage, models, views  # noqa: F401  (routes, models)
    from consult.public.blocks import latest_documents_block, recent_profiles_block

    app.register_blueprint(bp)
    signals.nav_items.connect(nav_items, app)
    signals.home_blocks.connect(recent_profiles_block, app)
    signals.home_blocks.connect(latest_documents_block, app)
    signals.demo_seeders.connect(demo_seeders, app)


def nav_items(app: Flask) -> list[NavItem]:
    """The public sections, for everyone."""
    return [
        NavItem("public.home", _l("Home"), "public", order=0),
        NavItem("public.key_elements_page", _l("Key elements"), "public", order=20),
        NavItem("public.profiles", _l("VIA profiles"), "public", order=21),
        NavItem("public.studies", _l("Studies and documents"), "public", order=22),
        NavItem("public.directory", _l("Steering Group"), "public", order=23),
    ]


def demo_seeders(app: Flask) -> Seeder:
    """Key elements, profiles, studies and documents of the real case."""
    from consult.public.demo import seed_public

    return Seeder(seed_public, order=50)
