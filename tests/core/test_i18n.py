"""Ready for the six UN languages: locale, direction, zones, extraction."""

import subprocess
import sys
from datetime import UTC, datetime

from flask_babel import format_datetime

from consult.i18n import country_choices, localtime, timezone_choices
from tests.conftest import sign_in
from tests.live import ROOT


def test_html_lang_and_direction(client):
    """Does every page declare its language and direction?"""
    html = client.get("/", headers={"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.5"}).get_data(
        as_text=True
    )
    assert '<html lang="en" dir="ltr">' in html


def test_user_language_preferred_when_available(app, client, make_member, monkeypatch):
    """Is a member's own language used once the site offers it, before Accept-Language?"""
    monkeypatch.setitem(app.config, "LANGUAGES", ["en", "ar"])
    member = make_member(language="ar")
    html = (
        sign_in(client, member)
        .get("/dashboard", headers={"Accept-Language": "en"})
        .get_data(as_text=True)
    )
    assert '<html lang="ar" dir="rtl">' in html


def test_accept_language_used_for_visitors(app, client, monkeypatch):
    """Does a visitor get the best match of their browser's languages?"""
    monkeypatch.setitem(app.config, "LANGUAGES", ["en", "fr"])
    html = client.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="fr"' in html


def test_times_shown_in_the_viewers_zone(app, make_member):
    """Is a UTC moment shown in the signed-in member's zone?"""
    member = make_member(timezone="Asia/Kolkata")
    moment = datetime(2000, 4, 28, 13, 0, tzinfo=UTC)
    with app.test_request_context():
        from flask_login import login_user

        login_user(member)
        assert "6:30:00\u202fPM" in format_datetime(moment, "medium") or "6:30" in format_datetime(
            moment
        )
        assert localtime(moment).hour == 18


def test_visitors_see_the_default_zone(app, client):
    """Does an anonymous visitor's footer name the Secretariat's default zone?"""
    assert "America/New_York" in client.get("/").get_data(as_text=True)


def test_country_and_zone_lists_come_from_locale_data():
    """Are countries and zones taken from Babel and zoneinfo, localised?"""
    countries = dict(country_choices("en"))
    assert countries["HU"] == "Hungary" and countries["ZA"] == "South Africa"
    assert dict(country_choices("fr"))["HU"] == "Hongrie"
    zones = timezone_choices("en")
    assert ("Africa/Nairobi", "Nairobi") in zones["Africa"]


def test_babel_extraction_finds_template_and_code_strings(tmp_path):
    """Does the documented extraction command work and find the marked strings?"""
    output = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(output),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    catalogue = output.read_text()
    assert 'msgid "Skip to content"' in catalogue
    assert 'msgid "Choose a time zone from the list."' in catalogue


def test_locale_and_zone_outside_a_request(app):
    """Can cron commands format dates and render e-mails with no request (default locale and zone)?"""
    from flask_babel import get_locale, get_timezone

    assert str(get_locale()) == "en"
    assert str(get_timezone()) == "America/New_York"
