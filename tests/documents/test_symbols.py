"""UN document symbols: entered and checked on upload and edit, shown, and found by search."""

from __future__ import annotations

import pytest

from consult.documents.models import Visibility
from consult.extensions import db
from tests.documents.conftest import PDF_BYTES
from tests.documents.test_documents import newest_document, upload


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
