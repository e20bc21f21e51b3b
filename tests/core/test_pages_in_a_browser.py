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
    ARABIC_COMMENT,
    ARABIC_NAME,
    DEMO_PASSWORD,
    ROLES,
    STANDARD_SLUG,
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
    practice_id: int


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
        from consult.events.models import Event
        from consult.toolkit.models import Comment

        section_id = db.session.scalars(
            db.select(Comment.section_id).order_by(Comment.id.desc())
        ).first()
        series_id = db.session.scalars(db.select(CallSeries.id).order_by(CallSeries.id)).first()
        practice_id = db.session.scalar(db.select(Event.id).where(Event.slug == PRACTICE_SLUG))
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
        register = f"/events/{PRACTICE_SLUG}/register"
        yield Site(server, app, pages, section_id, series_id, register, practice_id)
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


def lay_out(driver: Any, width: int, height: int = 900) -> None:
    """Lay pages out ``width`` CSS pixels wide (a laptop at 1,280, a phone at 320)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )


BOXES = """
const box = el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right}; };
const html = document.documentElement;
return {
  dir: html.dir, lang: html.lang, sideways: html.scrollWidth > html.clientWidth,
  width: html.clientWidth,
  brand: box(document.querySelector('.brand')),
  nav: box(document.querySelector('.main-nav .nav li')),
  account: box(document.querySelector('.account')),
  main: getComputedStyle(document.querySelector('main')).direction,
};
"""


def mirrored_problems(driver: Any) -> list[str]:
    """What keeps the open page from being a mirrored, right-to-left page."""
    facts = driver.execute_script(BOXES)
    problems = []
    if (facts["dir"], facts["lang"], facts["main"]) != ("rtl", "ar", "rtl"):
        problems.append(f"dir={facts['dir']} lang={facts['lang']} direction={facts['main']}")
    if facts["sideways"]:
        problems.append("scrolls sideways")
    brand, nav, account = facts["brand"], facts["nav"], facts["account"]
    # right to left, the header reads from the right: the name, then the menu, then the account
    if not brand["right"] > facts["width"] * 0.8:
        problems.append(f"the site's name is not at the right: {brand}")
    # the menu's first entry is left of the name, or, on a row of its own, starts at the right
    if not (nav["right"] <= brand["left"] + 1 or abs(nav["right"] - brand["right"]) < 2):
        problems.append(f"the menu does not start at the right: {nav} / {brand}")
    if not account["left"] < facts["width"] * 0.5:
        problems.append(f"the account is not on the left: {account}")
    return problems


def test_arabic_pages_are_mirrored_with_screenshots(site, driver, tmp_path):
    """Home, a toolkit thread, the planner and the registration form in Arabic: right to left,
    the header mirrored, nothing sideways, user text in its own direction; screenshots kept."""
    from selenium.webdriver.common.by import By

    folder = SCREENSHOTS if str(SCREENSHOTS) not in ("", ".") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    pages = [
        ("visitor", "home", "/"),
        ("visitor", "registration", site.register_path),
        ("member", "toolkit-thread", f"/toolkit/sections/{site.section_id}"),
        ("secretariat", "planner", f"/calls/series/{site.series_id}/plan"),
    ]
    problems: dict[str, list[str]] = {}
    try:
        for role, name, path in pages:
            become(driver, site, role)
            choose_language(driver, site, "ar")
            for width in (1280, PHONE):
                lay_out(driver, width)
                driver.get(site.server.url + path)
                driver.save_screenshot(str(folder / f"ar-{name}-{width}.png"))
                found = mirrored_problems(driver) if width > PHONE else []
                if driver.execute_script(PAGE_FACTS)["sideways"]:
                    found.append("scrolls sideways")
                if found:
                    problems[f"{name} at {width} px"] = found
            if name == "toolkit-thread":
                # the Arabic comment reads right to left, an English one left to right
                directions = {
                    element.text[:12]: element.value_of_css_property("direction")
                    for element in driver.find_elements(By.CSS_SELECTOR, ".comment-body")
                }
                assert directions.get(ARABIC_COMMENT[:12]) == "rtl", directions
                assert "ltr" in directions.values(), directions
            if name == "registration":
                assert driver.find_element(By.CSS_SELECTOR, "form input[name=name]")
    finally:
        lay_out(driver, PHONE, 800)
    assert {path.name for path in folder.glob("ar-*.png")} >= {
        f"ar-{name}-{width}.png" for _, name, _ in pages for width in (1280, PHONE)
    }
    assert problems == {}


def test_an_arabic_name_in_an_english_list_keeps_its_place(site, driver):
    """On the Secretariat's list of registrations, is the Arabic registrant's name isolated?"""
    from selenium.webdriver.common.by import By

    become(driver, site, "secretariat")
    choose_language(driver, site, "en")
    driver.get(f"{site.server.url}/events/admin/{site.practice_id}")
    names = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "table.registrations bdi")]
    assert ARABIC_NAME in names


FIRST_VISIT = """
const entries = [...performance.getEntriesByType('navigation'),
                 ...performance.getEntriesByType('resource')];
