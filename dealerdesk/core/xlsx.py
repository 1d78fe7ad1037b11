"""Spreadsheets for download: openpyxl in write-only mode, safe to open in Excel."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Value = str | int | Decimal | datetime.date | datetime.datetime | None
# A text cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text from users or the ERP, defused so a spreadsheet never evaluates it (CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _cell_value(value: Value) -> Value:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the local wall-clock time, as shown on screen.
        return timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value
    return value


@dataclass(frozen=True)
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Value]]
    widths: Sequence[int] = ()


def xlsx_response(
    *,
    file_name: str,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Value]],
    widths: Sequence[int] = (),
) -> HttpResponse:
    return xlsx_workbook_response(
        file_name=file_name, sheets=[Sheet(title=title, header=header, rows=rows, widths=widths)]
    )


def xlsx_workbook_response(*, file_name: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """A workbook of one or more sheets, each with a bold header row, as a download."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[_column_letter(index)].width = width
        header_cells = []
        for text in spec.header:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in spec.rows:
            sheet.append([_cell_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
