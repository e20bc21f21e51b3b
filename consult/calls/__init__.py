"""Teleconferences: series, planner, invites, RSVP, agendas, minutes and calendar feeds."""

from flask import Blueprint, Flask

bp = Blueprint("calls", __name__)


def init_app(app: Flask) -> None:
    """Register the models, routes, navigation, dashboard panel, mail-in handler and commands."""
    from consult.calls import models  # noqa: F401  (registers the tables)
