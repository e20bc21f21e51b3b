"""Redlines: two versions of a section compared word by word, readable without colour, printable."""

from __future__ import annotations

import re

from consult import PACKAGE_ROOT
from consult.redline import DELETED, INSERTED, SAME, Run, redline, tokens

BEFORE = (
    "Voluntary initiatives should be transparent.\n\n"
    "Each initiative reports every year to the Commission."
)
AFTER = (
    "Voluntary initiatives should be transparent.\n\n"
    "Each initiative reports every two years to the Commission on Sustainable Development."
)


def _edit(client, section, body, title=None, status="in-discussion"):
    response = client.post(
        f"/toolkit/sections/{section.id}/edit",
        data={
            "title": title or section.title,
            "body": body,
            "status": status,
            "responsible_id": "",
            "note": "",
        },
    )
    assert response.status_code == 302


def _visible(html: str) -> str:
    """What a sighted reader sees: the page without the visually hidden words and tags."""
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)
    return re.sub(r"<[^>]+>", "", html)


def _text_part(html: str) -> str:
    """The redline of the section's text on a comparison page."""
    body = html[html.index('<div class="redline">', html.index("Text</h2>")) :]
    return body[: body.index("</div>")]


def test_one_changed_word_is_shown_inline_not_as_a_paragraph_replaced(
    secretariat_client, make_section
):
    """Does changing one phrase of a paragraph mark those words only, the rest left as it was?"""
    section = make_section(title="Reporting", body=BEFORE)
    _edit(secretariat_client, section, AFTER)
    html = secretariat_client.get(f"/toolkit/sections/{section.id}/diff?from=1&to=2").get_data(
        as_text=True
    )
    body = _text_part(html)
    deleted = re.findall(r"<del>(.*?)</del>", body)
    inserted = re.findall(r"<ins>(.*?)</ins>", body)
    assert [_visible(d) for d in deleted] == ["year"]
    assert [_visible(i) for i in inserted] == ["two years", " on Sustainable Development"]
    assert "Each initiative reports every <del>" in body
    assert _visible(body).startswith("Voluntary initiatives should be transparent.\n\n")
    # the title did not change: no marks in it
    title = html[html.index("Title</h2>") : html.index("Text</h2>")]
    assert "<ins>" not in title and "<del>" not in title
    assert "Status changed from Proposed to In discussion." in html


def test_changes_are_announced_to_screen_readers_and_marked_without_colour(
    secretariat_client, make_section
):
    """Does each change carry hidden words for screen readers, and a legend say what marks mean?"""
    section = make_section(title="Reporting", body=BEFORE)
    _edit(secretariat_client, section, AFTER, title="Reporting by initiatives")
    html = secretariat_client.get(f"/toolkit/sections/{section.id}/diff?from=1&to=2").get_data(
        as_text=True
    )
    assert (
        '<del><span class="visually-hidden">[deleted: </span>year'
        '<span class="visually-hidden"> end of deletion]</span></del>'
    ) in html
    assert '<ins><span class="visually-hidden">[inserted: </span> by initiatives' in html
    assert "<ins>Inserted words are underlined.</ins>" in html
    assert "<del>Deleted words are struck through.</del>" in html


def test_redline_marks_print_and_do_not_rely_on_colour():
    """Do the styles underline and strike through (on screen and in print), not colour alone?"""
    css = (PACKAGE_ROOT / "static" / "css" / "consult.css").read_text(encoding="utf-8")
    assert re.search(r"\.redline ins[^{]*\{[^}]*text-decoration: underline", css)
    assert re.search(r"\.redline del[^{]*\{[^}]*text-decoration: line-through", css)
    printed = css[css.index("@media print", css.index("Redlines")) :]
    assert "background: none" in printed and "text-decoration: none" not in printed


def test_any_two_versions_compare_either_way(secretariat_client, make_section):
    """Can version 3 be compared with version 1, and back, each way marking the other side?"""
    section = make_section(title="Scope", body="one two three")
    _edit(secretariat_client, section, "one 2 three")
    _edit(secretariat_client, section, "one 2 three four")
    forward = secretariat_client.get(f"/toolkit/sections/{section.id}/diff?from=1&to=3")
    backward = secretariat_client.get(f"/toolkit/sections/{section.id}/diff?from=3&to=1")
    assert forward.status_code == backward.status_code == 200
    f, b = _text_part(forward.get_data(as_text=True)), _text_part(backward.get_data(as_text=True))
    assert [_visible(i) for i in re.findall(r"<ins>(.*?)</ins>", f)] == ["2", " four"]
    assert [_visible(d) for d in re.findall(r"<del>(.*?)</del>", b)] == ["2", " four"]
    assert (
        secretariat_client.get(f"/toolkit/sections/{section.id}/diff?from=1&to=7").status_code
        == 404
    )


def test_redline_keeps_every_character_and_groups_close_changes():
    """Does the redline rebuild both texts exactly, and read "old blue" to "new green" as one change?"""
    runs = redline("the old blue text", "the new green text")
    assert runs == [
        Run(SAME, "the "),
        Run(DELETED, "old blue"),
        Run(INSERTED, "new green"),
        Run(SAME, " text"),
    ]
    for old, new in ((BEFORE, AFTER), ("", "x y"), ("a\r\nb", "a\nc"), ("l’ONU", "l’ONG")):
        runs = redline(old, new)
        assert "".join(r.text for r in runs if r.kind != INSERTED) == old.replace("\r\n", "\n")
        assert "".join(r.text for r in runs if r.kind != DELETED) == new
    assert tokens("re-use, l’ONU") == ["re-use", ",", " ", "l’ONU"]


def test_the_markup_a_section_holds_is_shown_as_text(secretariat_client, make_section):
    """Is HTML typed into a section escaped in the redline, never run?"""
    section = make_section(title="Scope", body="plain")
    _edit(secretariat_client, section, "plain <script>alert(1)</script>")
    html = secretariat_client.get(f"/toolkit/sections/{section.id}/diff?from=1&to=2").get_data(
        as_text=True
    )
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html
