"""Right to left: lang and dir on pages and e-mails, logical CSS only, user text isolated.

The layout mirrored in a real browser, with screenshots, is in ``test_pages_in_a_browser.py``.
"""

from __future__ import annotations

import re

import pytest

from consult import PACKAGE_ROOT
from consult.extensions import db
from consult.toolkit import sections
from consult.toolkit.models import SectionStatus
from tests.conftest import body_html, sign_in

STYLESHEETS = sorted((PACKAGE_ROOT / "static" / "css").glob("*.css"))

#: Properties tied to the left or right of the screen, which a right-to-left page would not
#: mirror, and the physical sizes whose logical names (inline-size, block-size) say the same.
PHYSICAL = re.compile(
    r"(?<![\w-])("
    r"(margin|padding|border|inset|scroll-margin|scroll-padding)-(left|right)(-\w+)?"
    r"|left|right|float|clear|text-align|"
    r"(min-|max-)?(width|height)"
    r")\s*:\s*([^;}]*)"
)


def physical_properties(css: str) -> list[str]:
    """Declarations of ``css`` that name a physical side or size (media queries aside)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{", "{", css)
    found = []
    for match in PHYSICAL.finditer(css):
        name, value = match.group(1), match.group(7).strip()
        if name in ("float", "clear", "text-align") and value not in ("left", "right"):
            continue  # text-align: center / start / end, float: none are direction-free
        found.append(f"{name}: {value}")
    return found


def test_the_check_finds_physical_properties():
    """Does the check catch margin-left, text-align: right and width, and pass logical ones?"""
    css = """
    .a { margin-left: 1rem; text-align: right; width: 3rem; }
    .b { margin-inline-start: 1rem; text-align: end; inline-size: 3rem; float: none; }
    @media (max-width: 30rem) { .c { padding-inline: 0; } }
    """
    assert physical_properties(css) == ["margin-left: 1rem", "text-align: right", "width: 3rem"]


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=lambda path: path.name)
def test_stylesheets_use_logical_properties_only(stylesheet):
    """Does every stylesheet say start and end (inline, block), never left, right or width?"""
    assert physical_properties(stylesheet.read_text()) == []


@pytest.mark.parametrize(
    ("language", "lang", "direction"),
    [("ar", "ar", "rtl"), ("zh_Hans", "zh-Hans", "ltr"), ("en", "en", "ltr")],
)
def test_pages_say_their_language_and_direction(app, member_client, language, lang, direction):
    """Does a page, for a visitor and for a member, carry lang and dir on <html>?"""
    visitor = app.test_client()
    visitor.set_cookie("language", language, domain="consult.test")
    opening = f'<html lang="{lang}" dir="{direction}">'
    for path in ("/", "/sign-in", "/events"):
        assert opening in visitor.get(path).get_data(as_text=True), path
    member_client.user.language = language
    db.session.commit()
    for path in ("/dashboard", "/toolkit", "/profile"):
        assert opening in member_client.get(path).get_data(as_text=True), path


@pytest.mark.parametrize(
    ("language", "lang", "direction"), [("ar", "ar", "rtl"), ("zh_Hans", "zh-Hans", "ltr")]
)
def test_e_mails_say_their_language_and_direction(
    client, mailbox, make_member, language, lang, direction
):
    """Does an HTML e-mail in the reader's language carry lang and dir (on <body> for Outlook)?"""
    make_member("rtl@example.org", language=language)
    client.post("/password/forgot", data={"email": "rtl@example.org"})
    html = body_html(mailbox.last("rtl@example.org"))
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert f'<body dir="{direction}"' in html


ARABIC_NAME = "ليلى حسن"
ARABIC_ORGANISATION = "الشبكة العربية للبيئة والتنمية"


def test_names_and_organisations_are_isolated(app, make_secretariat, make_member, client):
    """Does an Arabic name or organisation stand in <bdi> on an English page, escaped?"""
    make_member(name=ARABIC_NAME, organisation=ARABIC_ORGANISATION)
    make_member(name="<b>Tag</b> (NGO)")
    sign_in(client, make_secretariat())
    html = client.get("/members").get_data(as_text=True)
    assert f"<bdi>{ARABIC_NAME}</bdi>" in html
    assert f"<bdi>{ARABIC_ORGANISATION}</bdi>" in html
    assert "<bdi>&lt;b&gt;Tag&lt;/b&gt; (NGO)</bdi>" in html


def test_names_in_sentences_are_isolated(make_member, client):
    """In a translated sentence ("Welcome, %(name)s"), is the name isolated, and escaped?"""
    user = make_member(name=f"{ARABIC_NAME}!")
    sign_in(client, user)
    html = client.get("/dashboard").get_data(as_text=True)
    assert f"<bdi>{ARABIC_NAME}!</bdi>" in html


def test_comments_take_the_direction_of_their_text(member_client, make_secretariat):
    """Does a comment's body (and its quote) get dir="auto", so Arabic reads right to left?"""
    section = sections.create_section(
        title="Scope", body="Text.", status=SectionStatus.PROPOSED, author=make_secretariat()
    )
    db.session.commit()
    member_client.post(
        f"/toolkit/sections/{section.id}/comments",
        data={"body": "نؤيد هذا القسم، مع تعديل بسيط.", "quote": "النص المقتبس"},
    )
    html = member_client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert re.search(r'<div class="comment-body" dir="auto">\s*<p>نؤيد', html)
    assert '<blockquote class="quote" dir="auto">النص المقتبس</blockquote>' in html
    assert '<div class="section-body" dir="auto">' in html
