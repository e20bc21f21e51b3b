"""Markdown people write, as safe HTML: the one policy for every text shown on a page.

Toolkit sections and comments, call minutes and agenda items, event descriptions and
session notes all pass through :func:`render_markdown` (in templates, the ``markdown``
filter). markdown-it-py renders CommonMark with raw HTML off, so HTML in the source is
shown as text; nh3 then keeps only the tags, attributes and URL schemes below, as a
second guard. Links get ``rel="nofollow noopener"``; only http, https and mailto URLs
survive; images are not allowed (they would load from anywhere).
"""

from __future__ import annotations

from functools import cache, lru_cache

import nh3
from flask import Flask
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "del", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"


@cache
def _parser() -> MarkdownIt:
    # Raw HTML in the source is shown as text, never passed through; nh3 is the second guard.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


def sanitise(html: str) -> str:
    """Keep only the allowed tags, attributes and URL schemes; links get rel="nofollow noopener"."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str | None) -> Markup:
    """Render Markdown written by a user as sanitised HTML, ready for a template."""
    return Markup(_render(text or ""))  # noqa: S704 (sanitised in _render)


@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    return sanitise(_parser().render(text))


def init_app(app: Flask) -> None:
    """Give every template the ``markdown`` filter."""
    app.add_template_filter(render_markdown, "markdown")
