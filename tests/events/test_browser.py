"""The event's own form in a real browser: parts asked on a condition, with and without JavaScript."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from flask import Flask

from consult import create_app
from consult.accounts.constituencies import ensure_standard_constituencies
from consult.accounts.models import Role, User
from consult.accounts.services import set_password
from consult.events import allocation
from consult.events.models import FieldKind, FormField
from consult.extensions import db
from tests import browser
from tests.conftest import TEST_PASSWORD
from tests.events.conftest import build_event
from tests.live import LiveServer

pytestmark = [pytest.mark.live, pytest.mark.browser]


@pytest.fixture(scope="module")
def visa_form(live_database_url, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A gunicorn server and an event asking about visas: (server URL, the event's slug)."""
    folder = tmp_path_factory.mktemp("events-browser")
    app: Flask = create_app(
        {"SQLALCHEMY_DATABASE_URI": live_database_url, "INSTANCE_PATH": str(folder)}
    )
    with app.app_context():
        ensure_standard_constituencies()
        event = build_event(900, capacity=3)
        event.slug = f"browser-{secrets.token_hex(4)}"
        db.session.add(event)
        db.session.flush()
        visa = FormField(
            event_id=event.id, position=1, kind=FieldKind.YESNO, label="Do you need a visa?"
        )
        db.session.add(visa)
        db.session.flush()
        db.session.add_all(
            [
                FormField(
                    event_id=event.id,
                    position=2,
                    kind=FieldKind.SECTION,
                    label="Visa support letter",
                    shown_if_id=visa.id,
                    shown_if_value="yes",
                ),
                FormField(
                    event_id=event.id,
                    position=3,
                    kind=FieldKind.TEXT,
                    label="Passport number",
                    required=True,
                ),
            ]
        )
        officer = User(
            email=f"officer-{secrets.token_hex(4)}@example.org",
            display_name="Officer",
            organisation="DESA",
            constituency=ensure_standard_constituencies()["desa-dsd"],
            country="US",
            timezone="America/New_York",
            role=Role.SECRETARIAT,
            active=True,
        )
        set_password(officer, TEST_PASSWORD)
        db.session.add(officer)
        for number in range(4):
            allocation.register(
                event.id,
                allocation.RegistrationForm(
                    name=f"Participante con un nombre muy largo {number}",
                    email=f"a-very-long-address-{number}@an-organisation-with-a-long-name.example.org",
                    organisation="Organización de las Naciones Unidas para la Alimentación",
                    constituency_id=ensure_standard_constituencies()["ngos"].id,
                    country="BR",
                ),
            )
        db.session.commit()
        slug, event_id, officer_email = event.slug, event.id, officer.email
        db.engine.dispose()
    env = {
        "DATABASE_URL": live_database_url,
        "SECRET_KEY": "events-browser-test",
        "INSTANCE_PATH": str(folder),
        "MAIL_SERVER": "",
        "MAIL_OUTBOX_DIR": str(folder / "outbox"),
        "RATELIMIT_ENABLED": "false",
    }
    server = LiveServer(env=env, threads=4).start()
    try:
        yield server.url, slug, event_id, officer_email
    finally:
        server.stop()


def test_the_visa_section_appears_when_a_visa_is_needed(visa_form):
    """With JavaScript, is the visa section hidden until "yes" is chosen, and hidden again on
    "no"?"""
    from selenium.webdriver.common.by import By

    url, slug, *_ = visa_form
    with browser.chromium() as driver:
        driver.get(f"{url}/events/{slug}/register")
        section = driver.find_element(By.CSS_SELECTOR, "fieldset.question-section")
        assert not section.is_displayed()
        radios = driver.find_elements(By.CSS_SELECTOR, "input[type=radio]")
        yes = next(r for r in radios if r.get_attribute("value") == "yes")
        no = next(r for r in radios if r.get_attribute("value") == "no")
        yes.click()
        assert section.is_displayed()
        assert driver.find_element(
            By.CSS_SELECTOR, "fieldset.question-section input"
        ).is_displayed()
        assert not driver.find_element(By.CSS_SELECTOR, ".condition-note").is_displayed()
        no.click()
        assert not section.is_displayed()
        assert browser.axe_violations(driver) == []


def test_without_javascript_every_part_shows_with_its_condition(visa_form):
    """Without JavaScript, does the visa section show, saying when it applies?"""
    from selenium.webdriver.common.by import By

    url, slug, *_ = visa_form
    with browser.chromium(javascript=False) as driver:
        driver.get(f"{url}/events/{slug}/register")
        section = driver.find_element(By.CSS_SELECTOR, "fieldset.question-section")
        assert section.is_displayed()
        assert "Only if your answer to “Do you need a visa?” is “Yes”." in section.text


def test_the_dashboard_fits_a_phone(visa_form):
    """On a 360-pixel phone, does the Secretariat's page fit without scrolling sideways, show
    the seats gauge, and pass axe?"""
    from selenium.webdriver.common.by import By

    url, _slug, event_id, officer = visa_form
    with browser.chromium() as driver:
        browser.sign_in(driver, url, officer, TEST_PASSWORD)
        browser.viewport(driver, 360)
        driver.get(f"{url}/events/admin/{event_id}")
        assert (
            "3 of 3 seats taken"
            in driver.find_element(By.ID, "gauge-title").find_element(By.XPATH, "..").text
        )
        assert not browser.scrolls_sideways(driver)
        assert browser.axe_violations(driver) == []
