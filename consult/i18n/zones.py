"""Time zones: the IANA names this system knows, and their cities in the reader's language."""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import get_timezone_location


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
