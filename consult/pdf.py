"""PDF documents in every script the United Nations writes in, with fpdf2.

One place finds the fonts and sets up a document: Noto Sans (or DejaVu Sans) for Latin, Greek
and Cyrillic, Noto Sans Arabic for Arabic, WenQuanYi Micro Hei (or Noto Sans CJK) for Chinese,
as fallbacks of one another, with text shaping by HarfBuzz so that Arabic is joined and set
right to left. Fonts come from the system (Debian: ``fonts-noto-core fonts-dejavu-core
fonts-wqy-microhei``) or from the folders in ``PDF_FONT_DIRS``; nothing is fetched at run time.
When a font is missing, :class:`FontsMissing` says which and what to install.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import Response, current_app, has_app_context
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from fpdf import FPDF

from consult.errors import render_error

#: Folders searched, in order, after ``PDF_FONT_DIRS``.
SYSTEM_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts")


@dataclass(frozen=True)
class Face:
    """A font family and style fpdf2 knows, with the files that may hold it (first found wins)."""

    family: str
    style: str
    files: tuple[str, ...]
    package: str


FACES = (
    Face("sans", "", ("NotoSans-Regular.ttf", "DejaVuSans.ttf"), "fonts-noto-core"),
    Face("sans", "B", ("NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf"), "fonts-noto-core"),
    Face(
        "arabic",
        "",
        ("NotoSansArabic-Regular.ttf", "NotoNaskhArabic-Regular.ttf"),
        "fonts-noto-core",
    ),
    Face("arabic", "B", ("NotoSansArabic-Bold.ttf", "NotoNaskhArabic-Bold.ttf"), "fonts-noto-core"),
    Face(
        "cjk",
        "",
        ("wqy-microhei.ttc", "NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"),
        "fonts-wqy-microhei",
    ),
)
#: Tried in turn for a character the current font does not have.
FALLBACKS = ("arabic", "cjk")


class FontsMissing(RuntimeError):
    """A font a PDF needs is not installed; the message names the package to install."""


def font_dirs() -> list[Path]:
    """Where fonts are looked for: ``PDF_FONT_DIRS`` (``os.pathsep``-separated) first."""
    extra = current_app.config.get("PDF_FONT_DIRS", "") if has_app_context() else ""
    extra = extra or os.environ.get("PDF_FONT_DIRS", "")
    listed = [p for p in extra.split(os.pathsep) if p] + list(SYSTEM_FONT_DIRS)
    return [Path(p).expanduser() for p in listed]


@lru_cache(maxsize=8)
def _installed(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Font files by name in ``dirs`` (the first of a name wins), read once per process."""
    found: dict[str, Path] = {}
    for root in dirs:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.suffix.lower() in {".ttf", ".ttc", ".otf"}:
                    found.setdefault(path.name, path)
    return found


def find_font(face: Face) -> Path:
    """The file for ``face``, or :class:`FontsMissing`."""
    installed = _installed(tuple(font_dirs()))
    for name in face.files:
        if name in installed:
            return installed[name]
    raise FontsMissing(
        _l(
            "The PDF cannot be made: the font %(font)s is not installed on the server "
            "(Debian package %(package)s).",
            font=face.files[0],
            package=face.package,
        )
    )


def document(cls: type[FPDF] = FPDF, **options) -> FPDF:
    """A new fpdf2 document (``cls``, FPDF or a subclass with a header or footer) with the
    fonts set up: family "sans", fallbacks for Arabic and Chinese, shaping on.

    ``options`` go to :class:`fpdf.FPDF` (``format="A6"``, ``orientation``...).
    """
    pdf = cls(**options)
    for face in FACES:
        path = find_font(face)
        number = {"collection_font_number": 0} if path.suffix.lower() == ".ttc" else {}
        pdf.add_font(face.family, face.style, str(path), **number)
    pdf.set_fallback_fonts(list(FALLBACKS), exact_match=False)
    pdf.set_text_shaping(True)
    pdf.set_creator("Consult")
    pdf.set_font("sans", "", 10)
    return pdf


def pdf_response(make: Callable[[], bytes], filename: str) -> ResponseReturnValue:
    """The PDF ``make`` builds, as a download named ``filename``; when the fonts are missing,
    a 503 page saying which package to install (and the error logged), not a crash."""
    try:
        body = make()
    except FontsMissing as error:
        current_app.logger.error("PDF not made: %s", error)
        return render_error(503, str(error))
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
