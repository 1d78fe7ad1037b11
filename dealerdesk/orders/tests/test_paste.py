from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from dealerdesk.orders.paste import (
    MAX_LINES,
    Columns,
    PasteError,
    parse_pasted_text,
    parse_quantity,
    read_workbook,
)


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    # The messages are asserted in their source language; the interface default is Russian.
    with translation.override("en"):
        yield


def read(text: str) -> list[tuple[str, Decimal | None, str]]:
    return [(line.code, line.quantity, line.problem) for line in parse_pasted_text(text)]


@pytest.mark.parametrize(
    ("text", "code", "quantity"),
    [
        ("MVA20-1-016-C\t10", "MVA20-1-016-C", Decimal(10)),  # Excel
        ("MVA20-1-016-C;10", "MVA20-1-016-C", Decimal(10)),  # CSV with ;
        ("MVA20-1-016-C,10", "MVA20-1-016-C", Decimal(10)),  # CSV with ,
        ("MVA20-1-016-C 10", "MVA20-1-016-C", Decimal(10)),  # typed
        ("  mva20-1-016-c   10  ", "mva20-1-016-c", Decimal(10)),
        ("MVA20-1-016-C", "MVA20-1-016-C", Decimal(1)),  # no quantity: one
        ("1101001\t2,5", "1101001", Decimal("2.5")),  # decimal comma
        ("1101001;1 000", "1101001", Decimal(1000)),  # thousands separator
        ("1101001\t1\u00a0000,5", "1101001", Decimal("1000.5")),
        ("1101001,2,5", "1101001", Decimal("2.5")),  # unquoted decimal comma in CSV
        ("MVA 20 016 5", "MVA 20 016", Decimal(5)),  # a code with spaces
        ('"EZ9F34316";"3"', "EZ9F34316", Decimal(3)),  # quoted CSV
    ],
)
def test_every_usual_shape_of_a_line_is_read(text: str, code: str, quantity: Decimal) -> None:
    assert read(text) == [(code, quantity, "")]


def test_excel_rows_with_a_name_column_take_the_first_number_after_the_code() -> None:
    assert read("MVA20-1-016-C\tАвтомат ВА47-29 1P 16А\t12\t345,00") == [
        ("MVA20-1-016-C", Decimal(12), "")
    ]


def test_a_header_row_is_recognised_and_names_the_columns() -> None:
    text = "Наименование\tАртикул\tКол-во\nАвтомат\tMVA20-1-016-C\t7\nЩит\tMKM14-N-06-31-Z\t2"
    assert read(text) == [
        ("MVA20-1-016-C", Decimal(7), ""),
        ("MKM14-N-06-31-Z", Decimal(2), ""),
    ]


def test_blank_lines_are_skipped_but_numbers_stay_those_of_the_box() -> None:
    lines = parse_pasted_text("A-1 1\n\n   \nB-2 2\n")
    assert [(line.line_number, line.code) for line in lines] == [(1, "A-1"), (4, "B-2")]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("A-1\tдесять", "“десять” is not a quantity."),
        ("A-1\t0", "The quantity must be greater than zero."),
        ("A-1\t-3", "The quantity must be greater than zero."),
        ("A-1\t1e6", "“1e6” is not a quantity."),
        ("A-1\t999999999999", "The quantity is too large."),
        ("Артикул\tКол-во\n\t5", "There is no code in the line."),
        ("=A1\t5", "The cell holds a formula without a saved value"),
        ("X" * 70 + "\t1", "The code is longer than 64 characters."),
    ],
)
def test_unreadable_lines_keep_their_text_and_say_why(text: str, problem: str) -> None:
    (line,) = parse_pasted_text(text)
    assert line.problem.startswith(problem)
    assert line.text == text.splitlines()[-1].strip()
    assert not line.is_readable


def test_more_than_the_limit_is_refused_as_a_whole() -> None:
    text = "\n".join(f"A-{number} 1" for number in range(MAX_LINES + 1))
    with pytest.raises(PasteError, match="10 000"):
        parse_pasted_text(text)
    assert len(parse_pasted_text("\n".join(f"A-{n} 1" for n in range(MAX_LINES)))) == MAX_LINES


@pytest.mark.parametrize(
    ("raw", "value"),
    [("12", Decimal(12)), ("2,5", Decimal("2.5")), ("1 000", Decimal(1000)), ("x", None)],
)
def test_quantities(raw: str, value: Decimal | None) -> None:
    assert parse_quantity(raw) == value


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_reads_without_losing_a_line(text: str) -> None:
    lines = parse_pasted_text(text)
    non_blank = [line for line in text.splitlines() if line.strip() and line.strip().strip("\t;,")]
    # Every non-blank line comes back once, except a recognised header row.
    assert len(lines) in (len(non_blank), len(non_blank) - 1)
    for line in lines:
        assert line.is_readable == (line.problem == "")
        if line.is_readable:
            assert line.code
            assert line.quantity is not None
            assert line.quantity > 0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=20),
            st.integers(min_value=1, max_value=100_000),
        ),
        min_size=1,
        max_size=50,
    ),
    st.sampled_from(["\t", ";", " "]),
)
def test_written_lists_read_back_the_same(rows: list[tuple[str, int]], separator: str) -> None:
    text = "\n".join(f"{code}{separator}{quantity}" for code, quantity in rows)
    assert read(text) == [(code, Decimal(quantity), "") for code, quantity in rows]


# --- Spreadsheets ---------------------------------------------------------------------------


def workbook(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_a_sheet_with_headers_is_read_by_its_columns() -> None:
    upload = workbook(
        [["Наименование", "Артикул", "Цена", "Количество"], ["Автомат", "MVA-1", 350.5, 12]]
    )
    sheet = read_workbook(upload, size=len(upload.getvalue()))
    assert sheet.columns == Columns(code=1, quantity=3)
    assert [(line.code, line.quantity) for line in sheet.lines()] == [("MVA-1", Decimal(12))]


def test_the_dealer_may_choose_the_columns() -> None:
    upload = workbook([["MVA-1", 5, 7], ["MVA-2", 6, 8]])
    sheet = read_workbook(upload, size=len(upload.getvalue()))
    chosen = sheet.lines(Columns(code=0, quantity=2))
    assert [(line.code, line.quantity) for line in chosen] == [
        ("MVA-1", Decimal(7)),
        ("MVA-2", Decimal(8)),
    ]
    assert [line.line_number for line in chosen] == [1, 2]


def test_a_formula_without_a_saved_value_is_reported() -> None:
    upload = workbook([["Артикул", "Кол-во"], ["MVA-1", "=2*3"]])
    (line,) = read_workbook(upload, size=len(upload.getvalue())).lines()
    assert line.problem.startswith("The cell holds a formula")


def test_a_file_that_is_not_xlsx_is_refused_with_a_reason() -> None:
    with pytest.raises(PasteError, match=r"not an \.xlsx"):
        read_workbook(io.BytesIO(b"%PDF-1.4 not a workbook"), size=22)


def test_a_too_large_file_is_refused_before_it_is_read() -> None:
    with pytest.raises(PasteError, match="at most 10 MB"):
        read_workbook(io.BytesIO(b""), size=50 * 1024 * 1024)


def test_a_zip_that_unpacks_to_too_much_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from dealerdesk.orders import paste

    monkeypatch.setattr(paste, "MAX_UNPACKED_BYTES", 1000)
    upload = workbook([["MVA-1", 1]])
    with pytest.raises(PasteError, match="unpacks"):
        read_workbook(upload, size=len(upload.getvalue()))
