"""Substring search over product codes and names, as fast on 1,000,000 products as on 1,000.

One module hides the database: SQLite answers with an FTS5 `trigram` index, PostgreSQL with a
`pg_trgm` GIN index. Both index `Product.search_text` (folded "code name", `ё` as `е`,
punctuation dropped), so
matching is case-insensitive for Cyrillic and Latin on either database.

Ranking never asks the database to sort an infix match (the planner would walk the whole
table in code order, see docs/architecture.md "Search"). Instead it asks two cheap questions
and merges the answers in Python:

1. code prefix, exact code first (an ordered btree range on `code_key`),
2. every word of the query anywhere in code or name (trigram index, unordered, bounded),

then ranks at most a few hundred candidates: exact code, code prefix, code contains the query,
name contains the whole phrase, the rest. Queries of one or two characters only match code
prefixes: a trigram index cannot serve them. When the query finds (almost) nothing, the same
query typed in the other keyboard layout (`dfkm` -> `валь`) is tried too.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from dealerdesk.core.text import normalize_code, normalize_search_text, switch_keyboard_layout

MIN_INFIX_LENGTH = 3  # a trigram index needs at least one whole trigram
CANDIDATE_LIMIT = 200  # infix candidates ranked in Python per query
# Text typed in the wrong keyboard layout rarely matches anything; when a query finds fewer
# products than this, it is tried in the other layout as well.
LAYOUT_RETRY_BELOW = 3
# PostgreSQL: the trigram index is split into this many partial indexes (see containing_all).
PG_BUCKETS = 16
MAX_QUERY_LENGTH = 100
FTS_TABLE = "catalog_product_fts"
PG_TRIGRAM_INDEX = "catalog_product_search_trgm"  # followed by _<bucket>


class MatchTier(enum.IntEnum):
    EXACT_CODE = 0
    CODE_PREFIX = 1
    CODE_CONTAINS = 2
    PHRASE = 3
    ALL_WORDS = 4


@dataclass(frozen=True)
class Candidate:
    product_id: int
    code_key: str
    search_text: str


@dataclass(frozen=True)
class SearchHit:
    product_id: int
    tier: MatchTier
    switched_layout: bool
    code_key: str

    @property
    def sort_key(self) -> tuple[bool, int, int, str]:
        return (self.switched_layout, self.tier, len(self.code_key), self.code_key)


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # folded, single-spaced
    code_key: str  # folded, without spaces
    words: tuple[str, ...]

    @classmethod
    def parse(cls, raw: str) -> ParsedQuery:
        raw = raw[:MAX_QUERY_LENGTH]
        text = normalize_search_text(raw)
        return cls(text=text, code_key=normalize_code(raw), words=tuple(text.split()))

    @property
    def allows_infix(self) -> bool:
        return any(len(word) >= MIN_INFIX_LENGTH for word in self.words)


class SearchBackend(Protocol):
    def code_prefix(self, code_key: str, limit: int) -> list[Candidate]: ...

    def containing_all(self, words: Sequence[str], limit: int) -> list[Candidate]: ...


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class _SqlBackend:
    select = "SELECT p.id, p.code_key, p.search_text FROM catalog_product p"

    def __init__(self, db: BaseDatabaseWrapper) -> None:
        self.db = db

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[Candidate]:
        with self.db.cursor() as cursor:
            cursor.execute(sql, params)
            return [Candidate(row[0], row[1], row[2]) for row in cursor.fetchall()]


class SqliteSearchBackend(_SqlBackend):
    def code_prefix(self, code_key: str, limit: int) -> list[Candidate]:
        # A range over the btree: BINARY collation orders UTF-8 bytes, so every key with this
        # prefix lies between the prefix and the prefix followed by the highest code point.
        return self._fetch(
            f"{self.select} WHERE p.code_key >= %s AND p.code_key < %s AND p.is_active "
            "ORDER BY p.code_key LIMIT %s",
            [code_key, code_key + "\U0010ffff", limit],
        )

    def containing_all(self, words: Sequence[str], limit: int) -> list[Candidate]:
        indexed = [word for word in words if len(word) >= MIN_INFIX_LENGTH]
        short = [word for word in words if len(word) < MIN_INFIX_LENGTH]
        match = " AND ".join('"' + word.replace('"', '""') + '"' for word in indexed)
        short_filters = "".join(" AND instr(p.search_text, %s) > 0" for _ in short)
        return self._fetch(
            f"{self.select} JOIN {FTS_TABLE} f ON f.rowid = p.id "
            f"WHERE {FTS_TABLE} MATCH %s AND p.is_active{short_filters} LIMIT %s",
            [match, *short, limit],
        )


class PostgresSearchBackend(_SqlBackend):
    def code_prefix(self, code_key: str, limit: int) -> list[Candidate]:
        # Served by the varchar_pattern_ops index Django adds for an indexed CharField; ordering
        # by that index's own operator lets a broad prefix stop after `limit` rows.
        return self._fetch(
            f"{self.select} WHERE p.code_key LIKE %s AND p.is_active "
            "ORDER BY p.code_key USING ~<~ LIMIT %s",
            [_escape_like(code_key) + "%", limit],
        )

    def containing_all(self, words: Sequence[str], limit: int) -> list[Candidate]:
        # The trigram index is split into PG_BUCKETS partial indexes by `id % PG_BUCKETS`, and
        # the buckets are asked one after another until `limit` rows are found. A GIN index
        # scan must read the whole posting list of every trigram before it returns a row; for
        # a word in a third of a million names that alone takes 40 ms. A bucket holds a
        # sixteenth of the catalog, and a common word fills the limit from the first one.
        conditions = " AND ".join("p.search_text LIKE %s" for _ in words)
        patterns = [f"%{_escape_like(word)}%" for word in words]
        branches = " UNION ALL ".join(
            f"({self.select} WHERE {conditions} AND (p.id %% {PG_BUCKETS}) = {bucket} "
            "AND p.is_active)"
            for bucket in range(PG_BUCKETS)
        )
        params: list[object] = [*(patterns * PG_BUCKETS), limit]
        return self._fetch(f"{branches} LIMIT %s", params)


def backend_for(db: BaseDatabaseWrapper | None = None) -> SearchBackend:
    db = db or connection
    if db.vendor == "postgresql":
        return PostgresSearchBackend(db)
    if db.vendor == "sqlite":
        return SqliteSearchBackend(db)
    raise NotImplementedError(f"no catalog search for {db.vendor}")


def _rank(candidate: Candidate, query: ParsedQuery, *, switched: bool) -> SearchHit:
    if candidate.code_key == query.code_key:
        tier = MatchTier.EXACT_CODE
    elif candidate.code_key.startswith(query.code_key):
        tier = MatchTier.CODE_PREFIX
    elif query.code_key in candidate.code_key:
        tier = MatchTier.CODE_CONTAINS
    elif query.text in candidate.search_text:
        tier = MatchTier.PHRASE
    else:
        tier = MatchTier.ALL_WORDS
    return SearchHit(candidate.product_id, tier, switched, candidate.code_key)


def _hits_for(
    backend: SearchBackend, query: ParsedQuery, limit: int, *, switched: bool
) -> list[SearchHit]:
    # Ordered by code, the prefix answer starts with the exact code (and its duplicates).
    candidates = backend.code_prefix(query.code_key, limit)
    if query.allows_infix:
        candidates += backend.containing_all(query.words, max(CANDIDATE_LIMIT, limit))
    return [_rank(candidate, query, switched=switched) for candidate in candidates]


def search_product_ids(raw_query: str, *, limit: int = 20) -> list[int]:
    """Ids of active products matching the query, best first, at most `limit`."""
    query = ParsedQuery.parse(raw_query)
    if not query.code_key:
        return []
    backend = backend_for()
    hits = _hits_for(backend, query, limit, switched=False)
    if len({hit.product_id for hit in hits}) < LAYOUT_RETRY_BELOW:
        # Switched from the raw text: `,` `.` `;` `[` are letters (б ю ж х) on the other layout.
        switched_text = switch_keyboard_layout(raw_query[:MAX_QUERY_LENGTH])
        if switched_text:
            hits += _hits_for(backend, ParsedQuery.parse(switched_text), limit, switched=True)
    best: dict[int, SearchHit] = {}
    for hit in sorted(hits, key=lambda hit: hit.sort_key):
        best.setdefault(hit.product_id, hit)
    return list(best)[:limit]


# --- Index maintenance ----------------------------------------------------------------------

_SQLITE_TRIGGERS = {
    "catalog_product_fts_insert": (
        "AFTER INSERT ON catalog_product BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    "catalog_product_fts_delete": (
        "AFTER DELETE ON catalog_product BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    ),
    "catalog_product_fts_update": (
        "AFTER UPDATE OF search_text ON catalog_product BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}


def ensure_search_index(db: BaseDatabaseWrapper | None = None) -> bool:
    """Create the search index if it is missing; returns True when it had to be (re)built.

    Runs after every `migrate`: SQLite migrations that rebuild `catalog_product` drop its
    triggers, and the index must then be rebuilt from the table.
    """
    db = db or connection
    with db.cursor() as cursor:
        if db.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') "
                "AND name LIKE 'catalog_product_fts%%'"
            )
            present = {row[0] for row in cursor.fetchall()}
            missing_triggers = [name for name in _SQLITE_TRIGGERS if name not in present]
            if FTS_TABLE in present and not missing_triggers:
                return False
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text, "
                "content='catalog_product', content_rowid='id', tokenize='trigram')"
            )
            for name, body in _SQLITE_TRIGGERS.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
            return True
        if db.vendor == "postgresql":
            names = [f"{PG_TRIGRAM_INDEX}_{bucket}" for bucket in range(PG_BUCKETS)]
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'catalog_product' "
                "AND indexname LIKE %s",
                [f"{PG_TRIGRAM_INDEX}%"],
            )
            present = {row[0] for row in cursor.fetchall()}
            if present == set(names):
                return False
            # Inside a transaction that just loaded rows, deferred foreign-key checks are still
            # pending, and PostgreSQL refuses to index a table with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for stale in present - set(names):
                cursor.execute(f'DROP INDEX IF EXISTS "{stale}"')
            for bucket, name in enumerate(names):
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON catalog_product "
                    f"USING gin (search_text gin_trgm_ops) WHERE (id % {PG_BUCKETS}) = {bucket}"
                )
            return True
    return False


def drop_search_index(db: BaseDatabaseWrapper | None = None) -> None:
    """Drop the index before a bulk load; `ensure_search_index` builds it again afterwards."""
    db = db or connection
    with db.cursor() as cursor:
        if db.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif db.vendor == "postgresql":
            for bucket in range(PG_BUCKETS):
                cursor.execute(f"DROP INDEX IF EXISTS {PG_TRIGRAM_INDEX}_{bucket}")
            cursor.execute(f"DROP INDEX IF EXISTS {PG_TRIGRAM_INDEX}")
