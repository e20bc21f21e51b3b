"""Registrations as a spreadsheet: CSV for any program, XLSX for Excel, both with names.

The CSV starts with a UTF-8 byte-order mark, without which Excel on Windows reads
"José Ramírez Núñez" as "JosÃ© RamÃ­rez NÃºÃ±ez". Constituencies, countries (their
United Nations names), country groups and statuses are written as names in the
exporter's language; the answers to the event's own questions follow, one column
each. Text that a spreadsheet would run as a formula stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from consult.events.countries import group_label
from consult.events.models import FieldKind, FormField, Registration
from consult.i18n import country_name

#: What a spreadsheet would take for the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column: its heading and how to read a registration's value."""

    heading: str
    value: Callable[[Registration], Any]


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _utc(moment: datetime | None) -> datetime | None:
    """A moment as the naive UTC time a spreadsheet cell holds."""
    return moment.replace(tzinfo=None) if moment else None


def standard_columns() -> list[Column]:
    """The columns every event's export has, headed in the exporter's language."""
    return [
        Column(_("Arrival"), lambda r: r.arrival),
        Column(_("Status"), lambda r: str(r.status.label)),
        Column(_("Full name"), lambda r: r.name),
        Column(_("E-mail"), lambda r: r.email),
        Column(_("Organisation"), lambda r: r.organisation),
        Column(_("Position"), lambda r: r.position),
        Column(_("Constituency"), lambda r: r.constituency.name if r.constituency else ""),
        Column(_("Country"), lambda r: country_name(r.country)),
        Column(_("Country group"), lambda r: group_label(r.country_group)),
        Column(_("Accessibility needs"), lambda r: r.accessibility_needs),
        Column(_("On the participant list"), lambda r: _yes_no(r.consent_listed)),
        Column(_("Registered (UTC)"), lambda r: _utc(r.created_at)),
    ]


def answer_text(field: FormField, value: Any) -> str | None:
    """An answer as a cell shows it: names for countries, yes/no, choices joined by "; "."""
    if value is None or value == "" or value == []:
        return None
    if field.kind is FieldKind.YESNO:
        return _yes_no(bool(value))
    if field.kind is FieldKind.COUNTRY:
        return country_name(str(value))
    if isinstance(value, list):
        return "; ".join(str(each) for each in value)
    return str(value)


def answer_columns(fields: Sequence[FormField]) -> list[Column]:
    """One column per question of the event's form (section headings have none)."""
    columns = []
    for field in fields:
        if field.kind is FieldKind.SECTION:
            continue

        def read(registration: Registration, field: FormField = field) -> str | None:
            for answer in registration.answers:
                if answer.field_id == field.id:
                    return answer_text(field, answer.value)
            return None

        columns.append(Column(field.label, read))
    return columns


def table(
    registrations: Iterable[Registration], fields: Sequence[FormField] = ()
) -> tuple[list[str], list[list[Any]]]:
    """Headings and rows, in the order given."""
    columns = standard_columns() + answer_columns(fields)
    rows = [[column.value(r) for column in columns] for r in registrations]
    return [column.heading for column in columns], rows


def _csv_cell(value: Any) -> str:
    """Text for a CSV cell: a formula-like start is quoted, moments written ISO-fashion."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(registrations: Iterable[Registration], fields: Sequence[FormField] = ()) -> bytes:
    """The registrations as UTF-8 CSV with a byte-order mark, one row each."""
    headings, rows = table(registrations, fields)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(
    registrations: Iterable[Registration], fields: Sequence[FormField] = (), title: str = ""
) -> bytes:
    """The registrations as an Excel workbook: bold headings, frozen, filterable, dates as dates."""
    headings, rows = table(registrations, fields)
    book = Workbook()
    sheet = book.active
    sheet.title = (title or _("Registrations"))[:31]
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    for index, heading in enumerate(headings, start=1):
        longest = max([len(heading)] + [len(_csv_cell(row[index - 1])) for row in rows[:200]])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, longest + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
