"""One database's benchmark run (started by `python -m bench`, which picks the database).

Search as you type: 1,000 typical queries of 2-8 characters (code prefixes, code fragments,
fragments of names, some in upper case), each sent through the whole Django stack as the demo
dealer's superuser: session, scope, search, prices and stock of the current legal entity, and
the rendered suggestion list. The same SQL statements are then replayed on a bare DB-API
connection, without Django, to show what the framework adds.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figures:
    p50: float
    p95: float
    maximum: float

    @classmethod
    def of(cls, samples_ms: Sequence[float]) -> Figures:
        ordered = sorted(samples_ms)
        p95_index = max(0, round(0.95 * len(ordered)) - 1)
        return cls(statistics.median(ordered), ordered[p95_index], ordered[-1])


def bench_line(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.2f} {unit}", flush=True)


def prepare_database(products: int) -> None:
    """Migrate, and load the demo data set unless it is already there at this size."""
    from django.core.management import call_command
    from django.db import connection

    from dealerdesk.catalog.models import Product

    call_command("migrate", verbosity=0)
    count = Product.objects.count()
    if count not in (0, products):
        print(
            f"bench: the data set holds {count} products, not {products}; rebuilding",
            file=sys.stderr,
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        if connection.vendor == "sqlite":
            path = connection.settings_dict["NAME"]
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(f"{path}{suffix}"):
                    os.remove(f"{path}{suffix}")
        call_command("migrate", verbosity=0)
        count = 0
    from dealerdesk.demo import load_demo

    started = time.perf_counter()
    result = load_demo(products=products)
    if count == 0:
        bench_line(f"demo_load_{products}_s", time.perf_counter() - started, "s")
    del result


def typical_queries(count: int, seed: int = 7) -> list[str]:
    """Queries as dealers type them, drawn from the catalog itself: 2-8 characters each."""
    from dealerdesk.catalog.models import Product

    rng = random.Random(seed)
    highest = Product.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = [rng.randint(1, highest) for _ in range(count * 2)]
    rows = list(Product.objects.filter(id__in=ids).values_list("code", "name")[: count * 2])
    rng.shuffle(rows)
    queries: list[str] = []
    for code, name in rows:
        kind = rng.random()
        if kind < 0.3:  # the start of a code
            query = code[: rng.randint(2, min(6, len(code)))]
        elif kind < 0.55:  # a fragment from inside a code
            length = rng.randint(3, min(8, max(3, len(code))))
            start = rng.randint(0, max(0, len(code) - length))
            query = code[start : start + length]
        else:  # a fragment of a word of the name
            words = [word for word in name.split() if len(word) >= 3] or [name]
            word = rng.choice(words)
            length = rng.randint(3, min(8, max(3, len(word))))
            query = word[:length]
        if rng.random() < 0.2:
            query = query.upper()
        elif rng.random() < 0.5:
            query = query.lower()
        queries.append(query)
        if len(queries) == count:
            break
    return queries


def bare_connection() -> tuple[Any, Callable[[Any, str], None]]:
    from django.db import connection

    settings = connection.settings_dict
    raw: Any
    if connection.vendor == "sqlite":
        raw = sqlite3.connect(settings["NAME"])
        raw.executescript("PRAGMA journal_mode=WAL; PRAGMA cache_size=-65536;")
    else:
        import psycopg

        raw = psycopg.connect(
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            dbname=settings["NAME"],
            user=settings["USER"] or None,
            password=settings["PASSWORD"] or None,
            autocommit=True,
        )

    def execute(conn: Any, sql: str) -> None:
        cursor = conn.cursor()
        cursor.execute(sql)
        if cursor.description is not None:
            cursor.fetchall()
        cursor.close()

    return raw, execute


def measure_search(suffix: str, queries: list[str]) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dealerdesk.accounts.models import User

    superuser = User.objects.filter(is_dealer_superuser=True, is_active=True).order_by("id").first()
    if superuser is None:
        raise SystemExit("bench: the data set has no dealer superuser")
    client = Client(raise_request_exception=True)
    client.force_login(superuser)
    url = "/catalog/search/"

    # Warm up caches (SQLite page cache, PostgreSQL buffers, Django's template cache).
    for query in queries[:50]:
        client.get(url, {"q": query})

    statements: list[list[str]] = []
    for query in queries:
        reset_queries()  # the query log keeps 9,000 entries; each request needs only its own
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"q": query})
        if response.status_code != 200:
            raise SystemExit(f"bench: search for {query!r} answered {response.status_code}")
        statements.append([entry["sql"] for entry in captured.captured_queries])

    server_ms: list[float] = []
    for query in queries:
        started = time.perf_counter()
        client.get(url, {"q": query})
        server_ms.append((time.perf_counter() - started) * 1000)

    raw, execute = bare_connection()
    bare_ms: list[float] = []
    for request_statements in statements:
        started = time.perf_counter()
        for sql in request_statements:
            execute(raw, sql)
        bare_ms.append((time.perf_counter() - started) * 1000)
    raw.close()

    server = Figures.of(server_ms)
    bare = Figures.of(bare_ms)
    bench_line(f"search_p50_ms_{suffix}", server.p50, "ms")
    bench_line(f"search_p95_ms_{suffix}", server.p95, "ms")
    bench_line(f"search_max_ms_{suffix}", server.maximum, "ms")
    bench_line(f"search_bare_sql_p50_ms_{suffix}", bare.p50, "ms")
    bench_line(f"search_bare_sql_p95_ms_{suffix}", bare.p95, "ms")
    bench_line(f"search_vs_bare_sql_ratio_{suffix}", server.p50 / bare.p50, "x")


def ensure_postgres_database() -> None:
    """Create the benchmark database on the server if it does not exist yet."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    with psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        autocommit=True,
    ) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--suffix", required=True)
    parser.add_argument("--products", type=int, required=True)
    parser.add_argument("--queries", type=int, default=1000)
    arguments = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealerdesk.settings")
    if arguments.suffix == "postgres":
        ensure_postgres_database()
    import django

    django.setup()
    prepare_database(arguments.products)
    measure_search(arguments.suffix, typical_queries(arguments.queries))
    from bench.cml import measure_cml
    from bench.erp_prices import measure_erp_prices
    from bench.erp_stock import measure_erp_stock
    from bench.finance import measure_finance
    from bench.journal import measure_journal
    from bench.ordering import measure_ordering

    measure_ordering(bench_line, arguments.suffix)
    measure_journal(bench_line, arguments.suffix)
    measure_finance(bench_line, arguments.suffix)
    measure_erp_stock(bench_line, arguments.suffix)
    measure_erp_prices(bench_line, arguments.suffix)
    measure_cml(bench_line, arguments.suffix)


if __name__ == "__main__":
    main()
