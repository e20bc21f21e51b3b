"""Every text people write goes through one Markdown renderer and one nh3 policy."""

from __future__ import annotations

import pytest

from consult.markdown import render_markdown
from tests.xss import XSS_PAYLOADS, in_structures, problems_in


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_xss_payload_survives(payload: str):
    """Does any script, style, event handler, javascript:/data: URL or SVG survive rendering?"""
    html = str(render_markdown(payload))
    assert problems_in(html) == [], html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_xss_payload_survives_inside_markdown_structures(payload: str):
    """Do payloads inside lists, quotes and tables get neutralised too?"""
    html = str(render_markdown(in_structures(payload)))
    assert problems_in(html) == [], html


def test_links_get_nofollow_noopener():
    """Do links keep their http(s) target and get rel="nofollow noopener"?"""
    html = str(render_markdown("See [the VIA page](https://www.un.org/esa/sustdev/via.htm)."))
    assert '<a href="https://www.un.org/esa/sustdev/via.htm" rel="nofollow noopener">' in html


def test_ordinary_markdown_is_rendered():
    """Are emphasis, lists, quotes, code and tables kept?"""
    html = str(
        render_markdown("*a* **b**\n\n- one\n- two\n\n> quoted\n\n`code`\n\n| t |\n|---|\n| c |")
    )
    for tag in (
        "<em>a</em>",
        "<strong>b</strong>",
        "<li>one</li>",
        "<blockquote>",
        "<code>code</code>",
        "<td>c</td>",
    ):
        assert tag in html


def test_empty_text_renders_nothing():
    """Does a field left empty (or missing) render as no HTML at all?"""
    assert str(render_markdown("")) == str(render_markdown(None)) == ""


def test_the_markdown_filter_is_the_same_renderer(app):
    """Do templates get the very same renderer as the ``markdown`` filter?"""
    assert app.jinja_env.filters["markdown"] is render_markdown


def test_the_audit_itself_catches_unsafe_html():
    """Would the audit notice a script tag, a handler or a javascript: link (so the tests can fail)?"""
    assert problems_in('<script>x</script><a href="javascript:x" onclick="y">z</a>') == [
        "tag <script>",
        "href javascript:x",
        "attribute onclick",
    ]
