"""Headless Chromium on a section page and a proposal's page: an amendment proposed, or an
answer given, elsewhere appears without reload; the pages pass axe's WCAG checks."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from consult.config import normalise_database_url
from consult.decisions.models import SectionRules
from tests.browser import axe_violations, chromium
from tests.toolkit.livehelpers import browser_session, seed, session_cookie


@pytest.mark.browser
@pytest.mark.live
def test_an_amendment_appears_on_an_open_section_page_without_reload(
    toolkit_server, live_database_url
):
    """Does a member's open page list an amendment another member just proposed, with no
    reload, and are it, the amendment's page, the record and the history free of serious
    accessibility problems?"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    seeded = seed(live_database_url, members=2)
    base = toolkit_server.url
    url = f"{base}/toolkit/sections/{seeded.section_id}"
    with chromium() as driver:
        driver.get(f"{base}/static/css/decisions.css")
        driver.add_cookie(
            {"name": "session", "value": session_cookie(seeded.member_ids[0]), "path": "/"}
        )
        driver.get(url)
        wait = WebDriverWait(driver, 30)
        wait.until(
            ec.presence_of_element_located((By.CSS_SELECTOR, "#decisions-live[data-live='joined']"))
        )
        driver.execute_script("window.__marker = 'same page';")
        assert "No open amendment." in driver.find_element(By.ID, "decisions-live").text

        http = browser_session(base, seeded.member_ids[1])
        form = http.get(f"{url}/amendments/new", timeout=10)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.text).group(1)
        response = http.post(
            f"{url}/amendments/new",
            data={
                "csrf_token": token,
                "passage": "Text",
                "replacement": "Better text",
                "reason": "",
            },
            timeout=10,
            allow_redirects=False,
        )
        assert response.status_code == 302

        wait.until(ec.text_to_be_present_in_element((By.ID, "decisions-live"), "Amendment"))
        assert "No open amendment." not in driver.find_element(By.ID, "decisions-live").text
        assert driver.execute_script("return window.__marker;") == "same page"
        assert axe_violations(driver) == []
        for page in (response.headers["Location"], f"{url}/record", f"{url}/history"):
            driver.get(page if page.startswith("http") else f"{base}{page}")
            assert axe_violations(driver) == [], page


def _allow_member_proposals(database_url: str, section_id: int) -> None:
    """The Secretariat's switch, set in the live server's database."""
    engine = create_engine(normalise_database_url(database_url))
    with Session(engine) as session:
        session.add(SectionRules(section_id=section_id, members_propose=True))
        session.commit()
    engine.dispose()


def _post(http, page_url: str, action_url: str, data: dict) -> requests.Response:
    """Post a form with the CSRF token of the page it is on."""
    page = http.get(page_url, timeout=10)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    return http.post(
        action_url, data={"csrf_token": token, **data}, timeout=10, allow_redirects=False
    )


@pytest.mark.browser
@pytest.mark.live
def test_an_answer_appears_on_an_open_proposal_page_without_reload(
    toolkit_server, live_database_url
):
    """Does a proposal's open page show another member's answer, and their constituency's
    position, without reload; and does the page pass axe's checks?"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    seeded = seed(live_database_url, members=2)
    _allow_member_proposals(live_database_url, seeded.section_id)
    base = toolkit_server.url
    section_url = f"{base}/toolkit/sections/{seeded.section_id}"
    opener = browser_session(base, seeded.member_ids[0])
    closes = (datetime.now(ZoneInfo("Africa/Nairobi")) + timedelta(days=3)).date()
    opened = _post(
        opener,
        f"{section_url}/proposals/new",
        f"{section_url}/proposals/new",
        {"question": "Live question?", "closes_on": closes.isoformat(), "closes_time": "12:00"},
    )
    assert opened.status_code == 302, opened.text
    proposal_url = f"{base}{opened.headers['Location']}"
    with chromium() as driver:
        driver.get(f"{base}/static/css/decisions.css")
        driver.add_cookie(
            {"name": "session", "value": session_cookie(seeded.member_ids[0]), "path": "/"}
        )
        driver.get(proposal_url)
        wait = WebDriverWait(driver, 30)
        joined = (By.CSS_SELECTOR, "#proposal-live[data-live='joined']")
        wait.until(ec.presence_of_element_located(joined))
        driver.execute_script("window.__marker = 'same page';")
        assert "Agree: 0" in driver.find_element(By.ID, "proposal-live").text

        voter = browser_session(base, seeded.member_ids[1])
        voted = _post(voter, proposal_url, f"{proposal_url}/vote", {"choice": "agree"})
        assert voted.status_code == 302

        wait.until(ec.text_to_be_present_in_element((By.ID, "proposal-live"), "Agree: 1"))
        assert "Agrees" in driver.find_element(By.ID, "proposal-live").text
        assert driver.execute_script("return window.__marker;") == "same page"
        assert axe_violations(driver) == []
