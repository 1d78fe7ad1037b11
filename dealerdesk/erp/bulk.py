"""Row resources written set-based: prices and stock, batches of up to a million rows keyed by
references (product x price type, product x warehouse) rather than by ids of their own.

A plainly valid JSON batch is read into columns, without a model per row (`RowShape.read_json`);
any other body goes to the batch model, which accepts every batch the shortcut accepts and words
the errors of the others. The rows are then staged in a temporary table (`stage`: COPY on
PostgreSQL, `executemany` on SQLite) so that product ids are resolved with one join and the rows
are written with a few set-based statements, in the batch's transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from operator import itemgetter
from typing import Any, overload

from django.db import connection
from django.db.models import Model
from pydantic import BaseModel
from pydantic_core import from_json

from dealerdesk.erp.registry import ItemErrors

_COPY_CHUNK = 50_000  # rows per piece of COPY data
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Amounts joined by newlines that none may contain: a few scans of one string instead of a match
# per amount (no empty amount, no point without digits on both sides).
_NOT_PLAIN_NUMBER_TEXTS = ("\n\n", "\n.", ".\n")


@dataclass(frozen=True)
class RowShape:
    """What the plainly valid items of a row resource look like: objects with exactly the
    model's fields, ERP ids as strings without surrounding blanks, one non-negative decimal."""

    model: type[BaseModel]
    ids: tuple[str, ...]  # ERP ids with many distinct values (products)
    repeated_ids: tuple[str, ...]  # ERP ids with a few distinct values (price types, warehouses)
    number: str
    whole_digits: int  # the number's max_digits minus its decimal places
    decimal_places: int

    def __post_init__(self) -> None:
        # The scan for too many whole digits would also catch a long run of decimals.
        if self.decimal_places > self.whole_digits:
            raise ValueError("a row shape's number needs more whole digits than decimals")

    @cached_property
    def fields(self) -> tuple[str, ...]:
        return (*self.ids, *self.repeated_ids, self.number)

    @cached_property
    def _plain_number(self) -> re.Pattern[str]:
        whole, places = self.whole_digits, self.decimal_places
        return re.compile(rf"(?:0|[1-9][0-9]{{0,{whole - 1}}})(?:\.[0-9]{{1,{places}}})?")

    @cached_property
    def _not_plain_number_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(
            re.compile(pattern)
            for pattern in (
                r"[^0-9.\n]",
                r"\n0[0-9]",
                r"\.[0-9]*\.",
                rf"\.[0-9]{{{self.decimal_places + 1}}}",  # too many decimals
            )
        )

    @cached_property
    def _too_many_whole_digits(self) -> re.Pattern[str]:
        # Decimals never run that long (checked in __post_init__).
        return re.compile(rf"[0-9]{{{self.whole_digits + 1}}}")

    def _plain_numbers(self, values: list[Any]) -> bool:
        kinds = set(map(type, values))
        if kinds == {str}:
            joined = "\n" + "\n".join(values) + "\n"
            if any(text in joined for text in _NOT_PLAIN_NUMBER_TEXTS) or any(
                pattern.search(joined) for pattern in self._not_plain_number_patterns
            ):
                return False
            # Only a text longer than the whole digits allowed can have too many of them: the
            # scan for a run of digits is the slowest, and usually needless.
            longest = max(map(len, values))
            return longest <= self.whole_digits or not self._too_many_whole_digits.search(joined)
        if not kinds <= {str, int}:  # a JSON float, a boolean or anything else: the model decides
            return False
        limit = 10**self.whole_digits
        return all(
            self._plain_number.fullmatch(value) if type(value) is str else 0 <= value < limit
            for value in values
        )

    def read_json(
        self, body: bytes, batch_model: type[BaseModel], max_items: int
    ) -> BaseModel | None:
        """The batch when every row is plainly valid, read as columns; None leaves the body to
        the batch model. Validating a million rows with the model took longer than writing
        them. The body is parsed by pydantic's own JSON parser, so a body is malformed here
        exactly when it is there."""
        if b"\\u0000" in body:  # the model's batch reports it where it is
            return None
        try:
            data = from_json(body, cache_strings="keys")
        except ValueError:
            return None
        flags = {
            name for name, field in batch_model.model_fields.items() if field.annotation is bool
        }
        if type(data) is not dict or not data.keys() <= {"items", *flags}:
            return None
        items = data.get("items")
        if type(items) is not list or not 0 < len(items) <= max_items:
            return None
        options = {name: value for name, value in data.items() if name != "items"}
        if any(type(value) is not bool for value in options.values()):
            return None
        try:
            columns = {name: list(map(itemgetter(name), items)) for name in self.fields}
        except (KeyError, TypeError):  # a missing field, or an item that is not an object
            return None
        # Every item is an object with all the fields: any other field makes it longer.
        if set(map(len, items)) != {len(self.fields)}:
            return None
        if not (
            all(_plain_ids(columns[name]) for name in self.ids)
            and all(_plain_ids(columns[name], repeated=True) for name in self.repeated_ids)
            and self._plain_numbers(columns[self.number])
        ):
            return None
        return batch_model.model_construct(items=ColumnRows(self, columns), **options)


def _plain_ids(values: list[Any], *, repeated: bool = False) -> bool:
    """Whether every value is a string `ErpId` takes as it is (no whitespace to strip);
    `repeated` ids (the few price types of a batch) are checked once each."""
    if set(map(type, values)) != {str}:
        return False
    if repeated:
        values = list(set(values))
    lengths = set(map(len, values))
    if min(lengths) < 1 or max(lengths) > 80:  # ErpId's bounds
        return False
    ends = set(map(itemgetter(0), values)) | set(map(itemgetter(-1), values))
    return not any(char.isspace() for char in ends)


