"""Home page blocks: each capability registers a function that returns its block.

A block is a title, a template and its context; the function takes no argument,
because the home page is the same for every visitor (it shows public things only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app


@dataclass(frozen=True)
class HomeBlock:
    """One box on the public home page."""

    title: object
    template: str
    context: dict[str, Any] = field(default_factory=dict)


HomeBlockFactory = Callable[[], HomeBlock | None]


def register_home_block(app: Flask, factory: HomeBlockFactory, order: int = 100) -> None:
    """Add a block to the public home page (lower ``order`` comes first)."""
    app.extensions.setdefault("consult_home_blocks", []).append((order, factory))


def home_blocks() -> list[HomeBlock]:
    """The blocks to show, in order; a factory may return None to show nothing."""
    factories = sorted(
        current_app.extensions.get("consult_home_blocks", []), key=lambda pair: pair[0]
    )
    return [block for _, factory in factories if (block := factory()) is not None]
