"""Redlines: what changed between two texts, word by word, as a negotiator reads a marked-up draft.

A line diff shows a paragraph where one word changed as the whole paragraph removed and
added again; here the texts are cut into words, spaces and punctuation, compared, and the
result is one run of text with the deleted and inserted words marked inline. Templates show
the runs with ``<del>`` (struck through) and ``<ins>`` (underlined) and a visually hidden
word before and after each change for screen readers, so the marks need no colour and print.

Used by the toolkit's comparison of two versions and by amendments (the passage and its
proposed replacement): it is core, like ``consult.markdown``, so neither imports the other.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

#: Words (letters and digits, with inner apostrophes and hyphens), runs of space, or one sign.
_TOKENS = re.compile(r"\w+(?:['\u2019-]\w+)*|\s+|[^\w\s]", re.UNICODE)

SAME, INSERTED, DELETED = "same", "inserted", "deleted"


@dataclass(frozen=True)
class Run:
    """A stretch of text that is ``same``, ``inserted`` or ``deleted``."""

    kind: str
    text: str


def tokens(text: str) -> list[str]:
    """``text`` cut into words, runs of white space and single signs (nothing is lost)."""
    return _TOKENS.findall(text)


def redline(old: str, new: str) -> list[Run]:
    """The runs that turn ``old`` into ``new``, changed words grouped into readable phrases.

    A single space (or a word as short as "a" or "of") left unchanged between two changes is
    folded into them, so "the new green text" replacing "the old blue text" reads as one
    deletion and one insertion rather than four pieces.
    """
    old_tokens, new_tokens = tokens(old.replace("\r\n", "\n")), tokens(new.replace("\r\n", "\n"))
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    opcodes = matcher.get_opcodes()
    pieces: list[tuple[str, str, str]] = []  # (kind, deleted text, inserted text)
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        old_part, new_part = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        between_changes = 0 < index < len(opcodes) - 1
        if tag == "equal" and not (between_changes and _is_glue(old_tokens[i1:i2])):
            pieces.append((SAME, old_part, old_part))
            continue
        if pieces and pieces[-1][0] == "change":
            _, deleted, inserted = pieces.pop()
            pieces.append(("change", deleted + old_part, inserted + new_part))
        else:
            pieces.append(("change", old_part, new_part))
    runs: list[Run] = []
    for kind, deleted, inserted in pieces:
        if kind == SAME:
            _append(runs, SAME, deleted)
            continue
        _append(runs, DELETED, deleted)
        _append(runs, INSERTED, inserted)
    return runs


def _is_glue(parts: list[str]) -> bool:
    """Whether an unchanged stretch is too slight to stand between two changes on its own."""
    return all(part.isspace() for part in parts) or (
        len(parts) == 1 and len(parts[0]) <= 2 and not parts[0].isspace()
    )


def _append(runs: list[Run], kind: str, text: str) -> None:
    if not text:
        return
    if runs and runs[-1].kind == kind:
        runs[-1] = Run(kind, runs[-1].text + text)
    else:
        runs.append(Run(kind, text))


def changed(runs: list[Run]) -> bool:
    """Whether anything was inserted or deleted."""
    return any(run.kind != SAME for run in runs)
