"""A small PDF writer for a section's record: no dependency, the standard Courier fonts.

Every glyph of Courier is 600/1000 of an em wide, so lines are wrapped exactly without font
metrics, and the typewritten look is that of a draft UN document. Text is written in the
PDF's WinAnsi encoding (Western European languages, the texts the Group negotiates); a
character outside it is written as "?". Redlines are drawn as in print: deleted words struck
through, inserted words underlined, and, for a reader who copies the text out, set between
``[-`` ``-]`` and ``{+`` ``+}`` as ``wdiff`` writes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from consult.markdown import render_markdown
from consult.redline import DELETED, INSERTED, Run

PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89  # A4, in points
MARGIN = 56.0
CHAR_EM = 0.6  # Courier: every character is 600/1000 em wide
MARKS = {DELETED: ("[-", "-]"), INSERTED: ("{+", "+}")}


def _encode(text: str) -> bytes:
    """``text`` in WinAnsi (cp1252), with PDF string escapes; what it cannot hold becomes "?"."""
    raw = text.replace("\t", "    ").encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


@dataclass
class _Piece:
    text: str
    kind: str = "same"


@dataclass
class Document:
    """Pages of text laid out top to bottom; :meth:`render` gives the PDF's bytes."""

    title: str
    pages: list[list[bytes]] = field(default_factory=list)
    y: float = 0.0

    def __post_init__(self) -> None:
        self._new_page()

    def _new_page(self) -> None:
        self.pages.append([])
        self.y = PAGE_HEIGHT - MARGIN

    def _room(self, height: float) -> None:
        if self.y - height < MARGIN:
            self._new_page()

    def space(self, points: float = 6.0) -> None:
        """Leave a blank strip."""
        self.y -= points

    def heading(self, text: str, size: float = 13.0) -> None:
        """A bold heading, kept with at least two lines of what follows."""
        self._room(size * 4)
        self.space(size * 0.5)
        self.text(text, size=size, bold=True)
        self.space(size * 0.25)

    def text(self, text: str, size: float = 10.0, bold: bool = False, indent: float = 0.0) -> None:
        """Paragraphs (blank lines between them), wrapped to the page; line breaks kept."""
        for number, paragraph in enumerate(text.replace("\r\n", "\n").split("\n\n")):
            if number:
                self.space(size * 0.6)
            for line in paragraph.split("\n"):
                self.runs([Run("same", line)], size=size, bold=bold, indent=indent)

    def runs(
        self, runs: list[Run], size: float = 10.0, bold: bool = False, indent: float = 0.0
    ) -> None:
        """Text made of runs (a redline), wrapped; deleted runs struck, inserted underlined."""
        width = int((PAGE_WIDTH - 2 * MARGIN - indent) / (size * CHAR_EM))
        for line in _wrap(_pieces(runs), max(width, 10)):
            self._room(size * 1.3)
            self.y -= size * 1.3
            self._line(line, size, bold, indent)

    def _line(self, pieces: list[_Piece], size: float, bold: bool, indent: float) -> None:
        font = b"/F2" if bold else b"/F1"
        x = MARGIN + indent
        out = self.pages[-1]
        merged: list[_Piece] = []
        for piece in pieces:  # one text object per stretch of one kind
            if merged and merged[-1].kind == piece.kind:
                merged[-1] = _Piece(merged[-1].text + piece.text, piece.kind)
            else:
                merged.append(piece)
        for piece in merged:
            if not piece.text:
                continue
            out.append(
                b"BT %s %.1f Tf %.2f %.2f Td (%s) Tj ET"
                % (font, size, x, self.y, _encode(piece.text))
            )
            length = len(piece.text) * size * CHAR_EM
            if piece.kind in MARKS:
                offset = -1.5 if piece.kind == INSERTED else size * 0.3
                out.append(
                    b"0.8 w %.2f %.2f m %.2f %.2f l S"
                    % (x, self.y + offset, x + length, self.y + offset)
                )
            x += length

    def render(self) -> bytes:
        """The whole PDF file."""
        objects: list[bytes] = []

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        catalog = add(b"")  # filled in below, once the pages' object number is known
        pages_id = add(b"")
        courier = add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>"
        )
        courier_bold = add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold /Encoding /WinAnsiEncoding >>"
        )
        kids = []
        for number, content in enumerate(self.pages, start=1):
            footer = b"BT /F1 8.0 Tf %.2f %.2f Td (%s) Tj ET" % (
                MARGIN,
                MARGIN / 2,
                _encode(f"{self.title} - {number}/{len(self.pages)}"),
            )
            stream = b"\n".join([*content, footer])
            stream_id = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
            kids.append(
                add(
                    b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] "
                    b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>"
                    % (pages_id, PAGE_WIDTH, PAGE_HEIGHT, courier, courier_bold, stream_id)
                )
            )
        title = ("\ufeff" + self.title).encode("utf-16-be").hex().upper().encode()
        info = add(b"<< /Title <%s> /Producer (Consult) >>" % title)
        objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
        objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
            b" ".join(b"%d 0 R" % kid for kid in kids),
            len(kids),
        )
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1,
            catalog,
            info,
            xref,
        )
        return bytes(out)


def _pieces(runs: list[Run]) -> list[_Piece]:
    """Words and spaces of the runs, each with its kind; changes wrapped in their marks."""
    pieces: list[_Piece] = []
    for run in runs:
        opening, closing = MARKS.get(run.kind, ("", ""))
        text = f"{opening}{run.text}{closing}"
        for part in text.split(" "):
            pieces.append(_Piece(part, run.kind))
            pieces.append(_Piece(" ", run.kind))
        pieces.pop()
    return pieces


def _wrap(pieces: list[_Piece], width: int) -> list[list[_Piece]]:
    """Lines of at most ``width`` characters, broken at spaces (a longer word is cut)."""
    lines: list[list[_Piece]] = [[]]
    used = 0
    for piece in pieces:
        if piece.text == " " and used == 0:
            continue
        while len(piece.text) > width:  # a word longer than a line
            if used:
                lines.append([])
                used = 0
            lines[-1].append(_Piece(piece.text[:width], piece.kind))
            lines.append([])
            piece = _Piece(piece.text[width:], piece.kind)
        if used + len(piece.text) > width and piece.text != " ":
            lines.append([])
            used = 0
        if piece.text == " " and used == 0:
            continue
        lines[-1].append(piece)
        used += len(piece.text)
    return lines


class _PlainText(HTMLParser):
    """Rendered Markdown back to plain paragraphs: lists as "- " or "1. ", links' text kept."""

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [is ordered, next number]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 1])
        elif tag == "li" and self.lists:
            kind = self.lists[-1]
            marker = f"{kind[1]}. " if kind[0] else "- "
            kind[1] += 1
            self.out.append("\n" + "  " * (len(self.lists) - 1) + marker)
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("td", "th"):
            self.out.append(" | ")
        elif tag == "tr":
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in self.BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.out.append(data if not self.lists else data.replace("\n", " "))


def markdown_text(text: str) -> str:
    """What a reader sees of ``text`` (Markdown), as plain paragraphs for the PDF."""
    parser = _PlainText()
    parser.feed(str(render_markdown(text)))
    plain = "".join(parser.out)
    plain = re.sub(r"[ \t]+\n", "\n", plain)
    return re.sub(r"\n{3,}", "\n\n", plain).strip()
