"""Minutes are Markdown; this turns them into safe HTML."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def markdown_html(text: str) -> Markup:
    """Markdown rendered and sanitised (nh3), ready for a template."""
    if not text:
        return Markup("")
    return Markup(nh3.clean(_markdown.render(text), link_rel="noopener noreferrer nofollow"))  # noqa: S704
