"""UN document symbols (entered, checked, shown, found by search) and versions of a document."""

from __future__ import annotations

import io

import pytest

from consult.documents.models import Visibility
from consult.extensions import db
from tests.conftest import sign_in
from tests.documents.conftest import PDF_BYTES
from tests.documents.test_documents import fetch, newest_document, upload


def test_a_symbol_is_saved_cleaned_shown_and_offered_to_agenda_items(secretariat_client):
    """Is a symbol typed with spaces and a lower-case series kept as the UN writes it, shown
    before the title in the list and given with the title to an agenda item's choices?"""
    response = upload(
        secretariat_client,
        PDF_BYTES,
        "report.pdf",
        title="Report of the CSD",
        symbol=" e/CN.17/1999/ 20 ",
    )
    assert response.status_code == 302
    document = newest_document()
    assert document.symbol == "E/CN.17/1999/20"
    html = secretariat_client.get("/studies").get_data(as_text=True)
    assert '<span class="document-symbol" dir="ltr">E/CN.17/1999/20</span>' in html
    form = secretariat_client.get(f"/manage/documents/{document.id}/edit").get_data(as_text=True)
    assert 'value="E/CN.17/1999/20"' in form


@pytest.mark.parametrize("symbol", ["CSD 7 report", "E//1999", "/E/CN.17", "E/CN.17/<b>", "E" * 90])
def test_a_badly_written_symbol_is_refused(secretariat_client, symbol):
    """Is a symbol not written as the UN does refused with a message (422), nothing stored?"""
    response = upload(secretariat_client, PDF_BYTES, "report.pdf", symbol=symbol)
    assert response.status_code == 422
    assert newest_document() is None


def test_a_symbol_can_be_added_and_removed_later(secretariat_client, make_document):
    """Can the Secretariat give an existing document a symbol, then take it away?"""
    document = make_document("Decision 7/1")
    edit = f"/manage/documents/{document.id}/edit"
    data = {"title": "Decision 7/1", "kind": "official", "visibility": "public", "attach_to": ""}
    assert secretariat_client.post(edit, data={**data, "symbol": "E/1999/29"}).status_code == 302
    assert db.session.get(type(document), document.id).symbol == "E/1999/29"
    assert secretariat_client.post(edit, data={**data, "symbol": ""}).status_code == 302
    assert db.session.get(type(document), document.id).symbol == ""


def test_documents_are_found_by_symbol_or_title_within_what_the_reader_may_see(
    client, make_document
):
    """Does the search find a document by its symbol (spaces ignored) or its title, and never
    show a visitor a members-only document that matches?"""
    make_document("Report of the CSD", symbol="E/CN.17/1999/20")
    make_document("Industry and sustainable development", symbol="E/CN.17/1998/7")
    make_document("Members' notes on E/CN.17/1999/20", visibility=Visibility.MEMBERS)
    html = client.get("/studies?q=E/CN.17/1999/ 20").get_data(as_text=True)
    assert "Report of the CSD" in html
    assert "Industry and sustainable" not in html
    assert "Members&#39; notes" not in html and "Members' notes" not in html
    html = client.get("/studies?q=industry").get_data(as_text=True)
    assert "Industry and sustainable development" in html and "Report of the CSD" not in html
    html = client.get("/studies?q=nothing-like-this").get_data(as_text=True)
    assert "No document matches" in html


# --- versions ------------------------------------------------------------------------------


def test_a_new_version_replaces_the_file_and_keeps_the_old_one_listed(
    app, secretariat_client, make_document
):
    """Does uploading a new version make it the document's file, list the earlier one with its
    own download, and keep both under the document's visibility?"""
    document = make_document("Draft toolkit", visibility=Visibility.MEMBERS)
    first_bytes = PDF_BYTES
    second_bytes = PDF_BYTES.replace(b"%%EOF", b"% second\n%%EOF")
    page = f"/manage/documents/{document.id}/versions/new"
    assert secretariat_client.get(page).status_code == 200
    response = secretariat_client.post(
        page,
        data={"file": (io.BytesIO(second_bytes), "draft-v2.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    current = fetch(secretariat_client, document.id)
    assert current.data == second_bytes
    assert "draft-v2.pdf" in current.headers["Content-Disposition"]
    html = secretariat_client.get("/studies").get_data(as_text=True)
    assert f"/documents/{document.id}/versions/1/download" in html
    earlier = secretariat_client.get(f"/documents/{document.id}/versions/1/download")
    assert earlier.status_code == 200 and earlier.data == first_bytes
    earlier.close()
    # A visitor is sent to sign in for either file; a version that does not exist is a 404.
    visitor = app.test_client()
    assert visitor.get(f"/documents/{document.id}/versions/1/download").status_code == 302
    missing = secretariat_client.get(f"/documents/{document.id}/versions/9/download")
    assert missing.status_code == 404


def test_a_bad_new_version_is_refused_and_only_the_secretariat_may_upload_one(
    app, secretariat_client, make_document, make_member
):
    """Is a file of a refused type answered 422 with the document unchanged, and is a member
    kept away from the new-version page?"""
    document = make_document("Draft toolkit")
    page = f"/manage/documents/{document.id}/versions/new"
    response = secretariat_client.post(
        page, data={"file": (io.BytesIO(b"MZ..."), "tool.exe")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert db.session.get(type(document), document.id).versions == []
    member = app.test_client()
    sign_in(member, make_member())
    assert member.get(page).status_code == 403
