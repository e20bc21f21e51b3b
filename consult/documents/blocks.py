"""The library's parts of other pages: a home page block, a profile's files, files to link to."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from consult.documents.access import (
    documents_of_profile,
    latest_public_documents,
    visible_documents,
)
from consult.extensions import db
from consult.signals import DocumentLink, Panel
from consult.urls import external_url


def latest_documents_block(app: Any) -> Panel | None:
    """The newest public documents, or nothing when there are none."""
    documents = latest_public_documents(5)
    if not documents:
        return None
    return Panel(
        _l("Latest documents"),
        "documents/_block_documents.html",
        {"documents": documents},
        order=60,
    )


def profile_documents(app: Any, profile: Any, user: Any) -> Panel | None:
    """The documents of a VIA profile its reader may open; the Secretariat also gets an upload link."""
    documents = documents_of_profile(user, profile)
    upload = getattr(user, "is_authenticated", False) and user.is_secretariat
    if not documents and not upload:
        return None
    context = {"documents": documents, "profile": profile, "upload": upload}
    return Panel(_l("Documents"), "documents/_profile_documents.html", context, order=10)


#: How many of the newest documents an agenda item may pick from.
LINKABLE = 200


def linkable_documents(app: Any, user: Any) -> list[DocumentLink]:
    """The library's files ``user`` may see, newest first, for an agenda item to link to.

    The link leads to the library's own download, which checks access again.
    """
    documents = db.session.scalars(visible_documents(user).limit(LINKABLE))
    return [
        DocumentLink(
            external_url("documents.download", document_id=d.id),
            f"{d.symbol} {d.title}" if d.symbol else d.title,
            order=index,
        )
        for index, d in enumerate(documents)
    ]
