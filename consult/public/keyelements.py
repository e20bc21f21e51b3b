"""Ordering of the key elements."""

from __future__ import annotations

from consult.public.models import KeyElement


def renumber(elements: list[KeyElement]) -> None:
    """Give ``elements`` the positions 1, 2, 3 ... in list order."""
    for position, element in enumerate(elements, start=1):
        element.position = position


def move(elements: list[KeyElement], element_id: int, step: int) -> bool:
    """Move one element ``step`` places (-1 up, +1 down); False if it cannot move."""
    ordered = list(elements)
    index = next((i for i, e in enumerate(ordered) if e.id == element_id), None)
    if index is None:
        return False
    target = index + step
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    renumber(ordered)
    return True
