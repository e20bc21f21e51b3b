"""Crawl the demo site as each role and send bad input to every form: never a 500.

The crawler follows the links and forms the pages themselves offer, so new pages
are covered without listing them here.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from consult.accounts.models import User
from consult.demo import SECRETARIAT_EMAIL, load_demo
from consult.extensions import db
from tests.conftest import sign_in

MAX_PAGES = 250
SKIPPED_PREFIXES = ("/static/", "/sign-out", "/socket.io")
GARBAGE = ["", "-1", "9" * 40, "<script>alert(1)</script>", "2000-02-30", "nonsense", "\x00"]


class LinksAndForms(HTMLParser):
    """The same-site links and the forms (action, method, field names) of a page."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.links: set[str] = set()
        self.forms: list[tuple[str, str, list[str]]] = []
        self._form: tuple[str, str, list[str]] | None = None

    def _local(self, url: str | None) -> str | None:
        if not url or url.startswith(("#", "mailto:", "webcal:")):
            return None
        parts = urlsplit(urljoin(self.base, url))
        if parts.netloc not in ("", "consult.test"):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and (link := self._local(attributes.get("href"))):
            self.links.add(link)
        elif tag == "form":
            action = self._local(attributes.get("action") or self.base) or self.base
            self._form = (action, (attributes.get("method") or "get").lower(), [])
            self.forms.append(self._form)
        elif (
            tag in ("input", "select", "textarea")
            and self._form
            and attributes.get("name")
            and attributes.get("type") not in ("submit", "button", "file")
        ):
            self._form[2].append(attributes["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def crawl(client, start: list[str]) -> tuple[dict[str, int], list[tuple[str, str, list[str]]]]:
    """Visit pages breadth-first from ``start``; return status by page and the forms seen."""
    seen: dict[str, int] = {}
    forms: dict[tuple[str, str], tuple[str, str, list[str]]] = {}
    queue = deque(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen or path.startswith(SKIPPED_PREFIXES):
            continue
        with client.get(path) as response:
            seen[path] = response.status_code
            html = response.content_type.startswith("text/html") and response.status_code == 200
            body = response.get_data(as_text=True) if html else ""
        if not html:
            continue
        parser = LinksAndForms(path)
        parser.feed(body)
        queue.extend(link for link in parser.links if link not in seen)
        for form in parser.forms:
            forms.setdefault((form[0], form[1]), form)
    return seen, list(forms.values())


def _entry_pages(app) -> list[str]:
    """Every page that needs no argument: where the crawl starts."""
    return [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments
    ]


@pytest.fixture
def demo(app):
    """The demo data, inside the test's transaction."""
    return load_demo()


@pytest.mark.parametrize("role", ["anonymous", "member", "secretariat"])
def test_no_page_crashes_for_any_role(app, client, demo, role):
    """Does every page reachable by links answer without a server error, for each role?"""
    if role != "anonymous":
        email = SECRETARIAT_EMAIL if role == "secretariat" else "ngo.nairobi@example.org"
        sign_in(client, db.session.scalar(db.select(User).where(User.email == email)))
    pages, _ = crawl(client, _entry_pages(app))
    assert len(pages) > 20
    assert {path: status for path, status in pages.items() if status >= 500} == {}


def test_bad_input_to_every_form_is_a_4xx_not_a_500(app, client, demo):
    """Does each form the Secretariat sees answer empty and garbage input without a 500?"""
    officer = db.session.scalar(db.select(User).where(User.email == SECRETARIAT_EMAIL))
    sign_in(client, officer)
    _, forms = crawl(client, _entry_pages(app))
    posts = [form for form in forms if form[1] == "post"]
    assert len(posts) > 20
    crashes = []
    for action, _, fields in posts:
        for value in GARBAGE:
            data = {name: value for name in fields if name != "csrf_token"}
            status = client.post(action, data=data).status_code
            if status >= 500:
                crashes.append((action, value, status))
        sign_in(client, officer)
    assert crashes == []


def test_every_crawled_page_is_accessible_and_csp_clean(app, client, demo):
    """Do all pages the Secretariat reaches label their inputs and keep to the CSP?"""
    from tests.core.test_pages import audit_page

    officer = db.session.scalar(db.select(User).where(User.email == SECRETARIAT_EMAIL))
    sign_in(client, officer)
    pages, _ = crawl(client, _entry_pages(app))
    problems = []
    for path, status in pages.items():
        if status != 200:
            continue
        response = client.get(path)
        if not response.content_type.startswith("text/html"):
            response.close()
            continue
        problems += audit_page(response.get_data(as_text=True), path)
    assert problems == []


#: Pages only signed-in members may open (prefixes of paths).
MEMBERS_ONLY = (
    "/dashboard",
    "/calls",
    "/actions",
    "/programme",
    "/profile",
    "/toolkit/consensus",
    "/toolkit/notifications",
    "/members",
    "/constituencies",
    "/manage",
    "/events/admin",
)
#: Pages only the Secretariat may open.
SECRETARIAT_ONLY = (
    "/members",
    "/constituencies",
    "/manage",
    "/events/admin",
    "/calls/holidays",
    "/calls/series/new",
    "/programme/new",
    "/toolkit/sections/new",
)
SECRETARIAT_ONLY_PARTS = ("/plan", "/edit")


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    """True when ``path`` is one of ``prefixes`` or below one of them."""
    bare = path.split("?", 1)[0]
    return any(bare == prefix or bare.startswith(prefix + "/") for prefix in prefixes)


def _secretariat_pages(app, client) -> list[str]:
    officer = db.session.scalar(db.select(User).where(User.email == SECRETARIAT_EMAIL))
    sign_in(client, officer)
    pages, _ = crawl(client, _entry_pages(app))
    client.post("/sign-out")
    return [path for path, status in pages.items() if status == 200]


def test_anonymous_visitors_never_open_member_pages(app, client, demo):
    """Of every page the Secretariat can open, are the members' ones closed to visitors?"""
    pages = _secretariat_pages(app, client)
    leaks = []
    for path in pages:
        if _under(path, MEMBERS_ONLY):
            with client.get(path) as response:
                if response.status_code == 200:
                    leaks.append(path)
    assert len(pages) > 50
    assert leaks == []


def test_members_never_open_secretariat_pages(app, client, demo):
    """Of every page the Secretariat can open, are its own closed to an ordinary member?"""
    pages = _secretariat_pages(app, client)
    member = db.session.scalar(db.select(User).where(User.email == "ngo.nairobi@example.org"))
    sign_in(client, member)
    leaks = []
    for path in pages:
        own_profile_page = _under(path, ("/profile", "/toolkit/comments"))
        if _under(path, SECRETARIAT_ONLY) or (
            any(part in path for part in SECRETARIAT_ONLY_PARTS) and not own_profile_page
        ):
            with client.get(path) as response:
                if response.status_code == 200:
                    leaks.append(path)
    assert leaks == []
