"""ERP price import figures (issue 6): a full list of 1,000,000 base prices of one price type
pushed as one batch through the whole pipeline (limits, idempotency, JSON validation, journal,
set-based apply), compared with a plain bulk load of the same rows, and what a replay of the
batch writes (nothing, if idempotency works)."""

from __future__ import annotations

import gc
import json
import re
import statistics
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

PRICE_TYPE_ERP_ID = "demo-price-base"  # the demo's base price list (dealerdesk.demo)
CLIENT_NAME = "Бенчмарк: загрузка цен"
COPY_TABLE = "bench_erp_price_copy"
MAX_ITEMS = 1_000_000
MAX_BYTES = 500 * 1024 * 1024
RUNS = 3

Row = tuple[Any, ...]


def _bench_client() -> Any:
    from dealerdesk.erp.models import ErpClient
    from dealerdesk.erp.services import erp_client_create

    client = ErpClient.objects.filter(name=CLIENT_NAME).first()
    return client or erp_client_create(name=CLIENT_NAME).client


def _changed_prices(price_type_id: int) -> list[tuple[str, int, Decimal]]:
    """(product ERP id, product id, new amount) for every product, each amount unlike the
    stored one, so the import really rewrites the whole list."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.erp_id, p.id, b.amount FROM catalog_product p "
            "LEFT JOIN pricing_baseprice b ON b.product_id = p.id AND b.price_type_id = %s "
            "WHERE p.erp_id IS NOT NULL ORDER BY p.id",
            [price_type_id],
        )
        rows = cursor.fetchall()
    step = Decimal("1.00")
    return [
        (erp_id, product_id, (Decimal(str(amount)) if amount is not None else step) + step)
        for erp_id, product_id, amount in rows
    ]


def _batch_body(prices: list[tuple[str, int, Decimal]], price_type: str) -> bytes:
    items = [
        {"product_id": erp_id, "price_type_id": price_type, "amount": str(amount)}
        for erp_id, _, amount in prices
    ]
    return json.dumps({"full_snapshot": True, "items": items}, separators=(",", ":")).encode()


def _stored_rows(price_type_id: int) -> list[Row]:
    """The rows the import wrote, ready for a plain load: product, price type, amount, time."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT product_id, price_type_id, amount FROM pricing_baseprice "
            "WHERE price_type_id = %s ORDER BY product_id",
            [price_type_id],
        )
        return [(*row, now) for row in cursor.fetchall()]


def _create_copy_table() -> None:
    """An empty table shaped like `pricing_baseprice`: its columns, checks and indexes (the
    import pays for maintaining them too), without the foreign keys."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE {COPY_TABLE} (LIKE pricing_baseprice INCLUDING ALL)")
            return
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'pricing_baseprice' "
            "AND sql IS NOT NULL ORDER BY type DESC"  # the table before its indexes
        )
        for (sql,) in cursor.fetchall():
            sql = re.sub(r' REFERENCES "\w+" \("id"\) DEFERRABLE INITIALLY DEFERRED', "", sql)
            sql = sql.replace('"pricing_baseprice', f'"{COPY_TABLE}')
            sql = sql.replace('"base_price_', f'"{COPY_TABLE}_')
            cursor.execute(sql)


def _plain_load_ms(rows: list[Row]) -> float:
    """The same rows bulk-loaded into an empty table, committed: the floor for the import.

    PostgreSQL: `COPY ... FROM STDIN`. SQLite has no COPY; its fastest plain load is
    `executemany` of one INSERT on the raw sqlite3 cursor, which is used instead (the figure
    keeps the same name, so the ratio reads the same on both databases).
    """
    columns = "product_id, price_type_id, amount, updated_at"
    _create_copy_table()
    connection.ensure_connection()
    raw = connection.connection
    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {COPY_TABLE} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            cursor = raw.cursor()
            cursor.executemany(
                f"INSERT INTO {COPY_TABLE} ({columns}) VALUES (?, ?, ?, ?)",
                rows,
            )
            cursor.close()
    elapsed = (time.perf_counter() - started) * 1000
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {COPY_TABLE}")
    return elapsed


def _rows_written_so_far() -> int:
    """Rows inserted, updated and deleted in the whole database so far (by any table)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
            return int(cursor.fetchone()[0])
        # This backend's counts reach the statistics only when flushed: force it (PostgreSQL
        # 15+), or wait past the collector's interval on older servers.
        cursor.execute("SELECT 1 FROM pg_proc WHERE proname = 'pg_stat_force_next_flush'")
        if cursor.fetchone():
            cursor.execute("SELECT pg_stat_force_next_flush()")
        else:
            time.sleep(1.5)
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables"
        )
        return int(cursor.fetchone()[0])


