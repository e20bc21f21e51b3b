"""Events: the consultative forum and the NGO workshop, their agendas and registration."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("events", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint, commands and the answers to the core's signals."""
    from consult import signals
    from consult.demo import Seeder
    from consult.events import (  # noqa: F401  (routes, letters)
        admin,
        admin_invitations,
        audit,
        badges,
        checkin,
        cli,
        demo,
        editor,
        form_editor,
        invitations,
        managers,
        models,
        reminders,
        views,
    )
    from consult.events.panels import open_events_panel, registered_events, upcoming_events_block
    from consult.events.replies import handle_reply
    from consult.mailin import MailHandler
    from consult.navigation import NavItem

    app.register_blueprint(bp)
    signals.provide(
        signals.nav_items,
        app,
        NavItem("events.index", _l("Events"), "public", order=40),
        NavItem("events.admin_index", _l("Registrations"), "secretariat", order=70),
    )
    signals.provide(signals.demo_seeders, app, Seeder(demo.seed_events, order=45))
    signals.dashboard_panels.connect(open_events_panel, app)
    signals.home_blocks.connect(upcoming_events_block, app)
    signals.calendar_feed.connect(registered_events, app)
    signals.provide(signals.mail_handlers, app, MailHandler(handle_reply, order=20))
    app.cli.add_command(cli.events_cli)


@bp.context_processor
def _template_helpers() -> dict:
    """Names the events templates use besides the core's."""
    from consult.events import questions
    from consult.events.countries import group_label
    from consult.events.exports import answer_text

    return {
        "group_label": group_label,
        "condition_note": questions.condition_note,
        "file_types": questions.file_types,
        "file_limit": questions.max_kb,
        "file_accept": lambda q: ",".join("." + t for t in questions.file_types(q)),
        "answer_text": lambda answer: answer_text(answer.field, answer.value),
    }
