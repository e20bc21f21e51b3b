"""Names of countries and territories: the United Nations' short names, in the six languages.

Source: ``un_countries.csv`` beside this module, one row per country or area, the ISO
3166 alpha-2 code, the M49 numeric code, the name in Arabic, Chinese, English, French,
Russian and Spanish, and where each row comes from. The names are those of the UN
Statistics Division's *Standard Country or Area Codes for Statistical Use* (M49), the
short names "used in day-to-day operations of the United Nations", based on the UN
Terminology Database (UNTERM). They were taken from the six-language M49 columns of the
UN OCHA Countries & Territories Taxonomy; rows marked "corrected" fix a slip of that
copy (a Russian name left in the genitive, a doubled Arabic word), and the two rows
outside M49 (TW, XK) follow UN Secretariat usage. The README says how to update it.

A UN name wins over CLDR's wherever the UN lists the code ("Russian Federation", not
"Russia"; "State of Palestine", not "Palestinian Territories"); a code the table lacks
falls back to Babel's locale data. Every country list and name on the site comes from here.
"""

from __future__ import annotations

import csv
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale

from consult.i18n.locales import LANGUAGES, current_language

TABLE = Path(__file__).with_name("un_countries.csv")


@cache
def un_names() -> dict[str, dict[str, str]]:
    """``{code: {locale: name}}`` from the table."""
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: {language: row[language] for language in LANGUAGES}
            for row in csv.DictReader(handle)
        }


def _table_language(locale: str) -> str:
    """The table's column for ``locale`` (``zh`` and ``zh_Hans_CN`` read ``zh_Hans``)."""
    if locale in LANGUAGES:
        return locale
    primary = locale.split("_", 1)[0]
    return next((code for code in LANGUAGES if code.split("_", 1)[0] == primary), "en")


def country_name(code: str | None, locale: str | None = None) -> str:
    """The name of a country or territory in ``locale`` (default: the viewer's)."""
    if not code:
        return ""
    locale = locale or current_language()
    names = un_names().get(code.upper())
    if names:
        return names[_table_language(locale)]
    return Locale.parse(locale).territories.get(code.upper(), code)


def sort_key(text: str) -> str:
    """A key that sorts names as readers expect without ICU: accents and case set aside.

    Latin and Cyrillic letters sort by their base letter ("Égypte" among the E), Arabic
    hamza forms with their bare letter; Chinese falls back to code-point order, which for
    CJK ideographs is radical-and-stroke order.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=64)
def country_choices(locale: str = "en") -> tuple[tuple[str, str], ...]:
    """(ISO 3166 alpha-2 code, UN name) for every country and area, sorted by name.

    Built once per locale: every registration form, public or member, shows the list.
    """
    return tuple(
        sorted(
            ((code, country_name(code, locale)) for code in un_names()),
            key=lambda pair: sort_key(pair[1]),
        )
    )


def country_names(codes: list[str]) -> str:
    """Country names in the viewer's locale, sorted and joined by commas."""
    return ", ".join(sorted((country_name(code) for code in codes), key=sort_key))
