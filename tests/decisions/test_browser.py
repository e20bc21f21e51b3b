"""Headless Chromium on a section page: an amendment proposed elsewhere appears without reload,
and the decisions part of the page passes axe's WCAG checks."""

from __future__ import annotations

import re

import pytest

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