def _import_ms(client: Any, resource: Any, price_type_id: int) -> tuple[float, Callable[[], Any]]:
    """One full replacement of the list, every amount changed, timed; and a function that
    sends the same batch again (a replay)."""
    from dealerdesk.erp.batches import batch_receive

    prices = _changed_prices(price_type_id)
    body = _batch_body(prices, PRICE_TYPE_ERP_ID)
    expected = len(prices)
    # A million prepared tuples alive during the import would slow the garbage collector's
    # passes over the validated items: a server process does not hold them. The plain load
    # reads the same rows back from the table instead.
    del prices
    gc.collect()
    key = f"bench-prices-{uuid.uuid4()}"

    def receive() -> Any:
        return batch_receive(
            client=client,
            resource=resource,
            idempotency_key=key,
            body=body,
            content_type="application/json",
        )

    started = time.perf_counter()
    answer = receive()
    elapsed = (time.perf_counter() - started) * 1000
    written = answer.body.get("created", 0) + answer.body.get("updated", 0)
    if answer.status != 200 or written != expected:
        raise SystemExit(f"bench: the price import answered {answer.status}: {answer.body}")
    return elapsed, receive


def measure_erp_prices(report: Callable[[str, float, str], None], suffix: str) -> None:
    """The import and the plain load are each timed RUNS times, in turns, and their medians
    compared: one run of either varies by a third from one moment to the next on a small
    machine (checkpoints of the previous run's writes), which a single pair would put into
    the ratio."""
    from dealerdesk.erp import resources
    from dealerdesk.erp.models import ErpBatch
    from dealerdesk.erp.registry import RESOURCES
    from dealerdesk.pricing.models import PriceType

    def name(base: str) -> str:
        return base if suffix == "sqlite" else f"{base}_{suffix}"

    resources.load()
    resource = RESOURCES["prices"]
    price_type = PriceType.objects.get(erp_id=PRICE_TYPE_ERP_ID)
    client = _bench_client()
    import_samples: list[float] = []
    copy_samples: list[float] = []
    replay_rows = 0
    for run in range(RUNS):
        # A million items is twenty times the API's batch limit: raise the limits for this
        # run (the batch model for the raised limit is built once and kept apart).
        with override_settings(ERP_BATCH_MAX_ITEMS=MAX_ITEMS, ERP_BATCH_MAX_BYTES=MAX_BYTES):
            import_ms, receive = _import_ms(client, resource, price_type.id)
            if run == 0:
                before = _rows_written_so_far()
                replay = receive()
                replay_rows = _rows_written_so_far() - before
                if not replay.replayed:
                    raise SystemExit("bench: the replayed price batch was applied again")
        del receive
        import_samples.append(import_ms)
        copy_samples.append(_plain_load_ms(_stored_rows(price_type.id)))
        # The journal keeps the raw body (tens of MB); the data set must not grow with runs.
        ErpBatch.objects.filter(client=client).delete()

    import_ms, copy_ms = statistics.median(import_samples), statistics.median(copy_samples)
    report(name("erp_prices_1m_ms"), import_ms, "ms")
    report(name("erp_prices_copy_1m_ms"), copy_ms, "ms")
    report(name("erp_prices_1m_vs_copy_ratio"), import_ms / copy_ms, "x")
    report(name("erp_replay_rows_written"), replay_rows, "rows")


def main() -> None:
    """`python -m bench.erp_prices --database postgres`: only this figure (and the stock delta
    it must not slow down), on the data set `make bench` builds, `--repeat` times in a row."""
    import argparse
    import os

    from bench.__main__ import BENCH_DIR, postgres_bench_url

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--with-stock", action="store_true")
    arguments = parser.parse_args()

    if arguments.database == "postgres":
        server = os.environ.get("DATABASE_URL", "")
        if not server.startswith(("postgres://", "postgresql://")):
            raise SystemExit("bench: set DATABASE_URL to the PostgreSQL server")
        os.environ["DATABASE_URL"] = postgres_bench_url(server)
    else:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / f"bench-{arguments.products}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealerdesk.settings")
    from bench.run import bench_line, ensure_postgres_database, prepare_database

    if arguments.database == "postgres":
        ensure_postgres_database()
    import django

    django.setup()
    prepare_database(arguments.products)
    from bench.erp_stock import measure_erp_stock

    for _ in range(arguments.repeat):
        if arguments.with_stock:
            measure_erp_stock(bench_line, arguments.database)
        measure_erp_prices(bench_line, arguments.database)


if __name__ == "__main__":
    main()
