"""Moving a row up or down an ordered list: one rule for key elements, sections, agendas, groups."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from consult.ordering import move


@dataclass(eq=False)
class Row:
    name: str
    position: int


def _rows(*positions: int) -> list[Row]:
    return [Row(chr(ord("a") + i), p) for i, p in enumerate(positions)]


def test_a_row_swaps_with_its_neighbour_and_all_are_renumbered():
    """Does moving the last row up swap it with the one above, positions becoming 1, 2, 3?"""
    rows = _rows(0, 0, 7)  # positions shared or with gaps, as old data may have them
    assert move(rows, rows[2], "up")
    ordered = sorted(rows, key=lambda row: row.position)
    assert [(row.name, row.position) for row in ordered] == [("a", 1), ("c", 2), ("b", 3)]


@pytest.mark.parametrize(("index", "direction"), [(0, "up"), (2, "down")])
def test_the_first_cannot_go_up_nor_the_last_down(index: int, direction: str):
    """Is moving past either end refused, the order kept (and numbered afresh)?"""
    rows = _rows(5, 6, 7)
    assert not move(rows, rows[index], direction)
    assert [row.position for row in rows] == [1, 2, 3]


def test_a_row_not_in_the_list_does_not_move_anything():
    """Is a row from elsewhere refused without changing the order?"""
    rows = _rows(1, 2)
    assert not move(rows, Row("z", 1), "down")
    assert [row.name for row in sorted(rows, key=lambda row: row.position)] == ["a", "b"]
