"""UN document symbols (E/CN.17/1999/12): how one is written, and how it is cleaned."""

from __future__ import annotations

import re

#: A series of bodies (E, A, UNEP) then "/"-separated parts: E/CN.17/1999/12, A/RES/55/2,
#: E/CN.17/2000/L.1/Add.1, UNEP/GC.21/INF/3.
SYMBOL = re.compile(r"^[A-Z][A-Z0-9.\-]*(?:/[A-Z0-9][A-Za-z0-9.\-()]*)+$")
MAX_LENGTH = 80


def clean_symbol(text: str | None) -> str:
    """The symbol without spaces around it or inside it, its series letters upper case."""
    compact = re.sub(r"\s+", "", text or "")
    head, sep, rest = compact.partition("/")
    return head.upper() + sep + rest


def is_symbol(text: str) -> bool:
    """Whether ``text`` (cleaned) is written as a UN document symbol."""
    return len(text) <= MAX_LENGTH and SYMBOL.match(text) is not None
