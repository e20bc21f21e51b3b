"""The assessment matrix: each published profile against each key element."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from consult.public.models import Assessment, KeyElement, Rating, ViaProfile


@dataclass(frozen=True)
class Cell:
    """One profile against one key element; ``assessment`` is None when nobody judged it."""

    key_element: KeyElement
    rating: Rating
    assessment: Assessment | None


@dataclass(frozen=True)
class Row:
    """A profile and its cells, in key element order."""

    profile: ViaProfile
    cells: list[Cell]

    def count(self, rating: Rating) -> int:
        """How many key elements have ``rating`` for this profile."""
        return sum(1 for cell in self.cells if cell.rating is rating)


def build_matrix(
    profiles: Iterable[ViaProfile],
    key_elements: Iterable[KeyElement],
    assessments: Iterable[Assessment],
) -> list[Row]:
    """Rows of cells; a missing assessment reads as 'unknown'."""
    elements = list(key_elements)
    found = {(a.profile_id, a.key_element_id): a for a in assessments}
    rows = []
    for profile in profiles:
        cells = []
        for element in elements:
            assessment = found.get((profile.id, element.id))
            rating = assessment.rating if assessment else Rating.UNKNOWN
            cells.append(Cell(element, rating, assessment))
        rows.append(Row(profile, cells))
    return rows
