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
from html.parser import HTMLParser

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


class _PlainText(HTMLParser):
    """Rendered Markdown back to readable plain text: paragraphs, list marks, link targets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # one [number] per open list; 0 for bullets
        self.href: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "blockquote", "pre", "table", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.out.append("\n\n")
        elif tag in ("ul", "ol"):
            if not self.lists:  # a nested list starts on its item's own line breaks
                self.out.append("\n\n")
            start = int(dict(attrs).get("start") or 1) if tag == "ol" else 0
            self.lists.append([start])
        elif tag == "li" and self.lists:
            mark = self.lists[-1]
            self.out.append("\n" + "  " * (len(self.lists) - 1))
            self.out.append(f"{mark[0]}. " if mark[0] else "- ")
            if mark[0]:
                mark[0] += 1
        elif tag in ("br", "tr"):
            self.out.append("\n")
        elif tag == "hr":
            self.out.append("\n\n---")
        elif tag in ("td", "th"):
            self.out.append(" | ")
        elif tag == "a":
            self.href.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "a" and self.href:
            href = self.href.pop()
            text = "".join(self.out).rsplit("\n", 1)[-1]
            if href and not text.endswith(href.removeprefix("mailto:")):
                self.out.append(f" ({href.removeprefix('mailto:')})")

    def handle_data(self, data: str) -> None:
        if data.strip() or "\n" not in data:  # the line breaks between tags are not text
            self.out.append(data)


def plain_text(text: str | None) -> str:
    """Markdown as plain text for places that show no HTML (calendar DESCRIPTION, say):
    the marks gone, paragraphs and list items on their own lines, links followed by their
    address in brackets."""
    parser = _PlainText()
    parser.feed(_render(text or ""))
    parser.close()
    lines = [line.rstrip() for line in "".join(parser.out).splitlines()]
    joined = "\n".join(lines)
    while "\n\n\n" in joined:
        joined = joined.replace("\n\n\n", "\n\n")
    return joined.strip()


def init_app(app: Flask) -> None:
    """Give every template the ``markdown`` filter."""
    app.add_template_filter(render_markdown, "markdown")
