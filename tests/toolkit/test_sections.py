"""Sections: the Secretariat writes and orders them, every save is a version, drafts stay private."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.toolkit.models import Section, SectionStatus, SectionVersion


def _form(**fields):
    data = {"title": "Purpose and scope", "body": "Why a toolkit.", "status": "proposed"}
    data["responsible_id"] = ""
    data.update(fields)
    return data


def test_secretariat_creates_a_section_with_a_first_version(secretariat_client):
    """Does creating a section save it at the end of the toolkit with version 1?"""
    response = secretariat_client.post("/toolkit/sections/new", data=_form())
    assert response.status_code == 302
    section = db.session.scalar(select(Section).where(Section.title == "Purpose and scope"))
    assert section.version == 1 and not section.published
    versions = db.session.scalars(
        select(SectionVersion).where(SectionVersion.section_id == section.id)
    )
    assert [v.number for v in versions] == [1]


def test_section_form_errors_are_shown_not_500(secretariat_client):
    """Does a section without a title come back with a message and status 422?"""
    response = secretariat_client.post("/toolkit/sections/new", data=_form(title=""))
    assert response.status_code == 422
    assert "This field is required" in response.get_data(as_text=True)


def test_every_saved_edit_is_a_version_and_any_two_can_be_compared(
    secretariat_client, make_section
):
    """Does each save make a version, and does the diff show added and removed lines?"""
    section = make_section(title="Key elements", body="Line one\nLine two")
    client = secretariat_client
    client.post(
        f"/toolkit/sections/{section.id}/edit",
        data=_form(title="Key elements", body="Line one\nLine 2", status="in-discussion"),
    )
    client.post(
        f"/toolkit/sections/{section.id}/edit",
        data=_form(
            title="Key elements (Toronto)",
            body="Line one\nLine 2\nLine three",
            status="in-discussion",
        ),
    )
    db.session.refresh(section)
    assert section.version == 3
    history = client.get(f"/toolkit/sections/{section.id}/history").get_data(as_text=True)
    assert "Key elements (Toronto)" in history and "In discussion" in history
    diff = client.get(f"/toolkit/sections/{section.id}/diff?from=1&to=3").get_data(as_text=True)
    assert "Line one\nLine <del>" in diff and "</span>two<span" in diff
    assert "</span>2\nLine three<span" in diff.split("<ins>")[-1]
    assert client.get(f"/toolkit/sections/{section.id}/diff?from=1&to=9").status_code == 404


def test_saving_without_changes_makes_no_version(secretariat_client, make_section):
    """Is a save that changes nothing of the text left out of the history?"""
    section = make_section(title="Same", body="Same text")
    secretariat_client.post(
        f"/toolkit/sections/{section.id}/edit", data=_form(title="Same", body="Same text")
    )
    db.session.refresh(section)
    assert section.version == 1


def test_secretariat_reorders_sections(secretariat_client, make_section):
    """Does moving a section down swap it with the next one?"""
    first = make_section(title="First")
    make_section(title="Second")
    secretariat_client.post(f"/toolkit/sections/{first.id}/move", data={"direction": "down"})
    page = secretariat_client.get("/toolkit").get_data(as_text=True)
    assert page.index(">Second<") < page.index(">First<")


def test_members_may_not_edit_or_reorder(member_client, make_section):
    """Are members refused the Secretariat's pages?"""
    section = make_section()
    assert member_client.get("/toolkit/sections/new").status_code == 403
    assert (
        member_client.post(f"/toolkit/sections/{section.id}/edit", data=_form()).status_code == 403
    )
    assert (
        member_client.post(
            f"/toolkit/sections/{section.id}/move", data={"direction": "up"}
        ).status_code
        == 403
    )


