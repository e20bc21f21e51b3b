"""A section's record as a PDF, set with the shared fonts of :mod:`consult.pdf`.

Every script of the six languages prints (Arabic shaped and right to left, Chinese, Russian).
Redlines are drawn as in print: deleted words struck through, inserted words underlined, and,
for a reader who copies the text out, set between ``[-`` ``-]`` and ``{+`` ``+}`` as ``wdiff``
writes them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fpdf import FPDF

from consult import pdf as shared
from consult.markdown import render_markdown
from consult.redline import DELETED, INSERTED, Run

MARGIN = 56.0  # points
MARKS = {DELETED: ("[-", "-]"), INSERTED: ("{+", "+}")}
STYLES = {DELETED: "S", INSERTED: "U"}
LEADING = 1.3


class _Pages(FPDF):
    """fpdf2's document with the record's footer: its title and the page's number."""

    record_title = ""

    def footer(self) -> None:
        self.set_y(-MARGIN / 2 - 8)
        self.set_font("sans", "", 8)
        self.cell(0, 10, f"{self.record_title} - {self.page_no()}/{{nb}}")


class Document:
    """Pages of text laid out top to bottom; :meth:`render` gives the PDF's bytes."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.pdf = shared.document(_Pages, unit="pt", format="A4")
        self.pdf.record_title = title
        self.pdf.set_title(title)
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.set_auto_page_break(True, MARGIN)
        self.pdf.add_page()

    def space(self, points: float = 6.0) -> None:
        """Leave a blank strip."""
        self.pdf.ln(points)

    def heading(self, text: str, size: float = 13.0) -> None:
        """A bold heading, kept with at least two lines of what follows."""
        if self.pdf.get_y() + size * 4 > self.pdf.page_break_trigger:
            self.pdf.add_page()
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
        pdf = self.pdf
        pdf.set_left_margin(MARGIN + indent)
        pdf.set_x(MARGIN + indent)
        for run in runs:
            opening, closing = MARKS.get(run.kind, ("", ""))
            pdf.set_font("sans", ("B" if bold else "") + STYLES.get(run.kind, ""), size)
            pdf.write(size * LEADING, f"{opening}{run.text.replace(chr(9), '    ')}{closing}")
        pdf.ln(size * LEADING)
        pdf.set_left_margin(MARGIN)

    def render(self) -> bytes:
        """The whole PDF file."""
        return bytes(self.pdf.output())


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
