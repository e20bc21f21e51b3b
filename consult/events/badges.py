"""Name badges for an event's confirmed participants, as a PDF to print.

One A6 badge a page (badge printers, pre-cut stock) or four to an A4 sheet (an office printer
and a guillotine). Each holds the event, the name as large as fits (any script: Arabic joined
and set right to left, Chinese, Cyrillic), organisation, constituency, country by its United
Nations name, and a QR code the check-in page reads (:mod:`consult.events.checkin`).

The code carries a signed token naming the event and the registration. It is made without a
timestamp, so the same registration always gives the same token: the check-in page keeps the
participants' tokens and matches a scanned code offline, while the server checks the
signature when the scan is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from fpdf import FPDF
from itsdangerous import BadSignature, URLSafeSerializer

from consult import pdf as shared
from consult.events import bp
from consult.events.admin import _event, _filters, _registrations
from consult.events.managers import event_manager_required
from consult.events.models import Event, Registration, Status
from consult.i18n import country_name


@dataclass(frozen=True)
class Layout:
    """A paper size and how many badges (columns x rows) of what size go on a sheet, in mm."""

    paper: str
    size: tuple[float, float]
    columns: int
    rows: int
    width: float
    height: float


LAYOUTS = {
    "a6": Layout("A6", (105.0, 148.0), 1, 1, 105.0, 148.0),
    "a4": Layout("A4", (210.0, 297.0), 2, 2, 105.0, 148.5),
}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="consult.event-badge")


def badge_token(registration: Registration) -> str:
    """The signed token a badge's QR code carries (always the same for one registration)."""
    return _serializer().dumps([registration.event_id, registration.id])


def read_badge_token(token: str) -> tuple[int, int] | None:
    """(event id, registration id) from a genuine badge token, else None."""
    try:
        payload = _serializer().loads(token.strip())
    except BadSignature:
        return None
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in payload)
    ):
        return None
    return payload[0], payload[1]


def _fit(pdf: FPDF, text: str, width: float, largest: float, smallest: float) -> float:
    """The largest font size (points) at which ``text`` fits on two lines of ``width``."""
    size = largest
    while size > smallest:
        pdf.set_font_size(size)
        if pdf.get_string_width(text) <= width * 1.8:
            break
        size -= 1
    return size


def _qr(pdf: FPDF, token: str, x: float, y: float, side: float) -> None:
    """The QR code of ``token`` drawn as vector squares, ``side`` mm wide, quiet zone around."""
    code = segno.make(token, error="m", micro=False)
    rows = [list(row) for row in code.matrix]
    module = side / (len(rows) + 8)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(
                    x + (4 + start) * module,
                    y + (4 + r) * module,
                    (c - start) * module,
                    module,
                    style="F",
                )
            else:
                c += 1


def _badge(pdf: FPDF, event: Event, person: Registration, x: float, y: float, lay: Layout):
    """One badge with its top left corner at (x, y)."""
    pad = 8.0
    inner = lay.width - 2 * pad
    pdf.set_draw_color(180, 180, 180)
    pdf.rect(x + 1, y + 1, lay.width - 2, lay.height - 2)  # a cutting guide
    pdf.set_xy(x + pad, y + pad)
    pdf.set_font("sans", "", 9)
    pdf.multi_cell(inner, 4.5, event.title, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_y(pdf.get_y() + 8)
    pdf.set_x(x + pad)
    pdf.set_font("sans", "B", 24)
    size = _fit(pdf, person.name, inner, 26, 12)
    pdf.set_font("sans", "B", size)
    pdf.multi_cell(inner, size * 0.45, person.name, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_y(pdf.get_y() + 3)
    for text, points in (
        (person.organisation, 12),
        (person.constituency.name if person.constituency else "", 10),
        (country_name(person.country), 10),
    ):
        if text:
            pdf.set_x(x + pad)
            pdf.set_font("sans", "", points)
            pdf.multi_cell(inner, points * 0.45, text, align="C", new_x="LEFT", new_y="NEXT")
            pdf.set_y(pdf.get_y() + 1.5)
    side = 38.0
    _qr(pdf, badge_token(person), x + (lay.width - side) / 2, y + lay.height - pad - side, side)


def badges_pdf(event: Event, people: list[Registration], layout: Layout) -> bytes:
    """The badges of ``people``, in the order given, on sheets of ``layout``."""
    pdf = shared.document(unit="mm", format=layout.size)
    pdf.set_auto_page_break(False)
    pdf.set_title(_("Badges: %(title)s", title=event.title))
    per_sheet = layout.columns * layout.rows
    for number, person in enumerate(people):
        place = number % per_sheet
        if place == 0:
            pdf.add_page()
        column, row = place % layout.columns, place // layout.columns
        _badge(pdf, event, person, column * layout.width, row * layout.height, layout)
    return bytes(pdf.output())


def badge_holders(event: Event) -> list[Registration]:
    """The confirmed registrations the dashboard's filters select, by name."""
    query, status = _filters()
    people = [r for r in _registrations(event, query, status) if r.status is Status.CONFIRMED]
    people.sort(key=lambda r: (r.name.casefold(), r.arrival))
    return people


@bp.get("/events/admin/<int:event_id>/badges.pdf")
@event_manager_required
def admin_badges(event_id: int):
    """Badges for the confirmed participants the dashboard shows (``layout=a6`` or ``a4``)."""
    event = _event(event_id)
    layout = LAYOUTS.get(request.args.get("layout", "a6"))
    if layout is None:
        abort(400, _("Choose A6 badges or A4 sheets of four."))
    people = badge_holders(event)
    if not people:
        flash(_("No confirmed participant is shown, so there is no badge to print."), "info")
        filters = {k: v for k, v in request.args.items() if k in ("q", "status")}
        return redirect(url_for("events.admin_event", event_id=event.id, **filters)), 303
    return shared.pdf_response(
        lambda: badges_pdf(event, people, layout), f"{event.slug}-badges-{layout.paper}.pdf"
    )