def test_drafts_are_for_members_until_published(client, member_client, make_section):
    """Do visitors see published sections only, and members every section?"""
    draft = make_section(title="Draft on information needs")
    public = make_section(title="Published purpose", published=True, status=SectionStatus.AGREED)
    members_index = member_client.get("/toolkit").get_data(as_text=True)
    assert "Draft on information needs" in members_index and "Published purpose" in members_index

    visitor = client.application.test_client()
    index = visitor.get("/toolkit").get_data(as_text=True)
    assert "Published purpose" in index and "Draft on information needs" not in index
    assert visitor.get(f"/toolkit/sections/{draft.id}").status_code == 302
    assert visitor.get(f"/toolkit/sections/{draft.id}/history").status_code == 302
    assert visitor.get(f"/toolkit/sections/{draft.id}/diff").status_code == 302
    page = visitor.get(f"/toolkit/sections/{public.id}")
    assert page.status_code == 200
    assert "Published purpose" in page.get_data(as_text=True)
    assert "Add a comment" not in page.get_data(as_text=True)
    assert visitor.get(f"/toolkit/sections/{public.id}/history").status_code == 200
    assert visitor.get("/toolkit/sections/999999").status_code == 404


def test_section_text_is_sanitised(secretariat_client, make_section):
    """Is a script in a section's Markdown shown as text, never run?"""
    section = make_section(body="Hello <script>alert(1)</script> [x](javascript:alert(1))")
    html = secretariat_client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert 'href="javascript:' not in html


def test_section_page_scripts_are_files_served_by_the_app(member_client, make_section):
    """Does the page load the vendored socket.io client, toolkit.js and the scripts of the
    panels other capabilities add (decisions.js), with no inline script or style?"""
    section = make_section()
    html = member_client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    sources = [re.fullmatch(r'src="([^"]+)"', attrs.strip()) for attrs, _ in scripts]
    assert all(sources), scripts
    # under content-hashed names (consult/assets.py)
    assert [re.sub(r"\.[0-9a-f]{12}\.js$", ".js", m.group(1)) for m in sources] == [
        "/static/vendor/socket.io.min.js",
        "/static/js/toolkit.js",
        "/static/js/decisions.js",
    ]
    assert all(body.strip() == "" for _, body in scripts)
    assert " style=" not in html
    with member_client.get(sources[1].group(1)) as script:
        assert script.status_code == 200


def test_huge_version_numbers_in_a_diff_are_not_an_error(member_client, make_section):
    """Does an absurd version number in a diff link give a page or a 404, never a 500?"""
    section = make_section()
    response = member_client.get(
        f"/toolkit/sections/{section.id}/diff?from=99999999999999999999999"
    )
    assert response.status_code in (200, 404)


def test_editing_keeps_a_deactivated_responsible_member(
    secretariat_client, make_section, make_member
):
    """Is a section's responsible member kept when they were deactivated since?"""
    former = make_member(name="Former responsible", active=False)
    section = make_section(responsible_id=former.id)
    page = secretariat_client.get(f"/toolkit/sections/{section.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{former.id}">Former responsible' in page


@pytest.mark.parametrize(("value", "status"), [("abc", 422), ("99999999999", 422), ("", 302)])
def test_the_optional_responsible_member_is_an_id_or_nobody(secretariat_client, value, status):
    """Is "nobody" saved as no one, and a value that is no member's id refused with a 422?"""
    response = secretariat_client.post("/toolkit/sections/new", data=_form(responsible_id=value))
    assert response.status_code == status
    section = db.session.scalar(select(Section).where(Section.title == "Purpose and scope"))
    assert (section is None) == (status == 422)
    assert section is None or section.responsible_id is None


def test_the_responsible_member_is_saved_and_shown_selected(secretariat_client, make_member):
    """Is a chosen responsible member saved, and selected again on the edit form?"""
    member = make_member(name="Responsible member")
    secretariat_client.post("/toolkit/sections/new", data=_form(responsible_id=str(member.id)))
    section = db.session.scalar(select(Section).where(Section.title == "Purpose and scope"))
    assert section.responsible_id == member.id
    page = secretariat_client.get(f"/toolkit/sections/{section.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{member.id}">Responsible member' in page
