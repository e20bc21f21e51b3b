"""Two headless Chromium pages on one section: a comment posted in one appears in the other."""

from __future__ import annotations

import tempfile

import pytest

from tests.services import require_chromium
from tests.toolkit.livehelpers import seed, session_cookie

CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@pytest.mark.browser
@pytest.mark.live
def test_comment_appears_in_another_page_without_reload(toolkit_server, live_database_url):
    """Does a comment posted in one page show up in a second page on the section, without reload?"""
    chromium, chromedriver = require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    seeded = seed(live_database_url, members=1)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(options=options, service=Service(chromedriver))
        try:
            wait = WebDriverWait(driver, 15)
            url = f"{toolkit_server.url}/toolkit/sections/{seeded.section_id}"
            driver.get(f"{toolkit_server.url}/static/css/toolkit.css")
            driver.add_cookie(
                {"name": "session", "value": session_cookie(seeded.member_ids[0]), "path": "/"}
            )
            joined = (By.CSS_SELECTOR, "#discussion[data-live='joined']")
            driver.get(url)
            wait.until(ec.presence_of_element_located(joined))
            writer = driver.current_window_handle
            driver.switch_to.new_window("tab")
            driver.get(url)
            wait.until(ec.presence_of_element_located(joined))
            reader = driver.current_window_handle
            assert "Seen without reload" not in driver.find_element(By.ID, "thread").text
            driver.execute_script("window.__marker = 'same page';")  # lost if the page reloads

            driver.switch_to.window(writer)
            driver.find_element(By.ID, "body").send_keys("Seen without reload")
            driver.find_element(By.CSS_SELECTOR, "#comment-form button[type=submit]").click()

            driver.switch_to.window(reader)
            wait.until(ec.text_to_be_present_in_element((By.ID, "thread"), "Seen without reload"))
            assert driver.execute_script("return window.__marker;") == "same page"
        finally:
            driver.quit()
