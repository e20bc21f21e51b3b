"""Countries and territories carry the United Nations' short names, in all six languages."""

from __future__ import annotations

import csv

import pytest
from babel import Locale

from consult.i18n.countries import TABLE, country_choices, country_name, sort_key
from consult.i18n.locales import LANGUAGES

PROTOCOL = {
    # CLDR says "Taiwan", "Kosovo", "Palestinian Territories", "Russia", "Iran", "Vietnam"
    "TW": "Taiwan, Province of China",
    "XK": "Kosovo (under UNSC resolution 1244 (1999))",
    "PS": "State of Palestine",
    "RU": "Russian Federation",
    "IR": "Iran (Islamic Republic of)",
    "VN": "Viet Nam",
    "KR": "Republic of Korea",
    "BO": "Bolivia (Plurinational State of)",
    "GB": "United Kingdom of Great Britain and Northern Ireland",
    "HK": "China, Hong Kong Special Administrative Region",
    "VA": "Holy See",
    "FK": "Falkland Islands (Malvinas)",
}


def test_the_table_names_every_country_in_the_six_languages_and_its_source():
    """Does every row give a name in each UN language and say where it comes from?"""
    with TABLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 249
    for row in rows:
        assert len(row["code"]) == 2 and row["code"].isupper(), row
        assert all(row[language].strip() for language in LANGUAGES), row
        assert row["source"].startswith(("M49", "UN")), row
    assert len({row["code"] for row in rows}) == len(rows)


@pytest.mark.parametrize(("code", "name"), PROTOCOL.items())
def test_un_names_replace_cldrs_where_they_differ(code, name):
    """Is each protocol-sensitive name the UN's, not CLDR's?"""
    assert country_name(code, "en") == name
    assert name != Locale.parse("en").territories[code]


@pytest.mark.parametrize(
    ("language", "code", "name"),
    [
        ("fr", "RU", "Fédération de Russie"),
        ("es", "IR", "Irán (República Islámica del)"),
        ("ru", "PS", "Государство Палестина"),
        ("zh_Hans", "KR", "大韩民国"),
        ("ar", "SY", "الجمهورية العربية السورية"),
        ("ru", "AX", "Аландские острова"),  # M49's genitive corrected
        ("zh_Hans", "TW", "中国台湾省"),
    ],
)
def test_un_names_in_each_language(language, code, name):
    """Are the names the UN's in every language, Chinese read from zh_Hans?"""
    assert country_name(code, language) == name


def test_a_code_outside_the_table_falls_back_to_cldr():
    """Does a code the UN does not list (Canary Islands) still get a name?"""
    assert country_name("IC", "en") == "Canary Islands"
    assert country_name("", "en") == ""


def test_lists_are_sorted_as_readers_expect():
    """Is "Égypte" among the E in French, and Ireland before Israel whatever the accents?"""
    names = [name for _, name in country_choices("fr")]
    assert names.index("Égypte") < names.index("El Salvador") < names.index("Équateur")
    assert names == sorted(names, key=sort_key)
    codes = [code for code, _ in country_choices("en")]
    assert "TW" in codes and "XK" in codes and "ZZ" not in codes and "EU" not in codes
