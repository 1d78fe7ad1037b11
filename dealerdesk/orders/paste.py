"""Reading a list of codes and quantities the way dealers paste it.

Lines come from Excel (tab-separated cells), from CSV (`;` or `,`), or typed as
`code quantity`; with or without a header row; the quantity may be missing (1), use a
decimal comma, or carry thousands separators. Every non-blank line of the input becomes one
`PastedLine`: either with a code and a quantity, or with the reason it could not be read.
Nothing is dropped, so the preview can show every line back to the dealer.

This module only reads text and spreadsheets; matching codes to products is
`orders.selectors.paste_preview`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import zip_longest
from typing import IO, Any

from django.utils.translation import gettext as _

MAX_LINES = 10_000
MAX_CODE_LENGTH = 64
MAX_QUANTITY = Decimal("99999999")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# An .xlsx is a zip: refuse archives that unpack to much more than they weigh (zip bombs).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000

_HEADER_CODE_WORDS = ("код", "артикул", "code", "sku", "article", "part", "номенклатура")
_HEADER_QUANTITY_WORDS = ("кол", "qty", "quantity", "количество", "шт", "amount", "count")
_NUMBER = re.compile(r"^[+-]?(\d{1,3}([ \u00a0\u202f']\d{3})+|\d+)([.,]\d+)?$")
_SPACES = re.compile(r"[ \u00a0\u202f]+")


class PasteError(ValueError):
    """The input as a whole cannot be read (too long, not a spreadsheet...)."""


@dataclass(frozen=True)
class PastedLine:
    line_number: int  # 1-based, as the dealer sees it in the box or the sheet's row number
    text: str  # the line as it was pasted, for showing it back
    code: str = ""
    quantity: Decimal | None = None
    problem: str = ""  # why the line could not be read; empty when it could

    @property
    def is_readable(self) -> bool:
        return not self.problem


def parse_quantity(raw: str) -> Decimal | None:
    """`12`, `2,5`, `1 000`, `1'000.5` -> Decimal; None when it is not a number."""
    text = raw.strip()
    if not text or not _NUMBER.match(text):
        return None
    text = _SPACES.sub("", text).replace("'", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _split_cells(line: str) -> list[str]:
    if "\t" in line:
        return [cell.strip() for cell in line.split("\t")]
    if ";" in line:
        return [cell.strip() for cell in line.split(";")]
    tokens = line.split()
    if len(tokens) >= 2 and parse_quantity(tokens[-1]) is not None:
        return [" ".join(tokens[:-1]), tokens[-1]]
    if "," in line:
        cells = [cell.strip() for cell in line.split(",")]
        # "code,12" or "code,2,5" (a decimal comma inside an unquoted CSV quantity)
        if len(cells) == 3 and cells[1].isdigit() and cells[2].isdigit():
            return [cells[0], f"{cells[1]},{cells[2]}"]
        return cells
    return [line.strip()]


def _looks_like_header(cells: Sequence[str]) -> bool:
    folded = [cell.casefold() for cell in cells]
    has_code_word = any(word in cell for cell in folded for word in _HEADER_CODE_WORDS)
    has_quantity_word = any(word in cell for cell in folded for word in _HEADER_QUANTITY_WORDS)
    no_numbers = all(parse_quantity(cell) is None for cell in cells if cell)
    return no_numbers and (has_code_word or has_quantity_word)


@dataclass(frozen=True)
class Columns:
    """Where the code and the quantity are, 0-based; None quantity: every line orders 1."""

    code: int = 0
    quantity: int | None = None


def _columns_from_header(cells: Sequence[str]) -> Columns:
    folded = [cell.casefold() for cell in cells]
    code = next(
        (i for i, cell in enumerate(folded) if any(w in cell for w in _HEADER_CODE_WORDS)), 0
    )
    quantity = next(
        (
            i
            for i, cell in enumerate(folded)
            if i != code and any(w in cell for w in _HEADER_QUANTITY_WORDS)
        ),
        None,
    )
    return Columns(code=code, quantity=quantity)


def read_cells(
    line_number: int, text: str, cells: Sequence[str], columns: Columns | None
) -> PastedLine:
    """One row of cells to a line: by the given columns, or by its shape when none are known.

    Without known columns the code is the first non-empty cell and the quantity the first
    number after it (Excel copies often carry a name or a price column between them).
    """
    non_empty = [(index, cell) for index, cell in enumerate(cells) if cell]
    if not non_empty:
        return PastedLine(line_number, text, problem=_("The line is empty."))
    if columns is not None:
        code = cells[columns.code].strip() if columns.code < len(cells) else ""
        raw_quantity = ""
        if columns.quantity is not None and columns.quantity < len(cells):
            raw_quantity = cells[columns.quantity].strip()
    else:
        code_index, code = non_empty[0]
        raw_quantity = next(
            (cell for index, cell in non_empty if index > code_index and parse_quantity(cell)),
            "",
        )
        if not raw_quantity and len(non_empty) > 1:
            raw_quantity = non_empty[1][1]
    return _line(line_number, text, code, raw_quantity)


def _line(line_number: int, text: str, code: str, raw_quantity: str) -> PastedLine:
    code = code.strip().strip('"').strip()
    if _is_formula(code) or _is_formula(raw_quantity):
        return PastedLine(
            line_number,
            text,
            problem=_(
                "The cell holds a formula without a saved value; open the file in Excel, "
                "save it and upload it again."
            ),
        )
    if not code:
        return PastedLine(line_number, text, problem=_("There is no code in the line."))
    if len(code) > MAX_CODE_LENGTH:
        return PastedLine(
            line_number,
            text,
            code=code[:MAX_CODE_LENGTH],
            problem=_("The code is longer than %(limit)s characters.") % {"limit": MAX_CODE_LENGTH},
        )
    if not raw_quantity:
        return PastedLine(line_number, text, code=code, quantity=Decimal(1))
    quantity = parse_quantity(raw_quantity.strip('"'))
    if quantity is None:
        return PastedLine(
            line_number,
            text,
            code=code,
            problem=_("“%(value)s” is not a quantity.") % {"value": raw_quantity[:40]},
        )
    if quantity <= 0:
        return PastedLine(
            line_number, text, code=code, problem=_("The quantity must be greater than zero.")
        )
    if quantity > MAX_QUANTITY:
        return PastedLine(line_number, text, code=code, problem=_("The quantity is too large."))
    return PastedLine(line_number, text, code=code, quantity=quantity)


def parse_pasted_text(text: str) -> list[PastedLine]:
    """Every non-blank line of the text, read; raises PasteError for input over the limit."""
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and line.strip().strip("\t;,")
    ]
    if len(lines) > MAX_LINES:
        raise PasteError(
            _("At most %(limit)s lines can be added at once; the list has %(count)s.")
            % {"limit": f"{MAX_LINES:,}".replace(",", " "), "count": len(lines)}
        )
    result: list[PastedLine] = []
    columns: Columns | None = None
    for position, (number, line) in enumerate(lines):
        cells = _split_cells(line.replace("\x00", ""))
        if position == 0 and _looks_like_header(cells):
            columns = _columns_from_header(cells)
            continue
        result.append(read_cells(number, line.strip(), cells, columns))
    return result


# --- Spreadsheets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """The first sheet of a workbook as text cells, with the columns detected in it."""

    rows: list[tuple[int, list[str]]]  # (row number in the sheet, cells)
    header: list[str] | None
    columns: Columns | None

    def lines(self, columns: Columns | None = None) -> list[PastedLine]:
        chosen = columns or self.columns
        return [
            read_cells(number, "\t".join(cells).strip(), cells, chosen)
            for number, cells in self.rows
        ]


def _is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, (int, Decimal)):
        return format(Decimal(value).normalize(), "f")
    return str(value).strip()


def _check_archive(upload: IO[bytes]) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise PasteError(_("The file is not a usable .xlsx workbook (too many parts)."))
            if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                raise PasteError(_("The workbook unpacks to more than 100 MB; it is refused."))
            if "xl/workbook.xml" not in {entry.filename for entry in entries}:
                raise PasteError(_("The file is not an .xlsx workbook."))
    except zipfile.BadZipFile as error:
        raise PasteError(
            _("The file is not an .xlsx workbook (old .xls files: save as .xlsx first).")
        ) from error
    finally:
        upload.seek(0)


def read_workbook(upload: IO[bytes], *, size: int) -> Sheet:
    """The first sheet of an .xlsx upload; raises PasteError with a reason the dealer can act on."""
    if size > MAX_UPLOAD_BYTES:
        raise PasteError(
            _("The file is %(size)s MB; at most %(limit)s MB can be uploaded.")
            % {"size": round(size / 1024 / 1024, 1), "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
        )
    _check_archive(upload)
    from openpyxl import load_workbook  # imported on use: a heavy import for a rare action

    try:
        values_book = load_workbook(upload, read_only=True, data_only=True)
        upload.seek(0)
        # Formulas are read too: a formula saved without its computed value (files written by
        # programs rather than by Excel) must be reported, not read as an empty cell.
        formulas_book = load_workbook(upload, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise PasteError(_("The workbook cannot be read: it is damaged or not .xlsx.")) from error
    try:
        rows: list[tuple[int, list[str]]] = []
        value_rows = values_book.worksheets[0].iter_rows(values_only=True)
        formula_rows = formulas_book.worksheets[0].iter_rows(values_only=True)
        for number, (values, formulas) in enumerate(
            zip_longest(value_rows, formula_rows, fillvalue=()), start=1
        ):
            cells = [
                _cell_text(value) if value is not None or not _is_formula(formula) else str(formula)
                for value, formula in zip_longest(values, formulas)
            ]
            if any(cells):
                rows.append((number, cells))
                if len(rows) > MAX_LINES + 1:
                    raise PasteError(
                        _("At most %(limit)s lines can be added at once.")
                        % {"limit": f"{MAX_LINES:,}".replace(",", " ")}
                    )
    finally:
        values_book.close()
        formulas_book.close()
    header = None
    columns = None
    if rows and _looks_like_header(rows[0][1]):
        header = rows[0][1]
        columns = _columns_from_header(header)
        rows = rows[1:]
    return Sheet(rows=rows, header=header, columns=columns)


def lines_as_text(lines: Iterable[PastedLine]) -> str:
    """Lines put back into the box for correction, as the dealer pasted them."""
    return "\n".join(line.text for line in lines)
