"""Check-in on a phone in a real browser: found by name, a check-in made offline kept on the
phone and sent when the connection returns."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from consult import create_app
from consult.accounts.constituencies import ensure_standard_constituencies
from consult.accounts.models import Role, User
from consult.accounts.services import set_password
from consult.events import allocation
from consult.events.models import Registration
from consult.extensions import db
from tests import browser
from tests.conftest import TEST_PASSWORD
from tests.events.conftest import build_event
from tests.live import LiveServer

pytestmark = [pytest.mark.live, pytest.mark.browser]


@pytest.fixture(scope="module")
def door(live_database_url, tmp_path_factory) -> Iterator[tuple[str, str, int, str]]:
    """A gunicorn server, an officer and an event with two confirmed participants:
    (server URL, the officer's e-mail, the event's id, the database URL)."""
    folder = tmp_path_factory.mktemp("checkin-browser")
    app = create_app({"SQLALCHEMY_DATABASE_URI": live_database_url, "INSTANCE_PATH": str(folder)})
    tag = uuid.uuid4().hex[:8]
    with app.app_context():
        groups = ensure_standard_constituencies()
        officer = User(
            email=f"door-{tag}@example.org",
            display_name=f"Door {tag}",
            constituency=groups["desa-dsd"],
            timezone="America/New_York",
            role=Role.SECRETARIAT,
        )
        set_password(officer, TEST_PASSWORD)
        db.session.add(officer)
        event = build_event(901, capacity=5)
        event.slug = f"door-{tag}"
        db.session.add(event)
        db.session.commit()
        for name, email in (("Amina Diallo", "amina"), ("Chen Jing", "chen")):
            form = allocation.RegistrationForm(
                name=name,
                email=f"{email}-{tag}@example.org",
                organisation="Friends of the Earth",
                constituency_id=groups["ngos"].id,
                country="KE",
                consent_listed=True,
            )
            allocation.register(event.id, form)
        result = (officer.email, event.id)
        db.session.remove()
        db.engine.dispose()
    env = {
        "DATABASE_URL": live_database_url,
        "SECRET_KEY": "checkin-browser-test",
        "INSTANCE_PATH": str(folder),
        "MAIL_SERVER": "",
        "MAIL_OUTBOX_DIR": str(folder / "outbox"),
        "RATELIMIT_ENABLED": "false",
    }
    server = LiveServer(env=env, threads=4).start()
    try:
        yield server.url, result[0], result[1], live_database_url
    finally:
        server.stop()


def _arrivals(database_url: str, event_id: int) -> dict[str, object]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        rows = db.session.scalars(select(Registration).where(Registration.event_id == event_id))
        found = {r.name: r.checked_in_at for r in rows}
        db.session.remove()
        db.engine.dispose()
    return found


def test_check_in_by_name_offline_and_back(door):
    """Signed in on a phone-sized page (no sideways scrolling, no serious accessibility fault),
        is a participant found by name and checked in; with the network cut, is another checked in and kept on the phone, the page reloading from the phone
    (service worker); and back online, is it sent?"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, officer, event_id, database_url = door
    with browser.chromium(width=500, height=900) as driver:
        browser.viewport(driver, 390, 844)
        browser.sign_in(driver, url, officer, TEST_PASSWORD)
        driver.get(f"{url}/events/admin/{event_id}/checkin")
        wait = WebDriverWait(driver, 20)
        status = driver.find_element(By.ID, "checkin-status")
        wait.until(lambda d: "Checked in: 0 of 2 participants." in status.text)
        assert not browser.scrolls_sideways(driver)
        assert browser.axe_violations(driver) == []

        def check_in(name: str) -> None:
            search = driver.find_element(By.ID, "checkin-q")
            search.clear()
            search.send_keys(name.split()[0].lower())
            wait.until(lambda d: name in d.find_element(By.ID, "checkin-results").text)
            driver.find_element(By.CSS_SELECTOR, "#checkin-results button").click()
            message = driver.find_element(By.ID, "checkin-message")
            wait.until(lambda d: f"{name} is checked in." in message.text)

        check_in("Amina Diallo")
        wait.until(lambda d: "Online: every check-in is recorded." in status.text)
        wait.until(lambda d: _arrivals(database_url, event_id)["Amina Diallo"] is not None)

        wait.until(lambda d: d.execute_script("return !!navigator.serviceWorker.controller"))
        driver.execute_cdp_cmd("Network.enable", {})
        offline = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", offline)
        check_in("Chen Jing")
        wait.until(lambda d: "to be sent when the connection returns: 1." in status.text)
        assert "Checked in: 2 of 2 participants." in status.text
        assert _arrivals(database_url, event_id)["Chen Jing"] is None

        driver.refresh()  # the page and the list come from the phone, not the network
        status = driver.find_element(By.ID, "checkin-status")
        wait.until(lambda d: "to be sent when the connection returns: 1." in status.text)
        search = driver.find_element(By.ID, "checkin-q")
        search.send_keys("amina")
        again = driver.find_element(By.ID, "checkin-results")
        wait.until(lambda d: "Checked in at" in again.text)

        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {**offline, "offline": False})
        wait.until(lambda d: "Online: every check-in is recorded." in status.text)
        assert _arrivals(database_url, event_id)["Chen Jing"] is not None
        assert (
            driver.execute_script(
                f"return localStorage.getItem('consult.checkin.{event_id}.queue')"
            )
            == "[]"
        )
