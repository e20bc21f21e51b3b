"""The planner in a real browser with JavaScript off, against gunicorn and a real SMTP server."""

from __future__ import annotations

import pytest

from tests.calls.conftest import seed_live_series
from tests.conftest import TEST_PASSWORD
from tests.live import LiveServer
from tests.services import require_chromium

pytestmark = [
    pytest.mark.live,
    pytest.mark.browser,
    # tests/live.py leaves the gunicorn log file to the garbage collector (reported to the lead).
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def test_confirm_a_slot_without_javascript(live_database_url, smtp_server, tmp_path):
    """With JavaScript off, can the Secretariat sign in, read the planner and confirm a slot?"""
    chromium, driver_path = require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    controller, mailbox = smtp_server
    mailbox.clear()
    officer, series_id, emails = seed_live_series(live_database_url, tmp_path)
    server = LiveServer(
        env={
            "DATABASE_URL": live_database_url,
            "SECRET_KEY": "calls-browser-test",
            "INSTANCE_PATH": str(tmp_path),
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(controller.port),
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "RATELIMIT_ENABLED": "false",
        }
    ).start()
    options = Options()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu"):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs", {"profile.managed_default_content_settings.javascript": 2}
    )
    browser = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        browser.get(f"{server.url}/sign-in")
        browser.find_element(By.NAME, "email").send_keys(officer)
        browser.find_element(By.NAME, "password").send_keys(TEST_PASSWORD)
        browser.find_element(By.NAME, "password").submit()
        WebDriverWait(browser, 20).until(lambda b: "/sign-in" not in b.current_url)
        browser.get(f"{server.url}/calls/series/{series_id}/plan")
        candidates = browser.find_elements(By.CSS_SELECTOR, "li.candidate")
        assert candidates
        assert "Good hours:" in candidates[0].text
        assert browser.find_elements(By.CSS_SELECTOR, "table.grid td.cell")
        candidates[0].find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(browser, 20).until(lambda b: "/plan" not in b.current_url)
        flashes = browser.find_element(By.CSS_SELECTOR, "main").text[:600]
        assert "The call is confirmed and the invitations are sent." in flashes, flashes
    finally:
        browser.quit()
        server.stop()
    received = {str(m["To"]) for m in mailbox.messages}
    assert set(emails) <= received
