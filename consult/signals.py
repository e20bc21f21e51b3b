"""Hooks between capabilities: blinker signals declared by the core, as Indico's ``core.signals``.

A capability connects its receivers in its own ``init_app``, with the application as sender::

    signals.dashboard_panels.connect(calls_panel, app)       # called on every dashboard
    signals.provide(signals.nav_items, app, NavItem(...))    # the same answer every time

so an application built without that capability never hears from it, and the several
applications a test run builds never call each other's receivers. Nobody imports another
capability to hook into it: the core sends, through :func:`ordered` or :func:`values`.

A receiver is called with the application (and, for some signals, keyword arguments) and
returns one value, a list of them, or None for nothing. Blinker calls receivers in no
particular order, so every value carries an ``order`` (lower first); ties go by the receiver's
qualified name (for :func:`provide`, the order of the calls), then by position in its list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from blinker import Namespace, Signal
from flask import Flask, current_app

_signals = Namespace()
_provided = count()

#: ``(app)`` -> ``consult.navigation.NavItem`` entries.
nav_items = _signals.signal("nav-items")
#: ``(app, user)`` -> a :class:`Panel` for the member's dashboard, or None.
dashboard_panels = _signals.signal("dashboard-panels")
#: ``(app)`` -> a :class:`Panel` for the public home page (public things only), or None.
home_blocks = _signals.signal("home-blocks")
#: ``(app, profile, user)`` -> a :class:`Panel` on a VIA profile's page (its documents), or None.
profile_sections = _signals.signal("profile-sections")
#: ``(app, call, user)`` -> a :class:`Panel` on a teleconference's page (its action items), or None.
call_sections = _signals.signal("call-sections")
#: ``(app, user)`` -> a :class:`Panel` on the member's own profile page (their e-mail choices), or None.
account_panels = _signals.signal("account-panels")
#: ``(app, user)`` -> ``consult.ical.Meeting`` list for the user's private calendar feed.
calendar_feed = _signals.signal("calendar-feed")
#: ``(app, user)`` -> :class:`DocumentLink` entries: files ``user`` may link to (an agenda item's).
linkable_documents = _signals.signal("linkable-documents")
#: ``(app, section, user)`` -> a :class:`Panel` on a toolkit section's page (stances, proposals,
#: amendments), or None. Its context may name static files the page loads for it:
#: ``stylesheets`` (in the head) and ``scripts`` (after the page's own).
section_panels = _signals.signal("section-panels")
#: ``(app, section, user)`` -> a :class:`Panel` on a toolkit section's history page (outcomes), or None.
section_history = _signals.signal("section-history")
#: ``(app, section, user, stance, comment_id)``, sent when a member states a stance with a
#: top-level comment; receivers return None.
stance_stated = _signals.signal("stance-stated")
#: ``(app)`` -> a ``consult.demo.Seeder``.
demo_seeders = _signals.signal("demo-seeders")
#: ``(app)`` -> a ``consult.mailin.MailHandler``.
mail_handlers = _signals.signal("mail-handlers")


@dataclass(frozen=True)
class Panel:
    """One box on a page: a dashboard panel or a home page block.

    The template reads ``panel.context`` (the dashboard), ``block.context`` (the home page) or
    ``section.context`` (a VIA profile's or a call's page).
    """

    title: object  # a lazy string, translated when rendered
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


def provide(signal: Signal, app: Flask, *answer: Any) -> Callable[..., list[Any]]:
    """Answer ``signal`` for ``app`` with the same values every time (menu entries, seeders ...).

    Returns the receiver, for ``signal.disconnect(receiver, app)``.
    """

    def receiver(sender: Flask, **kwargs: Any) -> list[Any]:
        return list(answer)

    receiver.__qualname__ = f"provided-{next(_provided):09d}"
    return signal.connect(receiver, app, weak=False)


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


@dataclass(frozen=True)
class DocumentLink:
    """A document another capability may link to: its address (on ``PUBLIC_URL``) and title."""

    url: str
    title: str
    order: int = 100
