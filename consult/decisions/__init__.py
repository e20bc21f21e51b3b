"""From comments to decisions on the toolkit: members' own stances, proposals, amendments.

It builds on the toolkit's sections and adds itself to a section's page and history through
``signals.section_panels`` and ``signals.section_history``; a stance stated with a comment
reaches it through ``signals.stance_stated``. It owns the consensus view.
"""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("decisions", __name__)


def init_app(app: Flask) -> None:
    """Register the models, the blueprint, navigation and the section page's panels."""
    from consult import signals
    from consult.decisions import (  # noqa: F401  (register tables, routes, letters, socket handlers)
        amendment_views,
        api,
        export,
        live,
        models,
        notifications,
        proposal_views,
        views,
    )
    from consult.decisions.demo import seed_decisions
    from consult.decisions.panels import awaiting_panel, history_panel, section_panel
    from consult.decisions.positions import on_stance_stated
    from consult.decisions.reminders import send_proposal_reminders_command
    from consult.demo import Seeder
    from consult.navigation import NavItem

    app.register_blueprint(bp)
    signals.provide(
        signals.nav_items, app, NavItem("decisions.consensus", _l("Consensus"), "member", order=31)
    )
    signals.section_panels.connect(section_panel, app)
    signals.section_history.connect(history_panel, app)
    signals.dashboard_panels.connect(awaiting_panel, app)
    signals.stance_stated.connect(on_stance_stated, app)
    signals.provide(signals.demo_seeders, app, Seeder(seed_decisions, order=45))
    app.cli.add_command(send_proposal_reminders_command)