class ColumnRows(Sequence[Any]):
    """The rows of a batch as columns, row `i` being the `i`-th value of each: a million rows
    cost a few lists of strings instead of a million models."""

    def __init__(self, shape: RowShape, columns: dict[str, list[Any]]) -> None:
        self.shape = shape
        self.columns = columns

    @classmethod
    def of(cls, shape: RowShape, items: Sequence[Any]) -> ColumnRows:
        """The rows of a batch however it was read (the shortcut, the model, XML)."""
        if isinstance(items, ColumnRows):
            return items
        return cls(shape, {name: [getattr(item, name) for item in items] for name in shape.fields})

    def column(self, name: str) -> list[Any]:
        return self.columns[name]

    def distinct(self, name: str) -> frozenset[Any]:
        return frozenset(self.columns[name])

    def repeated(self) -> list[tuple[int, int]]:
        """(index, index of the first occurrence) of every row whose ids were given before;
        set-based in Python, a fraction of a GROUP BY over the staged rows."""
        # A repeated id with one value distinguishes nothing: a batch of one price type is
        # keyed by its products alone, without building a million tuples.
        keys = [self.columns[name] for name in self.shape.ids] + [
            self.columns[name] for name in self.shape.repeated_ids if len(self.distinct(name)) > 1
        ]
        rows: Sequence[Any] = keys[0] if len(keys) == 1 else list(zip(*keys, strict=True))
        if len(set(rows)) == len(rows):
            return []
        first: dict[Any, int] = {}
        repeated = []
        for index, key in enumerate(rows):
            seen_at = first.setdefault(key, index)
            if seen_at != index:
                repeated.append((index, seen_at))
        return repeated

    def __len__(self) -> int:
        return len(self.columns[self.shape.number])

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[position] for position in range(len(self))[index]]
        values = {name: self.columns[name][index] for name in self.shape.fields}
        values[self.shape.number] = Decimal(values[self.shape.number])
        return self.shape.model.model_construct(**values)


# --- Staging ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Staged:
    """One column of a staging table: its name, SQL type and values (None is NULL).
    `plain` values are numbers (ints, Decimals or texts of digits), never None: nothing in
    them needs escaping, so they are sent as they are."""

    name: str
    sql_type: str
    values: Sequence[Any]
    plain: bool = False


def quoted_table(model: type[Model]) -> str:
    """A model's table name ready to be put into a statement."""
    return connection.ops.quote_name(model._meta.db_table)


def execute(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description is not None else []


def _copy_text(value: Any) -> str:
    return "\\N" if value is None else str(value).translate(_COPY_ESCAPES)


def _copy_texts(values: Sequence[Any]) -> list[str]:
    """Values as COPY's text format needs them: NULL as \\N, its delimiters escaped (rarely
    any: one scan of the joined column decides)."""
    if not set(map(type, values)) <= {str, int, Decimal}:  # a NULL among them
        return list(map(_copy_text, values))
    texts = list(map(str, values))
    joined = "".join(texts)
    if any(special in joined for special in "\\\t\n\r"):
        return [text.translate(_COPY_ESCAPES) for text in texts]
    return texts


def stage(table: str, columns: Sequence[Staged]) -> None:
    """The rows into a new temporary table `table`, with their index in the batch (`idx`) for
    error paths. Only constant names and types are put into the statements."""
    execute(f"DROP TABLE IF EXISTS {table}")
    definitions = ", ".join(f"{column.name} {column.sql_type}" for column in columns)
    execute(f"CREATE TEMPORARY TABLE {table} (idx integer NOT NULL, {definitions})")
    count = len(columns[0].values)
    connection.ensure_connection()
    raw = connection.connection
    names = ", ".join(["idx", *(column.name for column in columns)])
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            # Piece by piece: the server reads one piece while the next one is being written.
            for start in range(0, count, _COPY_CHUNK):
                end = min(start + _COPY_CHUNK, count)
                texts = [list(map(str, range(start, end)))]
                for column in columns:
                    part = column.values[start:end]
                    texts.append(list(map(str, part)) if column.plain else _copy_texts(part))
                lines = zip(*texts, strict=True)
                copy.write("\n".join(map("\t".join, lines)) + "\n")
        return
    values: list[Iterable[Any]] = [range(count)]
    for column in columns:
        # Decimals as the sqlite3 adapter Django registers writes them.
        values.append(
            str(value) if isinstance(value, Decimal) else value for value in column.values
        )
    cursor = raw.cursor()
    try:
        placeholders = ", ".join("?" * (len(columns) + 1))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({placeholders})",  # noqa: S608 - constants
            zip(*values, strict=True),
        )
    finally:
        cursor.close()


def unknown_rows(table: str, column: str, target_table: str) -> list[int]:
    """Indexes of the staged rows whose `column` names no row of `target_table` by ERP id
    (at most as many as a batch reports)."""
    rows = execute(
        f"SELECT s.idx FROM {table} s WHERE NOT EXISTS ("  # noqa: S608 - names from metadata
        f"SELECT 1 FROM {target_table} t WHERE t.erp_id = s.{column}) ORDER BY s.idx LIMIT %s",
        [ItemErrors.LIMIT],
    )
    return [index for (index,) in rows]
