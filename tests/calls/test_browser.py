"""The planner in a real browser with JavaScript off, against gunicorn and a real SMTP server."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import select

from consult import create_app
from consult.accounts.constituencies import ensure_standard_constituencies
from consult.accounts.models import Role, User
from consult.accounts.services import set_password
from consult.calls import services
from consult.calls.models import CallSeries
from consult.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.live import LiveServer, LiveWorker
from tests.services import require_chromium

pytestmark = [
    pytest.mark.live,
    pytest.mark.browser,
    # tests/live.py leaves the gunicorn log file to the garbage collector (reported to the lead).
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def _seed(database_url: str, instance_path) -> tuple[str, int, list[str]]:
    """A Secretariat officer, two members and a series, committed in the live database."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(instance_path)})
    tag = uuid.uuid4().hex[:8]
    with app.app_context():
        groups = ensure_standard_constituencies()
        people = []
        for name, zone, role in (
            ("officer", "America/New_York", Role.SECRETARIAT),
            ("paris", "Europe/Paris", Role.MEMBER),
            ("delhi", "Asia/Kolkata", Role.MEMBER),
        ):
            user = User(
                email=f"calls-{name}-{tag}@example.org",
                display_name=f"Calls {name} {tag}",
                constituency=groups["ngos"],
                timezone=zone,
                role=role,
            )
            set_password(user, TEST_PASSWORD)
            db.session.add(user)
            people.append(user)
        series = CallSeries(name=f"Browser series {tag}", organiser=people[0])
        db.session.add(series)
        services.set_members(series, people)
        db.session.commit()
        result = (people[0].email, series.id, [p.email for p in people])
        assert db.session.scalar(select(CallSeries).where(CallSeries.id == series.id))
        db.session.remove()
        db.engine.dispose()
    return result


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
    officer, series_id, emails = _seed(live_database_url, tmp_path)
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
        assert "The call is confirmed and the invitations are on their way." in flashes, flashes
        deadline = time.monotonic() + 30
        while not set(emails) <= {str(m["To"]) for m in mailbox.messages}:
            assert time.monotonic() < deadline, worker.log()
            time.sleep(0.2)
    finally:
        browser.quit()
        server.stop()
        worker.stop()
