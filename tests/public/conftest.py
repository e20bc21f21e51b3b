"""Builders for the public site's tests: profiles, key elements, documents."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from consult.extensions import db
from consult.public.models import (
    Assessment,
    Document,
    KeyElement,
    ProfileStatus,
    ProfileType,
    Rating,
    ViaProfile,
    Visibility,
)
from consult.public.uploads import store_upload

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
def make_profile(app: Flask) -> Callable[..., ViaProfile]:
    """Build a VIA profile (published unless told otherwise)."""
    counter = iter(range(1, 1_000_000))

    def make(name: str | None = None, **fields: Any) -> ViaProfile:
        number = next(counter)
        countries = fields.pop("countries", [])
        fields.setdefault("organisation", f"Organisation {number}")
        fields.setdefault("description", "A voluntary initiative.")
        fields.setdefault("sector", "other")
        fields.setdefault("type", ProfileType.OTHER)
        fields.setdefault("status", ProfileStatus.PUBLISHED)
        profile = ViaProfile(name=name or f"Initiative {number:03d}", **fields)
        profile.countries = countries
        db.session.add(profile)
        db.session.commit()
        return profile

    return make


@pytest.fixture
def make_key_element(app: Flask) -> Callable[..., KeyElement]:
    """Build a key element at the end of the list."""
    counter = iter(range(1, 1_000_000))

    def make(title: str | None = None, position: int | None = None) -> KeyElement:
        number = next(counter)
        element = KeyElement(
            title=title or f"Element {number}", position=position or number, explanation=""
        )
        db.session.add(element)
        db.session.commit()
        return element

    return make


@pytest.fixture
def assess(app: Flask) -> Callable[..., Assessment]:
    """Record a judgement of a profile against a key element."""

    def make(
        profile: ViaProfile, element: KeyElement, rating: Rating, note: str = ""
    ) -> Assessment:
        assessment = Assessment(profile=profile, key_element=element, rating=rating, note=note)
        db.session.add(assessment)
        db.session.commit()
        return assessment

    return make


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
