"""The six UN languages: which one a page is in, the switcher, formats, zones, extraction."""

import re
from datetime import UTC, datetime

import pytest
from flask import render_template_string
from flask_babel import refresh
from flask_login import login_user

from consult.accounts.models import User
from consult.extensions import db
from consult.i18n import localtime, timezone_choices
from tests.conftest import sign_in

LANG_TAGS = {"ar": "ar", "zh_Hans": "zh-Hans", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}


def html_tag(client, **headers):
    html = client.get("/", headers=headers).get_data(as_text=True)
    return re.search(r"<html[^>]*>", html).group(0)


def test_site_offers_the_six_un_languages(app):
    """Are Arabic, Chinese, English, French, Russian and Spanish all offered?"""
    assert app.config["LANGUAGES"] == ["ar", "zh_Hans", "en", "fr", "ru", "es"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-CH, fr;q=0.9, en;q=0.5", '<html lang="fr" dir="ltr">'),
        ("ar-EG,ar;q=0.9", '<html lang="ar" dir="rtl">'),
        ("zh-CN,zh;q=0.9", '<html lang="zh-Hans" dir="ltr">'),
        ("zh-Hans-CN", '<html lang="zh-Hans" dir="ltr">'),
        ("zh-TW", '<html lang="zh-Hans" dir="ltr">'),
        ("ru-RU", '<html lang="ru" dir="ltr">'),
        ("es-419,es;q=0.9", '<html lang="es" dir="ltr">'),
        ("de-DE,de;q=0.9", '<html lang="en" dir="ltr">'),
        ("de-DE, es;q=0.5", '<html lang="es" dir="ltr">'),
    ],
)
def test_visitors_get_their_browsers_language(client, header, expected):
    """Does Accept-Language pick the page's language, Chinese tags included, English last?"""
    assert html_tag(client, **{"Accept-Language": header}) == expected


def test_the_switcher_names_each_language_in_itself(client):
    """Does every page's header offer the six languages, each in its own words and lang?"""
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for code, tag, name in [
        ("ar", "ar", "العربية"),
        ("zh_Hans", "zh-Hans", "中文"),
        ("en", "en", "English"),
        ("fr", "fr", "Français"),
        ("ru", "ru", "Русский"),
        ("es", "es", "Español"),
    ]:
        assert f'value="{code}" lang="{tag}"' in html and f">{name}</button>" in html
    assert 'value="en" lang="en" aria-current="true"' in html


