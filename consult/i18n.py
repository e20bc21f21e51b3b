"""Locale and time zone of the viewer, and locale-aware lists (countries, zones, languages).

The template helpers every capability shares are declared here (and in ``consult.markdown``):
``datetime``, ``date`` and ``clock`` to show a moment, ``duration`` a length of time,
``in_zone`` to move a moment into a zone, ``country_name`` and ``country_names``. A helper
only one capability uses is given by that capability's blueprint context processor instead.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.dates import get_timezone_location
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import (
    format_date,
    format_datetime,
    format_time,
    format_timedelta,
    get_locale,
    get_timezone,
)
from flask_login import current_user

#: The six official UN languages; a user may prefer any, the site shows those translated.
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


def select_locale() -> str:
    """The signed-in user's language if the site has it, else the browser's best match."""
    supported = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    if current_user.is_authenticated and current_user.language in supported:
        return current_user.language
    return request.accept_languages.best_match(supported) or default


def select_timezone() -> str:
    """The signed-in user's zone, else a zone the page set (an event's), else the default."""
    if has_request_context() and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return g.get("page_timezone") or current_app.config["DEFAULT_TIMEZONE"]


def text_direction() -> str:
    """``rtl`` or ``ltr`` for the current locale."""
    return Locale.parse(str(get_locale())).text_direction


@cache
def timezone_names() -> tuple[str, ...]:
    """Every IANA zone name this system knows, sorted, without the legacy aliases."""
    return tuple(sorted(name for name in available_timezones() if "/" in name or name == "UTC"))


@cache
def timezone_choices(locale: str = "en") -> dict[str, list[tuple[str, str]]]:
    """IANA zones grouped by region, each labelled with its city in ``locale``.

    The mapping suits a WTForms ``SelectField``, which renders it with ``<optgroup>``.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in timezone_names():
        region, _, rest = name.partition("/")
        if not rest:
            groups.setdefault(region, []).append((name, name))
            continue
        city = get_timezone_location(ZoneInfo(name), locale=locale, return_city=True)
        label = city if city and "/" not in rest else rest.replace("_", " ")
        groups.setdefault(region, []).append((name, label))
    return groups


def country_choices(locale: str = "en") -> list[tuple[str, str]]:
    """(ISO 3166 alpha-2 code, name) pairs from Babel's locale data, sorted by name."""
    territories = Locale.parse(locale).territories
    pairs = [
        (code, name) for code, name in territories.items() if len(code) == 2 and code.isalpha()
    ]
    pairs = [pair for pair in pairs if pair[0] not in {"ZZ", "QO", "EU", "EZ", "UN", "XA", "XB"}]
    return sorted(pairs, key=lambda pair: pair[1])


def country_name(code: str | None, locale: str | None = None) -> str:
    """The name of a country in the viewer's locale."""
    if not code:
        return ""
    return Locale.parse(locale or str(get_locale())).territories.get(code, code)


def country_names(codes: list[str]) -> str:
    """Country names in the viewer's locale, sorted and joined by commas."""
    return ", ".join(sorted(country_name(code) for code in codes))


def language_choices(locale: str = "en") -> list[tuple[str, str]]:
    """The UN languages, each named in itself."""
    return [(code, Locale.parse(code).get_display_name(code).capitalize()) for code in UN_LANGUAGES]


def localtime(moment: datetime, zone: str | None = None) -> datetime:
    """``moment`` in the viewer's zone, or in ``zone`` if given."""
    return moment.astimezone(ZoneInfo(zone) if zone else ZoneInfo(str(get_timezone())))


def clock(moment: datetime, zone: str | None = None, format: str = "short") -> str:
    """The time of day of ``moment`` (short, in the viewer's locale) in ``zone``, else the viewer's.

    The one way to show a time: ``{{ call.starts_at|clock(member.timezone) }}`` for someone
    else's local time, ``{{ session.starts_at|clock }}`` for the viewer's own. ``format`` is
    a Babel width or pattern (``"HH:mm"`` where space is tight, as in the planner's grid).
    """
    return format_time(localtime(moment, zone), format, rebase=False)


def init_app(app: Flask) -> None:
    """Expose the formatters and the page direction to templates."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        text_direction=text_direction,
        get_locale=get_locale,
        get_timezone=get_timezone,
        country_name=country_name,
    )
    app.jinja_env.filters.update(
        datetime=format_datetime,
        date=format_date,
        clock=clock,
        duration=format_timedelta,
        in_zone=localtime,
        country_names=country_names,
    )
