"""Accounts: constituencies, sign-in, invitations, password reset, profiles and roles."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("accounts", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint, the user loader and the navigation entries."""
    from consult.accounts import admin, views  # noqa: F401  (register the routes)
    from consult.accounts.models import User
    from consult.accounts.services import user_for_session
    from consult.extensions import login_manager
    from consult.navigation import NavItem, add_nav_item

    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        return user_for_session(session_id)

    app.register_blueprint(bp)
    add_nav_item(app, NavItem("accounts.members", _l("Members"), "secretariat", order=80))
    add_nav_item(app, NavItem("accounts.profile", _l("Profile"), "member", order=90))