def test_a_visitors_choice_is_remembered_by_a_cookie(client):
    """Does choosing French send the visitor back where they were, in French, from then on?"""
    response = client.post("/language", data={"language": "fr", "next": "/events/?page=2"})
    assert response.status_code == 303 and response.headers["Location"] == "/events/?page=2"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("language=fr;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert html_tag(client, **{"Accept-Language": "ru"}) == '<html lang="fr" dir="ltr">'


def test_the_switcher_needs_its_csrf_token(client, csrf):
    """Is a language change without the page's token refused (every form carries CSRF)?"""
    assert client.post("/language", data={"language": "fr"}).status_code == 400
    token = csrf(client, "/")
    assert client.post("/language", data={"language": "fr", "csrf_token": token}).status_code == 303


@pytest.mark.parametrize("bad", ["", "tlh", "../etc", "x" * 500])
def test_an_unknown_language_is_refused_clearly(client, bad):
    """Is a language the site does not offer a 400 with a message, not a crash?"""
    response = client.post("/language", data={"language": bad})
    assert response.status_code == 400
    assert "Choose one of the languages offered." in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_the_switcher_never_sends_readers_to_another_site(client, target):
    """Is ``next`` kept on this site?"""
    response = client.post("/language", data={"language": "es", "next": target})
    assert response.headers["Location"] == "/"


def test_a_members_choice_is_saved_on_their_profile(app, client, make_member):
    """Does a member who switches to Arabic keep it in another browser, before Accept-Language?"""
    member = make_member()
    sign_in(client, member).post("/language", data={"language": "ar", "next": "/dashboard"})
    assert db.session.get(User, member.id).language == "ar"
    other = app.test_client()
    sign_in(other, member)
    html = other.get("/dashboard", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html


def test_a_members_saved_language_wins_over_the_cookie(app, client, make_member):
    """Does the profile's language come before a visitor cookie left in the same browser?"""
    member = make_member(language="ru")
    client.set_cookie("language", "es", domain="consult.test")
    assert html_tag(sign_in(client, member)) == '<html lang="ru" dir="ltr">'


def test_old_chinese_preferences_read_as_simplified(client, make_member):
    """Is a preference saved as ``zh`` (before the catalogues) read as Simplified Chinese?"""
    member = make_member(language="zh")
    assert html_tag(sign_in(client, member)) == '<html lang="zh-Hans" dir="ltr">'


def test_pages_say_they_vary_by_language(client):
    """Do pages tell caches that they depend on Accept-Language and the cookie?"""
    vary = client.get("/").headers["Vary"]
    assert "Accept-Language" in vary and "Cookie" in vary


def test_french_pages_come_from_the_shipped_catalogue(client):
    """Is the interface really in French, from consult/translations, once French is chosen?"""
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Aller au contenu" in html and "Skip to content" not in html


def test_times_shown_in_the_viewers_zone(app, make_member):
    """Is a UTC moment shown in the signed-in member's zone?"""
    member = make_member(timezone="Asia/Kolkata")
    moment = datetime(2000, 4, 28, 13, 0, tzinfo=UTC)
    with app.test_request_context():
        login_user(member)
        assert localtime(moment).hour == 18
        assert render_template_string("{{ m|datetime }}", m=moment) == "28 Apr 2000, 6:30\u202fpm"


@pytest.mark.parametrize(
    ("language", "medium", "short", "full", "clock"),
    [
        (
            "en",
            "30 Nov 2026, 5:36\u202fpm",
            "30 Nov 2026, 5:36\u202fpm",
            "Monday, 30 November 2026, 5:36\u202fpm",
            "5:36\u202fpm",
        ),
        (
            "fr",
            "30 nov. 2026, 17:36",
            "30 nov. 2026 17:36",
            "lundi 30 novembre 2026, 17:36",
            "17:36",
        ),
        (
            "es",
            "30 nov 2026, 17:36",
            "30 nov 2026, 17:36",
            "lunes, 30 de noviembre de 2026, 17:36",
            "17:36",
        ),
        (
            "ru",
            "30 нояб. 2026\u202fг., 17:36",
            "30 нояб. 2026\u202fг., 17:36",
            "понедельник, 30 ноября 2026\u202fг., 17:36",
            "17:36",
        ),
        (
            "zh_Hans",
            "2026年11月30日 17:36",
            "2026年11月30日 17:36",
            "2026年11月30日星期一 17:36",
            "17:36",
        ),
        (
            "ar",
            "30 نوفمبر 2026، 5:36 م",
            "30 نوفمبر 2026، 5:36 م",
            "الاثنين، 30 نوفمبر 2026، 5:36 م",
            "5:36 م",
        ),
    ],
)
def test_dates_and_times_are_unambiguous_in_every_language(
    app, language, medium, short, full, clock
):
    """Is a date never all digits, a time never with seconds, 24-hour where the locale says?"""
    moment = datetime(2026, 11, 30, 22, 36, 5, tzinfo=UTC)
    template = "{{ m|datetime }}|{{ m|datetime('short') }}|{{ m|datetime('full') }}|{{ m|clock }}"
    with app.test_request_context(headers={"Accept-Language": language}):
        refresh()
        shown = render_template_string(template, m=moment).split("|")
    assert shown == [medium, short, full, clock]
    assert not re.search(r"\d+/\d+/\d+", "".join(shown)) and ":05" not in "".join(shown)


def test_the_zone_is_named_beside_a_time_when_asked(app):
    """Does ``zone=True`` / ``named=True`` name the zone by its city, in the reader's language?"""
    moment = datetime(2026, 11, 30, 22, 36, tzinfo=UTC)
    template = "{{ m|datetime(zone=True) }}|{{ m|clock('Asia/Tokyo', named=True) }}"
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        refresh()
        shown = render_template_string(template, m=moment)
    assert shown == "30 nov. 2026, 17:36 (New York)|07:36 (Tokyo)"


def test_numbers_use_the_readers_separators(app):
    """Is 1234.5 written the French way on a French page?"""
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        refresh()
        assert render_template_string("{{ 1234.5|number }}") == "1\u202f234,5"


def test_visitors_see_the_default_zone(app, client):
    """Does an anonymous visitor's footer name the Secretariat's default zone?"""
    html = client.get("/").get_data(as_text=True)
    assert "America/New_York" in html and "New York" in html


def test_zone_lists_come_from_locale_data():
    """Are zones taken from zoneinfo, named by their cities in the reader's language?"""
    zones = timezone_choices("en")
    assert ("Africa/Nairobi", "Nairobi") in zones["Africa"]
    assert ("Europe/Moscow", "Москва") in timezone_choices("ru")["Europe"]


def test_locale_and_zone_outside_a_request(app):
    """Can cron commands format dates and render e-mails with no request (default locale and zone)?"""
    from flask_babel import get_locale, get_timezone

    assert str(get_locale()) == "en"
    assert str(get_timezone()) == "America/New_York"
