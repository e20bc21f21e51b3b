"""The translation catalogues cannot rot: every string in them, reviewed, with its placeholders.

One switch, :data:`CATALOGUES_COMPLETE`, says whether the translators have filled every
catalogue. Until then the check that *every* message is translated is expected to fail
(``xfail``, with the reason) for the catalogues that are still being filled; those
complete already (:data:`COMPLETE_ALREADY`) are held to it now. Everything else runs
always: a catalogue that lacks a string of the code (``make messages`` not run), a fuzzy
entry (a changed string nobody reviewed), or a translation whose placeholders differ from
the English fails the build.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.live import ROOT

#: Every catalogue is filled: a missing translation in any of them fails the build. (Set it
#: back to False only to let a new language in while its translator works.)
CATALOGUES_COMPLETE = True
#: Catalogues held to completeness while the switch is False: each language joins as its
#: translator finishes it.
COMPLETE_ALREADY = ("fr", "es", "ru", "ar", "zh_Hans")
LOCALES = ("ar", "zh_Hans", "fr", "ru", "es")
CATALOGUES = ROOT / "consult" / "translations"
#: ``%(name)s``, ``%(num)d``, ``%s``, ``%d`` ... (``%%`` is a percent sign, not a placeholder).
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def catalogue(locale: str):
    with (CATALOGUES / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def forms(message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every msgid in the code and templates, extracted now as ``make messages`` does."""
    output = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            "make",
            "-s",
            "extract-messages",
            f"VENV={Path(sys.executable).parent.parent}",
            f"POT={output}",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with output.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_catalogue_holds_every_string_of_the_code(extracted, locale):
    """Does each catalogue know every marked string (``make messages`` was run after the change)?"""
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(locale) if m.id}
    assert sorted(extracted - known) == [], "run `make messages` and commit the catalogues"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_catalogue_has_a_fuzzy_entry(locale):
    """Has every guessed (fuzzy) translation been reviewed? Fuzzy ones are never shown."""
    cat = catalogue(locale)
    assert not cat.fuzzy, "the catalogue's header is marked fuzzy: it would not be compiled"
    fuzzy = [m.id for m in cat if m.id and "fuzzy" in m.flags]
    assert fuzzy == []


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_english_placeholders(locale):
    """Does every translation use exactly the placeholders of its English text?"""
    wrong = []
    for message in catalogue(locale):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        expected = placeholders(ids[-1])
        for text in forms(message):
            if not text:
                continue
            got = placeholders(text)
            # a singular form may leave the number out ("one message"), never add another
            if got != expected and not (len(ids) > 1 and set(got) <= set(expected)):
                wrong.append((ids[0], text))
    assert wrong == []


@pytest.mark.parametrize(
    "locale",
    [
        pytest.param(
            locale,
            marks=pytest.mark.xfail(
                not CATALOGUES_COMPLETE and locale not in COMPLETE_ALREADY,
                reason=f"the {locale} catalogue is waiting for its translator; set "
                "CATALOGUES_COMPLETE = True in tests/core/test_catalogues.py once "
                "every catalogue is filled",
                strict=False,
            ),
        )
        for locale in LOCALES
    ],
)
def test_every_message_is_translated(locale):
    """Is every message of the catalogue translated (every plural form too)?"""
    missing = [m.id for m in catalogue(locale) if m.id and not all(forms(m))]
    assert missing == []


@pytest.mark.parametrize("locale", LOCALES)
def test_the_compiled_catalogue_is_the_committed_one(locale):
    """Is each .mo compiled from its .po as committed (the wheel ships the .mo files)?"""
    from babel.messages.mofile import read_mo

    def key(value):
        return value if isinstance(value, str) else tuple(value)

    with (CATALOGUES / locale / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        compiled = {key(m.id): key(m.string) for m in read_mo(handle) if m.id}
    source = {
        key(m.id): key(m.string)
        for m in catalogue(locale)
        if m.id and all(forms(m)) and "fuzzy" not in m.flags
    }

    def as_set(value):
        return {value} if isinstance(value, str) else set(value)

    stale = [k for k, v in source.items() if compiled.get(k) != v]
    # an untranslated plural is compiled with the English forms: that is no translation
    unknown = [k for k, v in compiled.items() if k not in source and as_set(v) - as_set(k)]
    assert stale == [] and unknown == [], "run `make messages` and commit the .mo files"


def test_extraction_finds_every_marked_string_templates_included(extracted):
    """Does ``make messages`` extract code, templates and the form macros (a `do` template)?"""
    assert "Skip to content" in extracted
    assert "Choose a time zone from the list." in extracted
    assert "Please correct the fields marked below." in extracted
