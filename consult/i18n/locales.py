"""Which language a page is in: the six UN languages, how one is chosen, how it is named.

Locale identifiers are Babel's (``zh_Hans``, Simplified Chinese, is the name of CLDR's
data and of the catalogue folder); pages declare them in BCP 47 form (``lang="zh-Hans"``).
Browsers say ``zh-CN``, ``zh-SG``, ``zh-Hans-CN`` or just ``zh``: every ``zh`` tag is
matched by its first subtag, so all of them get ``zh_Hans``, the UN's Chinese (a reader
asking for ``zh-TW`` gets Simplified Chinese too, which the UN publishes, not English).
"""

from __future__ import annotations

from babel import Locale
from flask import current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

#: The six official languages of the United Nations, in the UN's order.
LANGUAGES = ("ar", "zh_Hans", "en", "fr", "ru", "es")
#: Kept for older imports: the same six.
UN_LANGUAGES = LANGUAGES
#: Each language named in itself, as the language switcher shows it.
NATIVE_NAMES = {
    "ar": "العربية",
    "zh_Hans": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
#: The cookie that remembers a visitor's choice.
COOKIE = "language"
#: How long the cookie lasts: a year.
COOKIE_MAX_AGE = 365 * 24 * 3600


def _key(tag: str) -> str:
    return tag.strip().replace("_", "-").lower()


def normalise(tag: str | None, supported: tuple[str, ...] | list[str] = LANGUAGES) -> str | None:
    """The supported locale a language tag names (``zh``, ``zh-CN``, ``fr-CA`` ...), or None."""
    if not tag:
        return None
    wanted = _key(tag)
    for code in supported:
        if _key(code) == wanted:
            return code
    primary = wanted.split("-", 1)[0]
    for code in supported:
        if _key(code).split("-", 1)[0] == primary:
            return code
    return None


def best_accepted(header: object, supported: tuple[str, ...] | list[str]) -> str | None:
    """The first language of an ``Accept-Language`` (best quality first) the site offers."""
    for tag, quality in header:  # type: ignore[attr-defined]
        if quality <= 0 or tag == "*":
            continue
        found = normalise(tag, supported)
        if found:
            return found
    return None


def select_locale() -> str:
    """A member's saved language, else the visitor's cookie, else the browser's best match."""
    config = current_app.config
    supported, default = config["LANGUAGES"], config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    if current_user.is_authenticated:
        saved = normalise(current_user.language, supported)
        if saved:
            return saved
    chosen = normalise(request.cookies.get(COOKIE), supported)
    if chosen:
        return chosen
    return best_accepted(request.accept_languages, supported) or default


def current_language() -> str:
    """The current locale identifier (``zh_Hans``, ``fr`` ...)."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def html_lang(code: str | None = None) -> str:
    """``code`` (default: the current locale) as a BCP 47 tag for ``lang``: ``zh-Hans``."""
    return (code or current_language()).replace("_", "-")


def text_direction(code: str | None = None) -> str:
    """``rtl`` or ``ltr`` for ``code`` (default: the current locale)."""
    return Locale.parse(code or current_language()).text_direction


def language_name(code: str, in_locale: str | None = None) -> str:
    """The name of language ``code`` in ``in_locale`` (default: the current locale)."""
    locale = in_locale or current_language()
    name = Locale.parse(code).get_language_name(locale) or code
    return name


def language_choices(locale: str = "en") -> list[tuple[str, str]]:
    """The UN languages, each named in itself (for a member's saved preference)."""
    return [(code, NATIVE_NAMES[code]) for code in LANGUAGES]


def switcher() -> list[tuple[str, str, str, bool]]:
    """(code, name in itself, BCP 47 tag, current?) for each language the site offers."""
    offered = current_app.config["LANGUAGES"]
    here = current_language()
    return [
        (code, NATIVE_NAMES.get(code, code), html_lang(code), code == here)
        for code in LANGUAGES
        if code in offered
    ]
