"""Markdown in sections and comments is rendered, then sanitised with nh3."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from consult.toolkit.markdown import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<style>body{display:none}</style>",
    '<img src=x onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">click</a>',
    '<div onmouseover="alert(1)">hover</div>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    "<scr<script>ipt>alert(1)</script>",
    '<a href="javascript&colon;alert(1)">x</a>',
    "<img src=x onerror=alert(1)//",
    '"><script>alert(1)</script>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "[x](vbscript:msgbox(1))",
    '<form action="javascript:alert(1)"><button>go</button></form>',
]

SAFE_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "del", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


class _Audit(HTMLParser):
    """Collects every tag and attribute a browser would see in the rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SAFE_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "src", "srcset", "action", "formaction"}:
                self.problems.append(f"attribute {name}")
            if name == "href" and not re.match(r"^(https?:|mailto:|#|/)", (value or "").strip()):
                self.problems.append(f"href {value}")


def problems_in(html: str) -> list[str]:
    """What in ``html`` could run script or load something on its own."""
    audit = _Audit()
    audit.feed(html)
    audit.close()
    return audit.problems


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_xss_payload_survives(payload: str):
    """Does any script, style, event handler, javascript:/data: URL or SVG survive rendering?"""
    html = str(render_markdown(payload))
    assert problems_in(html) == [], html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_xss_payload_survives_inside_markdown_structures(payload: str):
    """Do payloads inside lists, quotes and tables get neutralised too?"""
    text = f"- item {payload}\n\n> {payload}\n\n| a |\n|---|\n| {payload} |\n"
    html = str(render_markdown(text))
    assert problems_in(html) == [], html


def test_links_get_nofollow_noopener():
    """Do links keep their http(s) target and get rel="nofollow noopener"?"""
    html = str(render_markdown("See [the VIA page](https://www.un.org/esa/sustdev/via.htm)."))
    assert '<a href="https://www.un.org/esa/sustdev/via.htm" rel="nofollow noopener">' in html


def test_ordinary_markdown_is_rendered():
    """Are emphasis, lists, quotes and code kept?"""
    html = str(render_markdown("*a* **b**\n\n- one\n- two\n\n> quoted\n\n`code`"))
    for tag in (
        "<em>a</em>",
        "<strong>b</strong>",
        "<li>one</li>",
        "<blockquote>",
        "<code>code</code>",
    ):
        assert tag in html


def test_the_audit_itself_catches_unsafe_html():
    """Would the audit notice a script tag, a handler or a javascript: link (so the tests can fail)?"""
    assert problems_in('<script>x</script><a href="javascript:x" onclick="y">z</a>') == [
        "tag <script>",
        "href javascript:x",
        "attribute onclick",
    ]
