"""Document uploads and downloads: types, sizes, names, visibility."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from consult.documents.models import Document, Visibility
from consult.documents.uploads import clean_filename, content_matches
from consult.extensions import db
from consult.public.models import ProfileStatus
from tests.documents.conftest import PDF_BYTES, docx_bytes, odt_bytes


def upload(client, data: bytes, filename: str, **fields):
    """Post the upload form with one file."""
    form = {
        "title": fields.pop("title", "Background paper"),
        "kind": "background-paper",
        "visibility": fields.pop("visibility", "public"),
        "attach_to": fields.pop("attach_to", ""),
        "file": (io.BytesIO(data), filename),
        **fields,
    }
    return client.post("/manage/documents/new", data=form, content_type="multipart/form-data")


def fetch(client, document_id: int):
    """Download a document, closing the file the response holds."""
    response = client.get(f"/documents/{document_id}/download")
    response.get_data()
    response.close()
    return response


def newest_document() -> Document | None:
    """The last document saved."""
    return db.session.scalar(select(Document).order_by(Document.id.desc()).limit(1))


def test_upload_is_stored_outside_static_and_served_as_an_attachment(app, secretariat_client):
    """Is a PDF kept under a random name in UPLOAD_DIR and served with its type and name?"""
    response = upload(secretariat_client, PDF_BYTES, "Background paper.pdf")
    assert response.status_code == 302
    document = newest_document()
    stored = Path(app.config["UPLOAD_DIR"]) / "documents" / document.stored_name
    assert stored.read_bytes() == PDF_BYTES
    assert document.stored_name != "Background paper.pdf"
    assert "static" not in stored.parts
    assert document.size == len(PDF_BYTES)
    download = fetch(secretariat_client, document.id)
    assert download.status_code == 200
    assert download.data == PDF_BYTES
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == 'attachment; filename="Background paper.pdf"'
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_name_with_a_path_is_reduced_to_a_harmless_name(app, secretariat_client):
    """Does '../../etc/passwd.pdf' neither escape the folder nor reach the download name?"""
    for name in ("../../etc/passwd.pdf", "..\\..\\windows\\evil.pdf", "/abs/path/x.pdf"):
        assert upload(secretariat_client, PDF_BYTES, name).status_code == 302
        document = newest_document()
        assert "/" not in document.display_name and "\\" not in document.display_name
        assert not document.display_name.startswith(".")
        folder = Path(app.config["UPLOAD_DIR"]) / "documents"
        assert (folder / document.stored_name).is_file()
        disposition = fetch(secretariat_client, document.id).headers["Content-Disposition"]
        assert ".." not in disposition and "/" not in disposition
    assert not (Path(app.config["UPLOAD_DIR"]).parent / "etc").exists()


def test_a_name_in_another_script_is_kept_and_encoded(secretariat_client):
    """Is 'Étude São Paulo.pdf' offered back under its own name, RFC 5987 encoded?"""
    upload(secretariat_client, PDF_BYTES, "Étude São Paulo.pdf")
    document = newest_document()
    assert document.display_name == "Étude São Paulo.pdf"
    disposition = fetch(secretariat_client, document.id).headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%C3%89tude%20S%C3%A3o%20Paulo.pdf" in disposition


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"MZ\x90\x00binary", "tool.exe", "This type of file is not accepted"),
        (b"<html><script>alert(1)</script></html>", "paper.pdf", "is not a PDF document"),
        (PDF_BYTES, "paper.docx", "is not a DOCX document"),
        (b"\xff\xfe\x00t\x00e\x00x\x00t", "notes.txt", "is not a TXT document"),
        (b"", "empty.pdf", "The file is empty."),
        (PDF_BYTES, "no-extension", "This type of file is not accepted"),
    ],
)
def test_wrong_types_are_refused_with_a_reason(secretariat_client, data, filename, message):
    """Is a file refused, form back as 422, when its name or its bytes are not an allowed type?"""
    response = upload(secretariat_client, data, filename)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert newest_document() is None


@pytest.mark.parametrize(
    ("data", "filename", "content_type"),
    [
        (
            docx_bytes(),
            "paper.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (odt_bytes(), "paper.odt", "application/vnd.oasis.opendocument.text"),
        ("Résumé, UTF-8".encode(), "notes.txt", "text/plain; charset=utf-8"),
        (b"{\\rtf1 hello}", "memo.rtf", "application/rtf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.doc", "application/msword"),
    ],
)
def test_allowed_types_are_served_with_their_content_type(
    secretariat_client, data, filename, content_type
):
    """Are DOCX, ODT, TXT, RTF and DOC accepted and served with the right Content-Type?"""
    assert upload(secretariat_client, data, filename).status_code == 302
    response = fetch(secretariat_client, newest_document().id)
    assert response.headers["Content-Type"] == content_type
    assert response.data == data


def test_too_large_upload_shows_a_clear_message(app, secretariat_client, csrf, monkeypatch):
    """Does a file over the limit get the form back, 413, saying what the limit is?"""
    limit = 2 * 1024 * 1024 // 5  # 0.4 MB: small enough for the test client to keep in memory
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", limit)
    token = csrf(secretariat_client, "/manage/documents/new")
    response = upload(
        secretariat_client, b"%PDF-" + b"0" * (limit + 10), "big.pdf", csrf_token=token
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The file is too large: the limit is 0.4 MB." in html
    assert 'enctype="multipart/form-data"' in html  # the form is there to try again
    assert newest_document() is None


def test_too_large_elsewhere_keeps_the_general_page(app, client, monkeypatch):
    """Does a too-large request to another page still get the site's 413 page?"""
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 10)
    response = client.post("/sign-in", data={"email": "x" * 100})
    assert response.status_code == 413


