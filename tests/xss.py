"""Script-injection payloads and an audit of the HTML they become, shared by the Markdown tests."""

from __future__ import annotations

import re
from html.parser import HTMLParser

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

#: Words around a payload, so that a page test audits only what the text became.
START, END = "XSS-AUDIT-START", "XSS-AUDIT-END"


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


def in_structures(payload: str) -> str:
    """``payload`` inside a list, a quote and a table, where a sanitiser could miss it."""
    return f"- item {payload}\n\n> {payload}\n\n| a |\n|---|\n| {payload} |\n"


def marked(payload: str) -> str:
    """Markdown holding ``payload`` alone and inside structures, between the audit's markers."""
    return f"{START}\n\n{payload}\n\n{in_structures(payload)}\n{END}"


def marked_problems(html: str, expected: int) -> list[str]:
    """Audit every marked stretch of a page; fail unless at least ``expected`` are on it."""
    stretches = re.findall(f"{START}(.*?){END}", html, re.S)
    assert len(stretches) >= expected, f"{len(stretches)} marked texts on the page"
    return [problem for stretch in stretches for problem in problems_in(stretch)]
