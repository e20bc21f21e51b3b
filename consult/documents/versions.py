"""Versions of a document: a new file replaces the current one, which stays listed."""

from __future__ import annotations

from consult.database import utcnow
from consult.documents.models import Document, DocumentVersion
from consult.documents.uploads import StoredFile


def replace_file(document: Document, stored: StoredFile, user_id: int | None) -> None:
    """Make ``stored`` the document's file, keeping the current one as a numbered version."""
    document.versions.insert(
        0,
        DocumentVersion(
            number=document.version_number,
            stored_name=document.stored_name,
            display_name=document.display_name,
            content_type=document.content_type,
            size=document.size,
            sha256=document.sha256,
            uploaded_by_id=document.uploaded_by_id,
            uploaded_at=document.uploaded_at,
        ),
    )
    document.stored_name = stored.stored_name
    document.display_name = stored.display_name
    document.content_type = stored.content_type
    document.size = stored.size
    document.sha256 = stored.sha256
    document.uploaded_by_id = user_id
    document.uploaded_at = utcnow()