def test_members_only_documents_never_reach_the_public(client, make_document, make_member):
    """Is a members-only file absent from pages and refused to visitors, but given to members?"""
    public = make_document("Open paper")
    private = make_document("Internal draft", visibility=Visibility.MEMBERS)
    for path in ("/", "/studies"):
        html = client.get(path).get_data(as_text=True)
        assert "Open paper" in html
        assert "Internal draft" not in html
    response = fetch(client, private.id)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    assert fetch(client, public.id).status_code == 200

    from tests.conftest import sign_in

    sign_in(client, make_member())
    assert "Internal draft" in client.get("/studies").get_data(as_text=True)
    response = fetch(client, private.id)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_public_file_of_a_hidden_profile_stays_hidden(client, make_document, make_profile):
    """Is a public document attached to a draft profile kept from visitors?"""
    draft = make_profile("Secret draft", status=ProfileStatus.DRAFT)
    document = make_document("Draft's annex", profile=draft)
    assert fetch(client, document.id).status_code == 404
    assert "Draft&#39;s annex" not in client.get("/studies").get_data(as_text=True)
    draft.status = ProfileStatus.PUBLISHED
    db.session.commit()
    assert fetch(client, document.id).status_code == 200
    assert "Draft&#39;s annex" in client.get(f"/profiles/{draft.id}").get_data(as_text=True)


def test_only_the_secretariat_uploads_and_deletes(app, member_client, make_document):
    """Do members get 403 on upload, edit and delete, and does deleting remove the file?"""
    document = make_document("Paper")
    assert upload(member_client, PDF_BYTES, "x.pdf").status_code == 403
    assert member_client.post(f"/manage/documents/{document.id}/delete").status_code == 403
    assert member_client.get(f"/manage/documents/{document.id}/edit").status_code == 403


def test_secretariat_edits_visibility_and_deletes(app, secretariat_client, client, make_document):
    """Can the Secretariat make a file members-only, and delete it with its file?"""
    document = make_document("Paper")
    path = Path(app.config["UPLOAD_DIR"]) / "documents" / document.stored_name
    secretariat_client.post(
        f"/manage/documents/{document.id}/edit",
        data={"title": "Paper v2", "kind": "study", "visibility": "members", "attach_to": ""},
    )
    assert (document.title, document.visibility) == ("Paper v2", Visibility.MEMBERS)
    document_id = document.id
    secretariat_client.post(f"/manage/documents/{document_id}/delete")
    assert db.session.get(Document, document_id) is None
    assert not path.exists()


def test_filename_and_sniffing_rules_without_http():
    """Do the name cleaner and the content checks behave on their own?"""
    assert clean_filename("C:\\Users\\me\\Report.final.PDF", "pdf") == "Report.final.pdf"
    assert clean_filename("..", "pdf") == "document.pdf"
    assert clean_filename("a\x00b<c>.txt", "txt") == "a_b_c_.txt"
    assert clean_filename(".hidden.pdf", "pdf") == "hidden.pdf"
    assert content_matches("pdf", PDF_BYTES)
    assert not content_matches("odt", docx_bytes())
    assert not content_matches("docx", odt_bytes())
    assert not content_matches("exe", b"MZ")


def test_home_lists_the_latest_public_documents_only(client, make_document):
    """Are the newest public documents on the home page, with their kind, and members-only not?"""
    make_document("Open background paper", kind="background-paper")
    make_document("Members' draft", visibility=Visibility.MEMBERS)
    html = client.get("/").get_data(as_text=True)
    assert "Open background paper" in html and "(Background paper," in html
    assert "Members&#39; draft" not in html


def test_a_profile_page_lists_only_the_documents_its_reader_may_open(
    client, make_document, make_profile, make_member
):
    """Does a profile page list its public files for visitors, and members-only ones for members?"""
    profile = make_profile("Responsible Care")
    make_document("Programme summary", profile=profile)
    make_document("Members' assessment", profile=profile, visibility=Visibility.MEMBERS)
    make_document("Unrelated paper")
    html = client.get(f"/profiles/{profile.id}").get_data(as_text=True)
    assert "Programme summary" in html
    assert "Members&#39; assessment" not in html and "Unrelated paper" not in html

    from tests.conftest import sign_in

    sign_in(client, make_member())
    html = client.get(f"/profiles/{profile.id}").get_data(as_text=True)
    assert "Programme summary" in html and "Members&#39; assessment" in html


def test_the_secretariat_adds_a_document_from_the_profile_page(
    client, make_profile, make_secretariat
):
    """Does a profile page offer the Secretariat an upload for it, and visitors no empty section?"""
    profile = make_profile("Guidelines for Multinational Enterprises")
    html = client.get(f"/profiles/{profile.id}").get_data(as_text=True)
    assert ">Documents</h2>" not in html

    from tests.conftest import sign_in

    sign_in(client, make_secretariat())
    html = client.get(f"/profiles/{profile.id}").get_data(as_text=True)
    assert ">Documents</h2>" in html
    assert f"/manage/documents/new?attach_to=profile:{profile.id}" in html
