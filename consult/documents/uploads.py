"""Document files: checked by name and content, stored under a random name outside ``static/``.

Nothing the uploader chose is used as a path: the file is saved as
``UPLOAD_DIR/documents/<random hex>``, and the uploaded name, cleaned, is only
offered back as the download's file name.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _

#: extension -> Content-Type served. Sniffing decides whether the bytes fit the extension.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "application/rtf",
    "txt": "text/plain; charset=utf-8",
}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODT_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.text"
#: Characters never kept in a display name (path separators, controls, reserved on Windows).
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


class UploadRejected(ValueError):
    """The file cannot be accepted; the message says why, for the person uploading."""


@dataclass(frozen=True)
class StoredFile:
    """What was saved, for the document row."""

    stored_name: str
    display_name: str
    content_type: str
    size: int
    sha256: str


def clean_filename(name: str | None, extension: str) -> str:
    """A harmless display name: no directories, no control or reserved characters.

    Letters of every script are kept (a file may be named in French or Chinese).
    """
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = _UNSAFE.sub("_", base).strip().lstrip(".").strip()
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[:120].strip() or "document"
    return f"{stem}.{extension}"


def extension_of(name: str | None) -> str:
    """The lower-cased extension of ``name``, or ''."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _zip_names(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except zipfile.BadZipFile:
        return set()


def content_matches(extension: str, data: bytes) -> bool:
    """Do the first bytes (and for zip formats, the parts inside) fit the extension?"""
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if extension == "doc":
        return data.startswith(OLE_SIGNATURE)
    if extension == "rtf":
        return data.startswith(b"{\\rtf")
    if extension == "odt":
        return data.startswith(b"PK\x03\x04") and data[30:77] == ODT_MIMETYPE
    if extension == "docx":
        return data.startswith(b"PK\x03\x04") and "word/document.xml" in _zip_names(data)
    if extension == "txt":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return False


def upload_folder() -> Path:
    """Where document files live (created on first use)."""
    folder = Path(current_app.config["UPLOAD_DIR"]) / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def max_upload_bytes() -> int | None:
    """The largest file accepted: the request limit of the application."""
    return current_app.config.get("MAX_CONTENT_LENGTH")


def store_upload(stream: IO[bytes], filename: str | None) -> StoredFile:
    """Check and save an uploaded file; raise :class:`UploadRejected` with a reason."""
    extension = extension_of(filename)
    if extension not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(ALLOWED_TYPES)).upper()
        raise UploadRejected(
            _("This type of file is not accepted. Use one of: %(types)s.", types=allowed)
        )
    limit = max_upload_bytes()
    data = stream.read(limit + 1 if limit else -1)
    if limit and len(data) > limit:
        raise UploadRejected(too_large_message())
    if not data:
        raise UploadRejected(_("The file is empty."))
    if not content_matches(extension, data):
        raise UploadRejected(
            _(
                "The file's content is not a %(ext)s document, whatever its name says.",
                ext=extension.upper(),
            )
        )
    stored_name = secrets.token_hex(16)
    target = upload_folder() / stored_name
    temporary = target.with_suffix(".part")
    temporary.write_bytes(data)
    temporary.replace(target)
    return StoredFile(
        stored_name=stored_name,
        display_name=clean_filename(filename, extension),
        content_type=ALLOWED_TYPES[extension],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def stored_path(stored_name: str) -> Path:
    """The file of a document; the name is checked to be one we generated."""
    if not re.fullmatch(r"[0-9a-f]{32}", stored_name):
        raise FileNotFoundError(stored_name)
    return upload_folder() / stored_name


def remove_file(stored_name: str) -> None:
    """Delete a document's file if it is there."""
    with contextlib.suppress(FileNotFoundError):
        stored_path(stored_name).unlink(missing_ok=True)


def limit_text() -> str:
    """The upload limit in words, such as '16 MB' (binary megabytes)."""
    limit = max_upload_bytes() or 0
    return _("%(size)s MB", size=format_decimal(limit / (1024 * 1024), format="#,##0.#"))


def too_large_message() -> str:
    """The sentence shown when an upload exceeds the limit."""
    return _("The file is too large: the limit is %(limit)s.", limit=limit_text())
