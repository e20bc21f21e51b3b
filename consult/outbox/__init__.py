"""The outbox: e-mails written in the transaction that causes them, delivered by workers.

A request calls :func:`consult.outbox.letters.enqueue`; after the commit a worker
writes the letter (each capability's ``notifications.py`` declares how, with
:func:`consult.outbox.letters.letter`) and sends it (:mod:`consult.outbox.delivery`).
The Secretariat follows it all on ``/outbox``.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("outbox", __name__)


def init_app(app: Flask) -> None:
    """Register the model, the delivery jobs, the commit hook, the page and its menu entry."""
    from consult import signals
    from consult.navigation import NavItem
    from consult.outbox import delivery, dispatch, models, views  # noqa: F401  (jobs, routes)

    dispatch.listen()
    app.register_blueprint(bp)
    signals.provide(
        signals.nav_items, app, NavItem("outbox.index", _l("Outbox"), "secretariat", order=85)
    )
