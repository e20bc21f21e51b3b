"""The availability poll and the call's records in a real browser, against gunicorn, a worker and
a real SMTP server: sent, answered from the e-mail's link, confirmed; every page axe-clean."""

from __future__ import annotations

import re
import time

import pytest

from tests import browser
from tests.calls.test_browser import planner  # noqa: F401  (the live server fixture)
from tests.conftest import TEST_PASSWORD, links_in

pytestmark = [pytest.mark.live, pytest.mark.browser]


def _wait_for(mailbox, address: str, subject: str, worker, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while True:
        found = [m for m in mailbox.to(address) if str(m["Subject"]).startswith(subject)]
        if found:
            return found[-1]
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.2)


def test_a_poll_from_sending_to_confirming(planner, smtp_server):  # noqa: F811
    """Can the Secretariat send a poll of three slots, a member answer it from the e-mail's link
    on a phone (nothing sideways), the planner show the answers, a slot be confirmed from it and
    an agenda item timed, with no serious or critical axe finding on any of these pages?"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    server, officer, series_id, emails, worker = planner
    mailbox = smtp_server[1]
    with browser.chromium() as driver:
        browser.sign_in(driver, server.url, officer, TEST_PASSWORD)
        driver.get(f"{server.url}/calls/series/{series_id}/poll")
        assert browser.axe_violations(driver) == []
        boxes = driver.find_elements(By.CSS_SELECTOR, "input[name=candidates]")
        assert len(boxes) >= 3
        for box in boxes[:3]:
            box.click()
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        WebDriverWait(driver, 20).until(lambda d: "/plan" in d.current_url)
        section = driver.find_element(By.ID, "poll")
        assert "0 of 3 have answered" in section.text
        assert browser.axe_violations(driver) == []

    member = emails[1]
    message = _wait_for(mailbox, member, "When can you meet?", worker)
    link = next(link for link in links_in(message) if "/answer/" in link)
    path = re.sub(r"^https?://[^/]+", "", link)
    with browser.chromium(width=360, height=800) as driver:
        driver.get(server.url + path)
        assert "Europe/Paris" in driver.find_element(By.CSS_SELECTOR, "main").text
        assert not browser.scrolls_sideways(driver)
        assert browser.axe_violations(driver) == []
        for fieldset in driver.find_elements(By.CSS_SELECTOR, "fieldset.poll-slot"):
            fieldset.find_element(By.CSS_SELECTOR, "input[value=yes]").click()
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        WebDriverWait(driver, 20).until(lambda d: "recorded" in d.page_source)

    with browser.chromium() as driver:
        browser.sign_in(driver, server.url, officer, TEST_PASSWORD)
        driver.get(f"{server.url}/calls/series/{series_id}/plan")
        section = driver.find_element(By.ID, "poll")
        assert "1 of 3 have answered" in section.text
        section.find_element(By.CSS_SELECTOR, "tbody button[type=submit]").click()
        WebDriverWait(driver, 20).until(lambda d: "/plan" not in d.current_url)
        if "Check before sending" in driver.title:
            assert browser.axe_violations(driver) == []
            driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
            WebDriverWait(driver, 20).until(lambda d: re.search(r"/calls/\d+$", d.current_url))
        assert "invitations are on their way" in driver.find_element(By.CSS_SELECTOR, "main").text
        assert browser.axe_violations(driver) == []
        call_url = driver.current_url

        driver.find_element(By.ID, "title").send_keys("Toolkit scope")
        driver.find_element(By.CSS_SELECTOR, "form[action$='/agenda'] button").click()
        driver.find_element(By.LINK_TEXT, "Time, lead and documents").click()
        assert browser.axe_violations(driver) == []
        driver.find_element(By.ID, "duration_minutes").send_keys("20")
        driver.find_element(By.CSS_SELECTOR, "form[action$='/edit'] button").click()
        # the item's own page is under the call's address too: wait until it is left
        WebDriverWait(driver, 20).until(
            lambda d: d.current_url.startswith(call_url) and "/agenda/" not in d.current_url
        )
        assert driver.find_elements(By.CSS_SELECTOR, ".item-time")
    _wait_for(mailbox, member, "Invitation:", worker)
