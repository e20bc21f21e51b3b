"""Fixed sets of values stored as text, each value carrying the words people read for it."""

from __future__ import annotations

import enum
from typing import Any


class LabelledEnum(enum.StrEnum):
    """A ``StrEnum`` whose members are written ``NAME = "value", _l("Label")``.

    The value is what the database, URLs and forms hold; ``member.label`` is what pages,
    e-mails and exports show. Keeping the two together means no capability needs a
    label table or a template helper of its own: a template writes ``call.status.label``.
    """

    label: Any  # a lazy string, translated when shown

    def __new__(cls, value: str, label: Any = None) -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = value if label is None else label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, Any]]:
        """(value, label) pairs in the order the members are written, for a select."""
        return [(member.value, member.label) for member in cls]
