"""Builders for the library's tests: files of each accepted type, stored documents."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from consult.documents.models import Document, Visibility
from consult.documents.uploads import store_upload
from consult.extensions import db
from tests.public.conftest import make_profile  # noqa: F401  (documents belong to profiles)

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    """A minimal Word document (a zip holding word/document.xml)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    """A minimal OpenDocument text (its mimetype stored first, uncompressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@pytest.fixture
def make_document(app: Flask) -> Callable[..., Document]:
    """Store a PDF (or given bytes) as a document, as an upload would."""

    def make(
        title: str = "A document",
        data: bytes = PDF_BYTES,
        filename: str = "paper.pdf",
        visibility: Visibility = Visibility.PUBLIC,
        **fields: Any,
    ) -> Document:
        with app.test_request_context():
            stored = store_upload(io.BytesIO(data), filename)
        document = Document(
            title=title,
            kind=fields.pop("kind", "study"),
            stored_name=stored.stored_name,
            display_name=stored.display_name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            visibility=visibility,
            **fields,
        )
        db.session.add(document)
        db.session.commit()
        return document

    return make
