"""Key pages in each UN language show no interface string left in English.

A string "still in English" is the English text of a catalogue message that the page's
language translates otherwise: it is taken from the French catalogue (complete, and the
strings whose French is the same word, "Forum", "Description", are left out), less those
the page's own catalogue leaves as they are. Languages whose catalogue is still being
filled follow the one switch of ``tests/core/test_catalogues.py``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from sqlalchemy import select

from consult.accounts.models import Constituency
from consult.decisions.models import Amendment, Proposal
from consult.demo import load_demo
from consult.events.demo import FORUM_SLUG, PRACTICE_SLUG
from consult.extensions import db
from consult.toolkit.models import Section
from tests.conftest import sign_in
from tests.core.test_catalogues import CATALOGUES, CATALOGUES_COMPLETE, COMPLETE_ALREADY

LOCALES = ("ar", "zh_Hans", "fr", "ru", "es")
PUBLIC_PAGES = (
    "/",
    "/key-elements",
    "/key-elements/matrix",
    "/profiles",
    "/steering-group",
    "/studies",
    "/toolkit",
    "/events",
    f"/events/{FORUM_SLUG}",
    f"/events/{PRACTICE_SLUG}/register",
    "/sign-in",
    "/password/forgot",
)
MEMBER_PAGES = (
    "/dashboard",
    "/calls",
    "/programme/open",
    "/profile",
    "/programme/",
    "/toolkit/notifications",
    "/toolkit/consensus",
    "/events/admin",
    "/members",
    "/outbox",
)
PLACEHOLDER = re.compile(r"%(\([^)]+\))?[sd]")


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and the labels in attributes."""

    LABELS = ("aria-label", "title", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self._hidden += 1
        for name, value in attrs:
            if name in self.LABELS and value:
                self.chunks.append(" ".join(value.split()))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._hidden:
            self.chunks.append(text)


def catalogue(locale: str):
    with (CATALOGUES / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def english_strings(locale: str) -> set[str]:
    """Interface texts that must not appear as they are on a page in ``locale``."""
    own = {m.id: m.string for m in catalogue(locale) if isinstance(m.id, str) and m.id}
    found = set()
    for message in catalogue("fr"):
        text = message.id
        if not isinstance(text, str) or not text or PLACEHOLDER.search(text):
            continue
        if message.string == text or own.get(text) == text or len(text) < 3:
            continue
        found.add(text)
    return found


def left_in_english(html: str, english: set[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return sorted({chunk for chunk in parser.chunks if chunk in english})


def marks(locale: str) -> list[pytest.MarkDecorator]:
    waiting = not CATALOGUES_COMPLETE and locale not in COMPLETE_ALREADY
    return [
        pytest.mark.xfail(
            waiting,
            reason=f"the {locale} catalogue is waiting for its translator "
            "(CATALOGUES_COMPLETE in tests/core/test_catalogues.py)",
            strict=False,
        )
    ]


@pytest.fixture
def demo(app: Flask):
    with app.test_request_context():
        users = load_demo()
    return users


@pytest.mark.parametrize("locale", [pytest.param(code, marks=marks(code)) for code in LOCALES])
def test_key_pages_show_no_english_interface_string(app, demo, locale):
    """Do the public pages and a member's pages, in this language, leave no English string?"""
    # constituency names are records the Secretariat keeps (in English), not interface strings
    english = english_strings(locale) - set(db.session.scalars(select(Constituency.name)))
    section = db.session.scalars(select(Section).order_by(Section.position)).first()
    visitor = app.test_client()
    visitor.set_cookie("language", locale, domain="consult.test")
    member = app.test_client()
    user = demo["secretariat@example.org"]
    user.language = locale
    db.session.commit()
    sign_in(member, user)
    problems = {}
    pages = [(visitor, path) for path in PUBLIC_PAGES]
    pages += [(member, path) for path in (*MEMBER_PAGES, f"/toolkit/sections/{section.id}")]
    proposal = db.session.scalars(select(Proposal)).first()
    amendment = db.session.scalars(select(Amendment)).first()
    pages += [
        (member, f"/proposals/{proposal.id}"),
        (member, f"/amendments/{amendment.id}"),
        (member, f"/toolkit/sections/{section.id}/record"),
        (member, f"/toolkit/sections/{section.id}/history"),
    ]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert f'lang="{locale.replace("_", "-")}"' in html.split(">", 2)[1], path
        left = left_in_english(html, english)
        if left:
            problems[path] = left
    assert problems == {}


def test_the_check_finds_english_left_on_a_page():
    """Does the page check catch an English interface string on a French page?"""
    english = english_strings("fr")
    html = '<p>Aller au contenu</p><a aria-label="Main">Sign in</a><p>Forum</p>'
    assert left_in_english(html, english) == ["Main", "Sign in"]
