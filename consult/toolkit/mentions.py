"""@mentions in comments: ``@`` followed by a member's name as the site shows it, or their address.

Names hold spaces ("@Ama Mensah"), so each ``@`` is matched against the members' names and
addresses and the longest one that ends there (not in the middle of a word) wins. An ``@``
inside a word (an e-mail address written out) mentions nobody.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_AT = re.compile(r"(?<![\w@.])@")


def mentioned(text: str, members: Iterable[Any]) -> list[Any]:
    """The members ``text`` mentions, each once, in the order they are first mentioned."""
    members = list(members)
    lowered = text.lower()
    found: list[Any] = []
    for match in _AT.finditer(text):
        start = match.end()
        best: tuple[int, Any] | None = None
        for member in members:
            for handle in (member.display_name, member.email):
                handle = (handle or "").strip().lower()
                if not handle or not lowered.startswith(handle, start):
                    continue
                end = start + len(handle)
                if end < len(text) and (text[end].isalnum() or text[end] == "_"):
                    continue
                if best is None or len(handle) > best[0]:
                    best = (len(handle), member)
        if best is not None and best[1] not in found:
            found.append(best[1])
    return found
