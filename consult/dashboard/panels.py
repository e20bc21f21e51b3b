"""Dashboard panels: each capability registers a function that returns its panel.

A panel is a template name and its context; the function gets the signed-in user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app


@dataclass(frozen=True)
class Panel:
    """One box on the dashboard."""

    title: object
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelFactory = Callable[[Any], Panel | None]


def register_panel(app: Flask, factory: PanelFactory, order: int = 100) -> None:
    """Add a panel to every member's dashboard."""
    app.extensions.setdefault("consult_panels", []).append((order, factory))


def panels_for(user: Any) -> list[Panel]:
    """The panels to show ``user``, in order; a factory may return None to show nothing."""
    factories = sorted(current_app.extensions.get("consult_panels", []), key=lambda pair: pair[0])
    return [panel for _, factory in factories if (panel := factory(user)) is not None]
