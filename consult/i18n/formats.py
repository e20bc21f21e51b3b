"""Dates, times and numbers as every reader reads them unambiguously, in their locale.

The rules, applied here once rather than per template:

- a date never comes out all in digits (``11/29/26`` is the 11th of February to most of
  the world): "short" and "medium" dates are Babel's ``yMMMd`` skeleton ("30 Nov 2026",
  "30 nov. 2026", "2026年11月30日"); "long" and "full" are the locale's own;
- a time of day is the locale's short time, never with seconds: 24-hour where the locale
  uses it (French, Russian, Spanish, Chinese), its own 12-hour clock elsewhere;
- English is formatted as international English (CLDR ``en_001``): day before month,
  "30 Nov 2026, 5:36 pm", as UN documents write dates;
- ``zone=True`` names the time zone beside the time, by its city ("17:36 (New York)").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton, format_time, get_timezone_location
from babel.numbers import format_decimal as babel_format_decimal
from flask_babel import get_timezone, to_user_timezone

from consult.i18n.locales import current_language

#: Locale data used for formats when it is not the page's own.
FORMAT_LOCALES = {"en": "en_001"}
WIDTHS = ("short", "medium", "long", "full")
#: Skeleton of a short or medium date: the month in letters.
DATE_SKELETON = "yMMMd"


def format_locale(language: str | None = None) -> str:
    """The locale whose date and number patterns a page in ``language`` uses."""
    language = language or current_language()
    return FORMAT_LOCALES.get(language, language)


def _date_text(value: date | datetime, format: str, locale: str) -> str:
    if format in ("short", "medium"):
        return format_skeleton(DATE_SKELETON, value, locale=locale)
    if format in WIDTHS:
        return babel_format_date(value, format, locale=locale)
    return babel_format_date(value, format, locale=locale)  # a pattern such as "EEE"


def _time_text(value: datetime | time, format: str, locale: str) -> str:
    width = "short" if format in WIDTHS else format
    return format_time(value, width, locale=locale)


def zone_label(zone: str | ZoneInfo | None = None, locale: str | None = None) -> str:
    """A zone named for people by its city ("New York", "Нью-Йорк"); ``UTC`` stays UTC."""
    zone = zone or str(get_timezone())
    key = str(zone)
    if key in ("UTC", "Etc/UTC", "GMT"):
        return "UTC"
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(key)
    city = get_timezone_location(tz, locale=format_locale(locale), return_city=True)
    return city or key.rsplit("/", 1)[-1].replace("_", " ")


def _moment(value: datetime, rebase: bool) -> datetime:
    return to_user_timezone(value) if rebase else value


def format_date(value: date | datetime | None, format: str = "medium", rebase: bool = True) -> str:
    """A date ("30 Nov 2026"); a moment is first moved into the viewer's zone unless told not to."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _moment(value, rebase)
    return _date_text(value, format, format_locale())


def format_datetime(
    value: datetime | None, format: str = "medium", rebase: bool = True, zone: bool = False
) -> str:
    """A date and time of day ("30 Nov 2026, 17:36"), in the viewer's zone unless ``rebase=False``."""
    if value is None:
        return ""
    value = _moment(value, rebase)
    locale = format_locale()
    width = format if format in WIDTHS else "medium"
    joined = str(Locale.parse(locale).datetime_formats[width])
    text = joined.replace("{1}", _date_text(value, format, locale)).replace(
        "{0}", _time_text(value, "short", locale)
    )
    if not zone:
        return text
    return f"{text} ({zone_label(str(value.tzinfo) if value.tzinfo else None)})"


def clock(
    moment: datetime, zone: str | None = None, format: str = "short", named: bool = False
) -> str:
    """The time of day of ``moment`` in ``zone``, else the viewer's zone; never with seconds.

    The one way to show a time: ``{{ call.starts_at|clock(member.timezone) }}`` for someone
    else's local time, ``{{ session.starts_at|clock }}`` for the viewer's own. ``format`` is
    a Babel width or a pattern (``"HH:mm"`` where space is tight, as in the planner's grid);
    ``named=True`` adds the zone's city.
    """
    target = ZoneInfo(zone) if zone else ZoneInfo(str(get_timezone()))
    local = moment.astimezone(target)
    text = _time_text(local, format, format_locale())
    return f"{text} ({zone_label(target)})" if named else text


def machine_time(moment: datetime) -> str:
    """``moment`` for a ``<time datetime>`` attribute: UTC to the second (HTML allows at most
    three decimals, and nobody reads them); a naive value is taken as UTC, as stored."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def localtime(moment: datetime, zone: str | None = None) -> datetime:
    """``moment`` in the viewer's zone, or in ``zone`` if given."""
    return moment.astimezone(ZoneInfo(zone) if zone else ZoneInfo(str(get_timezone())))


def format_number(value: float | int, format: str | None = None) -> str:
    """A number with the reader's separators ("1 234,5" in French)."""
    return babel_format_decimal(value, format=format, locale=format_locale())


def format_duration(value: timedelta, **options: object) -> str:
    """A length of time in words ("2 hours", "2 heures")."""
    from babel.dates import format_timedelta

    return format_timedelta(value, locale=format_locale(), **options)  # type: ignore[arg-type]
