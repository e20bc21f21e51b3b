"""Every page in a real browser, in the six languages, on a 320 px phone; Arabic mirrored.

One gunicorn server on a database of its own holding the demo data (and what
``tests/crawl.py`` adds to it), and one headless Chromium for the whole module:

- every page a visitor, a member or the Secretariat reaches (found by following links from the
  server itself), in each language, at 320 CSS pixels: no sideways scrolling, no serious or
  critical axe-core finding (WCAG 2.1 A and AA), ``lang`` and ``dir`` on ``<html>``, and not one
  request to another host. A page several readers see is opened once, by the reader who sees
  the most of it (the Secretariat, then a member, then a visitor). Colour contrast depends on
  the stylesheet alone, the same in every left-to-right language: it is checked in English and
  in Arabic, the other rules in all six (this halves axe's time);
- the home page, a toolkit thread, the planner and the registration form in Arabic: a
  screenshot of each, right to left, the header mirrored (by the boxes' positions), user text
  isolated;
- what a first visit transfers (the toolkit section page and the registration page);
- the toolkit section usable without JavaScript.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from consult import create_app
from consult.demo import load_demo
from consult.extensions import db
from tests import browser
from tests.conftest import migrated_database
from tests.crawl import (
    ACCOUNTS,
    DEMO_PASSWORD,
    ROLES,
    Answer,
    complete_demo,
    crawl,
    starting_points,
)
from tests.live import LiveServer, csrf_token_in

pytestmark = [pytest.mark.live, pytest.mark.browser]

LOCALES = ("en", "ar", "zh_Hans", "fr", "ru", "es")
#: Languages in which colour contrast is checked too: one per direction.
CONTRAST_LOCALES = ("en", "ar")
PHONE = 320
SECRET = "pages-in-a-browser-" + "s" * 40
#: Where the Arabic screenshots are kept (a CI job can keep them as artefacts).
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or "")


@dataclass
class Site:
    """The live server, the seeding application and the pages each reader opens."""

    server: LiveServer
    app: Flask
    pages: dict[str, list[str]]
    section_id: int
    series_id: int
    register_path: str


def requests_fetch(session: requests.Session, base: str):
    def fetch(path: str) -> Answer:
        response = session.get(base + path, allow_redirects=False, timeout=60)
        mimetype = response.headers.get("Content-Type", "").split(";")[0]
        return Answer(
            response.status_code,
            mimetype,
            response.text if mimetype == "text/html" else "",
            response.headers.get("Location"),
        )

    return fetch


def signed_in_session(base: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/sign-in", timeout=60)
    response = session.post(
        base + "/sign-in",
        data={"csrf_token": csrf_token_in(page.text), "email": email, "password": DEMO_PASSWORD},
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code in (302, 303), response.text[:300]
    return session


@pytest.fixture(scope="module")
def site(database_url, tmp_path_factory) -> Iterator[Site]:
    """The demo site on a real server; the pages each reader opens, found by crawling it."""
    folder = tmp_path_factory.mktemp("pages")
    url = migrated_database(database_url, "pages", folder)
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": SECRET,
        "INSTANCE_PATH": str(folder),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    app = create_app(config)
    with app.app_context(), app.test_request_context():
        users = load_demo()
        complete_demo(users)
        starts = {role: starting_points(role) for role in ROLES}
        from consult.calls.models import CallSeries
        from consult.events.demo import PRACTICE_SLUG
        from consult.toolkit.models import Comment

        section_id = db.session.scalars(
            db.select(Comment.section_id).order_by(Comment.id.desc())
        ).first()
        series_id = db.session.scalars(db.select(CallSeries.id).order_by(CallSeries.id)).first()
        db.session.remove()
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "INSTANCE_PATH": str(folder),
        "RATELIMIT_ENABLED": "false",
    }
    server = LiveServer(env=env, threads=8).start()
    try:
        sessions = {"visitor": requests.Session()}
        for role, email in ACCOUNTS.items():
            sessions[role] = signed_in_session(server.url, email)
        host = f"127.0.0.1:{server.port}"
        found = {
            role: list(crawl(app, requests_fetch(sessions[role], server.url), starts[role], host))
            for role in ROLES
        }
        # each page once, opened by the reader who sees the most of it
        pages: dict[str, list[str]] = {}
        opened: set[str] = set()
        for role in ("secretariat", "member", "visitor"):
            pages[role] = [path for path in found[role] if path not in opened]
            opened.update(pages[role])
        yield Site(server, app, pages, section_id, series_id, f"/events/{PRACTICE_SLUG}/register")
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    """One Chromium for the module, laid out as a 320 px phone, axe-core in every page."""
    with browser.chromium() as chrome:
        browser.viewport(chrome, PHONE)
        chrome.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": browser.AXE.read_text()}
        )
        yield chrome


def become(driver: Any, site: Site, role: str) -> None:
    """Start afresh (no cookies) and sign in as ``role``'s account, if any."""
    driver.delete_all_cookies()
    if role in ACCOUNTS:
        browser.sign_in(driver, site.server.url, ACCOUNTS[role], DEMO_PASSWORD)


def choose_language(driver: Any, site: Site, locale: str) -> None:
    """Through the switcher in the header, as a reader does (saved on a member's profile)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(site.server.url + "/")
    driver.find_element(By.CSS_SELECTOR, f"form.languages button[value='{locale}']").click()
    tag = locale.replace("_", "-")
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return document.documentElement.lang") == tag
    )


PAGE_FACTS = """
const html = document.documentElement;
const origin = location.origin;
const elsewhere = performance.getEntriesByType('resource').map(e => e.name)
  .filter(name => !name.startsWith(origin));
return {lang: html.lang, dir: html.dir, elsewhere: elsewhere,
        sideways: html.scrollWidth > html.clientWidth};
"""


def page_problems(driver: Any, locale: str) -> list[str]:
    """What is wrong with the page open in ``driver``, for a page in ``locale``."""
    facts = driver.execute_script(PAGE_FACTS)
    problems = []
    if facts["lang"] != locale.replace("_", "-"):
        problems.append(f"lang={facts['lang']!r}")
    if facts["dir"] != ("rtl" if locale == "ar" else "ltr"):
        problems.append(f"dir={facts['dir']!r}")
    if facts["elsewhere"]:
        problems.append(f"requests to other hosts: {facts['elsewhere']}")
    if facts["sideways"]:
        problems.append("scrolls sideways at 320 px")
    disabled = () if locale in CONTRAST_LOCALES else ("color-contrast",)
    for violation in browser.axe_violations(driver, disabled=disabled):
        problems.append(f"axe {violation['id']} ({violation['impact']}): {violation['nodes'][:3]}")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_a_phone_and_passes_axe_in_every_language(site, driver, role):
    """At 320 px, in six languages: no sideways scrolling, no serious axe finding, lang and dir?"""
    paths = site.pages[role]
    assert paths, f"no page for {role}"
    become(driver, site, role)
    problems: dict[str, list[str]] = {}
    for locale in LOCALES:
        choose_language(driver, site, locale)
        for path in paths:
            driver.get(site.server.url + path)
            found = page_problems(driver, locale)
            if found:
                problems[f"{locale} {path}"] = found
    report = "\n".join(f"{page}: {'; '.join(found)}" for page, found in problems.items())
    assert not problems, f"{len(problems)} pages of {len(paths) * len(LOCALES)}:\n{report}"
