"""The library: studies, the case-study countries and their progress, and documents.

Documents are uploaded by the Secretariat, public or members-only, and may belong to a
study, a case-study country or a VIA profile (a file of a hidden profile stays hidden).
"""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("documents", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint and the answers to the core's signals."""
    from consult import signals
    from consult.demo import Seeder
    from consult.documents import models, views  # noqa: F401  (routes, models)
    from consult.documents.blocks import latest_documents_block, profile_documents
    from consult.documents.demo import seed_documents
    from consult.navigation import NavItem

    app.register_blueprint(bp)
    signals.provide(
        signals.nav_items,
        app,
        NavItem("documents.studies", _l("Studies and documents"), "public", order=22),
    )
    signals.home_blocks.connect(latest_documents_block, app)
    signals.profile_sections.connect(profile_documents, app)
    signals.provide(signals.demo_seeders, app, Seeder(seed_documents, order=55))
