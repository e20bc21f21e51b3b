"""Toolkit drafting: sections with versions, threaded comments live in every browser, positions."""

from flask import Blueprint, Flask

bp = Blueprint("toolkit", __name__)


def init_app(app: Flask) -> None:
    """Register the models, the blueprint, navigation, panel, seeder, mail handler and commands."""
    from consult.toolkit import models  # noqa: F401  (registers the tables)

    app.register_blueprint(bp)