return entries.map(e => [e.name, e.transferSize]);
"""


def transferred(driver: Any, url: str) -> tuple[int, list]:
    """Bytes a first visit to ``url`` moves over the network (empty cache), and the requests."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    try:
        driver.get(url)
        entries = driver.execute_script(FIRST_VISIT)
    finally:
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
    return sum(size for _, size in entries), entries


def test_a_first_visit_is_light(site, driver):
    """Does a first visit transfer ≤ 60 KB for a toolkit section, ≤ 25 KB for the registration
    form, in every language, all from the site itself?

    The registration form is the standard one; an event's own questions add to it (the demo
    practice event asks for a nationality: a second list of countries, some 5 KB more).
    """
    sizes: dict[str, int] = {}
    for role, path, limit in (
        ("visitor", f"/events/{STANDARD_SLUG}/register", 25_000),
        ("member", f"/toolkit/sections/{site.section_id}", 60_000),
    ):
        become(driver, site, role)
        for locale in LOCALES:
            choose_language(driver, site, locale)
            total, entries = transferred(driver, site.server.url + path)
            assert all(name.startswith(site.server.url) for name, _ in entries), entries
            # nothing came from the cache (the icon may: the browser keeps icons apart)
            fetched = [
                size for name, size in entries if "/static/css/" in name or name.endswith(path)
            ]
            assert len(fetched) > 1 and all(fetched), entries
            sizes[f"{locale} {path}"] = total
            assert total <= limit, (locale, path, total, entries)
    print(sizes)


def test_a_toolkit_section_works_without_javascript(site, driver):
    """With scripts off: can a member read a section, comment, and reply from the reply page?"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    become(driver, site, "member")
    choose_language(driver, site, "en")
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        url = f"{site.server.url}/toolkit/sections/{site.section_id}"
        driver.get(url)
        assert not driver.find_element(By.ID, "reply-form").is_displayed()
        driver.find_element(By.ID, "body").send_keys("Posted without JavaScript.")
        driver.find_element(By.CSS_SELECTOR, "#comment-form button[type=submit]").click()
        WebDriverWait(driver, 20).until(lambda d: "Posted without JavaScript." in d.page_source)
        driver.find_element(By.CSS_SELECTOR, ".reply-link").click()
        WebDriverWait(driver, 20).until(lambda d: "/reply" in d.current_url)
        driver.find_element(By.CSS_SELECTOR, "main textarea").send_keys("A reply, no script.")
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        WebDriverWait(driver, 20).until(lambda d: "A reply, no script." in d.page_source)
        assert driver.current_url.startswith(url)
    finally:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


LAPTOP_FACTS = """
const wrap = document.querySelector('.consensus-wrap');
const overlaps = [...document.querySelectorAll('.timeline li')].filter(li => {
  const when = li.querySelector('.when'), what = li.querySelector('.what');
  if (!when || !what) return false;
  const a = when.getBoundingClientRect(), b = what.getBoundingClientRect();
  return a.right > b.left && a.left < b.right && a.bottom > b.top && a.top < b.bottom;
}).map(li => li.textContent.trim().slice(0, 60));
return {cut: wrap ? wrap.scrollWidth > wrap.clientWidth : null, overlaps: overlaps};
"""


def test_a_laptop_sees_the_whole_consensus_table_and_a_clear_timeline(site, driver):
    """At 1,280 px, in English and in Russian (long words): is the consensus table whole, and
    does no date of the programme's timeline run into its label?"""
    become(driver, site, "secretariat")
    try:
        lay_out(driver, 1280)
        for locale in ("en", "ru"):
            choose_language(driver, site, locale)
            driver.get(site.server.url + "/toolkit/consensus")
            assert driver.execute_script(LAPTOP_FACTS)["cut"] is False, locale
            driver.get(site.server.url + "/programme/")
            facts = driver.execute_script(LAPTOP_FACTS)
            assert facts["overlaps"] == [], locale
            assert driver.find_elements("css selector", ".timeline .when")
    finally:
        lay_out(driver, PHONE, 800)
