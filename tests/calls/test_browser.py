"""The planner in a real browser, against gunicorn and a real SMTP server."""

from __future__ import annotations

import time

import pytest

from tests import browser
from tests.calls.conftest import seed_live_series
from tests.conftest import TEST_PASSWORD
from tests.live import LiveServer, LiveWorker

pytestmark = [pytest.mark.live, pytest.mark.browser]


@pytest.fixture
def planner(live_database_url, smtp_server, tmp_path):
    """A gunicorn server and a worker, with a series to plan: (server, officer's e-mail, series
    id, the members' e-mails, the worker)."""
    controller, mailbox = smtp_server
    mailbox.clear()
    officer, series_id, emails = seed_live_series(live_database_url, tmp_path)
    env = {
        "DATABASE_URL": live_database_url,
        "SECRET_KEY": "calls-browser-test",
        "INSTANCE_PATH": str(tmp_path),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(controller.port),
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "RATELIMIT_ENABLED": "false",
    }
    server = LiveServer(env=env).start()
    # the invitations go out through a worker, as in production (two threads: the live database
    # may hold other tests' queued messages for its sweep)
    worker = LiveWorker(env, threads=2).start()
    try:
        yield server, officer, series_id, emails, worker
    finally:
        server.stop()
        worker.stop()


def test_confirm_a_slot_without_javascript(planner, smtp_server):
    """With JavaScript off, can the Secretariat sign in, read the planner and confirm a slot?"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    server, officer, series_id, emails, worker = planner
    with browser.chromium(javascript=False) as driver:
        browser.sign_in(driver, server.url, officer, TEST_PASSWORD)
        driver.get(f"{server.url}/calls/series/{series_id}/plan")
        candidates = driver.find_elements(By.CSS_SELECTOR, "li.candidate")
        assert candidates
        assert "Good hours:" in candidates[0].text
        assert driver.find_elements(By.CSS_SELECTOR, "table.grid td.cell")
        candidates[0].find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(driver, 20).until(lambda d: "/plan" not in d.current_url)
        if "Check before sending" in driver.title:
            driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
            WebDriverWait(driver, 20).until(lambda d: "/calls/" in d.current_url)
        flashes = driver.find_element(By.CSS_SELECTOR, "main").text[:600]
        assert "The call is confirmed and the invitations are on their way." in flashes, flashes
    mailbox = smtp_server[1]
    deadline = time.monotonic() + 30
    while not set(emails) <= {str(m["To"]) for m in mailbox.messages}:
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.2)


def test_the_grid_fits_a_laptop_and_a_phone_gets_a_list(planner):
    """Are 24 hours visible at 1,280 px without scrolling, is a phone shown the list, and axe clean?"""
    from selenium.webdriver.common.by import By

    server, officer, series_id, _, _ = planner
    with browser.chromium(width=1280, height=900) as driver:
        browser.sign_in(driver, server.url, officer, TEST_PASSWORD)
        driver.get(f"{server.url}/calls/series/{series_id}/plan")
        wrap = driver.find_element(By.CSS_SELECTOR, ".grid-wrap")
        scroll, visible = driver.execute_script(
            "return [arguments[0].scrollWidth, arguments[0].clientWidth]", wrap
        )
        assert scroll <= visible, f"the grid needs {scroll} px in a {visible} px box"
        assert len(driver.find_elements(By.CSS_SELECTOR, "table.grid thead th[scope=col]")) >= 24
        assert browser.axe_violations(driver) == []

        browser.viewport(driver, 320)
        driver.get(f"{server.url}/calls/series/{series_id}/plan")
        assert not driver.find_element(By.CSS_SELECTOR, "table.grid").is_displayed()
        times = driver.find_elements(By.CSS_SELECTOR, ".local-times li")
        assert len(times) == 3 and all(t.is_displayed() for t in times)
        assert not browser.scrolls_sideways(driver)
        assert browser.axe_violations(driver) == []
