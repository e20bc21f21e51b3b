"""Accounts: constituencies, sign-in, invitations, password reset, profiles and roles."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("accounts", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint, the user loader, the ``init`` command and the demo members."""
    from consult import signals
    from consult.accounts import admin, views  # noqa: F401  (register the routes)
    from consult.accounts.cli import init_command
    from consult.accounts.demo import seed_members
    from consult.accounts.models import User
    from consult.accounts.services import user_for_session
    from consult.demo import Seeder
    from consult.extensions import login_manager
    from consult.navigation import NavItem

    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        return user_for_session(session_id)

    app.register_blueprint(bp)
    app.cli.add_command(init_command)
    signals.provide(
        signals.nav_items,
        app,
        NavItem("accounts.members", _l("Members"), "secretariat", order=80),
        NavItem("accounts.profile", _l("Profile"), "member", order=90),
    )
    # Before any other demo data, which refers to the members.
    signals.provide(signals.demo_seeders, app, Seeder(seed_members, order=0))
