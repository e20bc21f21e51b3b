"""Hooks between capabilities: blinker signals declared by the core, as Indico's ``core.signals``.

A capability connects its receivers in its own ``init_app``, with the application as sender::

    signals.dashboard_panels.connect(calls_panel, app)

so an application built without that capability never hears from it, and the several
applications a test run builds never call each other's receivers. Nobody imports another
capability to hook into it: the core sends, through :func:`ordered` or :func:`values`.

Blinker calls receivers in no particular order, so what a receiver returns carries an ``order``
(lower first); ties go by the receiver's qualified name, then by position in what it returned.
A receiver may return one value, a list of them, or None for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from blinker import Namespace, Signal
from flask import current_app

_signals = Namespace()

nav_items = _signals.signal(
    "nav-items",
    doc="Receivers take the app and return ``consult.navigation.NavItem`` entries.",
)
dashboard_panels = _signals.signal(
    "dashboard-panels",
    doc="Receivers take the app and ``user`` and return a :class:`Panel` or None.",
)
home_blocks = _signals.signal(
    "home-blocks",
    doc="Receivers take the app and return a :class:`Panel` for the public home page, or None.",
)
calendar_feed = _signals.signal(
    "calendar-feed",
    doc="Receivers take the app and ``user`` and return the ``consult.ical.Meeting`` list "
    "of that user's private calendar feed (the feed sorts them by start).",
)
demo_seeders = _signals.signal(
    "demo-seeders",
    doc="Receivers take the app and return a ``consult.demo.Seeder``.",
)
mail_handlers = _signals.signal(
    "mail-handlers",
    doc="Receivers take the app and return a ``consult.mailin.MailHandler``.",
)


@dataclass(frozen=True)
class Panel:
    """One box on a page: a dashboard panel or a home page block.

    The template reads ``panel.context`` (the dashboard) or ``block.context`` (the home page).
    """

    title: object  # a lazy string, translated when rendered
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


def values(signal: Signal, **kwargs: Any) -> list[Any]:
    """What the current application's receivers return, flattened, receiver by receiver."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = []
    for receiver, result in signal.send(app, **kwargs):
        name = f"{receiver.__module__}.{getattr(receiver, '__qualname__', '')}"
        items = result if isinstance(result, list | tuple) else [result]
        found.append((name, [item for item in items if item is not None]))
    return [item for _, items in sorted(found, key=lambda pair: pair[0]) for item in items]


def ordered(signal: Signal, **kwargs: Any) -> list[Any]:
    """:func:`values`, lowest ``order`` first."""
    return sorted(values(signal, **kwargs), key=lambda item: item.order)
