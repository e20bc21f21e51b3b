"""Moving one row up or down a list kept in order by its ``position`` column.

Key elements, toolkit sections, agenda items and constituencies are all ordered this
way, and the Secretariat moves them with the same two buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

#: What the two buttons send, and how far each moves a row.
DIRECTIONS = {"up": -1, "down": 1}


class Positioned(Protocol):
    """A row with a display position."""

    position: int


def move(rows: Sequence[Positioned], row: Positioned, direction: str) -> bool:
    """Swap ``row`` with its neighbour ``up`` or ``down`` in ``rows`` (given in display order).

    Every row is then numbered 1, 2, 3 ... so that positions stay distinct even where
    older rows shared one. False when the row cannot move that way: it is already first
    or last, or not among ``rows``.
    """
    ordered = list(rows)
    index = next((i for i, each in enumerate(ordered) if each is row), -1)
    target = index + DIRECTIONS[direction]
    moved = index >= 0 and 0 <= target < len(ordered)
    if moved:
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, each in enumerate(ordered, start=1):
        each.position = position
    return moved
