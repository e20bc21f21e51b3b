"""Form helpers shared by every capability."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms.fields.choices import SelectChoice

#: HTTP status for a form sent back with errors next to its fields.
INVALID = 422


def select_choices(
    pairs: Iterable[tuple[Any, Any]], optgroup: str | None = None
) -> list[SelectChoice]:
    """Turn (value, label) pairs into the choices a WTForms ``SelectField`` takes."""
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


def grouped_choices(groups: dict[str, Iterable[tuple[Any, Any]]]) -> list[SelectChoice]:
    """Choices rendered inside one ``<optgroup>`` per key of ``groups``."""
    return [choice for name, pairs in groups.items() for choice in select_choices(pairs, name)]
