"""Bulk writes of the demo catalog: a million products in minutes on SQLite and PostgreSQL.

Reference rows (categories, brands, warehouses, price types) go through the ORM. Products and
the rows hanging off them do not: per-row ORM saves and `bulk_create` cost too much at this
size. They are streamed in chunks from the generators of `catalog_data` and written with
`executemany` on SQLite and `COPY` on PostgreSQL, inside the caller's transaction.

Product ids are assigned here (after the highest existing one), so the prices, stock and
receipts of a chunk can be written right after its products, without reading ids back.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Field, Max, Model
from django.utils import timezone

from dealerdesk.catalog.models import (
    Brand,
    Category,
    IncomingSupply,
    Product,
    Stock,
    Warehouse,
    product_search_text,
)
from dealerdesk.catalog.search import drop_search_index, ensure_search_index
from dealerdesk.catalog.services import categories_rebuild_paths
from dealerdesk.core.text import normalize_code
from dealerdesk.demo.catalog_data import (
    BRANDS,
    PRICE_TYPES,
    TOP_CATEGORIES,
    WAREHOUSES,
    GeneratedProduct,
    demo_catalog,
    generate_products,
    incoming_supplies,
    kopecks_text,
    stock_levels,
)
from dealerdesk.pricing.models import BasePrice, PriceType

logger = logging.getLogger(__name__)

CHUNK_SIZE = 20_000
BULK_TABLE_MODELS: tuple[type[Model], ...] = (Product, BasePrice, Stock, IncomingSupply)

Row = tuple[Any, ...]
T = TypeVar("T")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


# --- Reference rows through the ORM ---------------------------------------------------------


@dataclass(frozen=True)
class CatalogReferences:
    """Database ids of the rows that generated products point at, by generator position."""

    price_types: dict[str, PriceType]  # by erp_id
    categories: dict[str, Category]  # by erp_id
    price_type_ids: list[int]  # in PRICE_TYPES order
    leaf_category_ids: list[int]  # by family index
    brand_ids: list[int]  # in BRANDS order
    warehouse_ids: list[int]  # in WAREHOUSES order


def _price_type(erp_id: str, name: str) -> PriceType:
    price_type, _created = PriceType.objects.get_or_create(
        erp_id=erp_id, defaults={"name": name, "currency": "RUB", "includes_vat": True}
    )
    return price_type


def _category(erp_id: str, name: str, parent: Category | None, sort_order: int) -> Category:
    category, _created = Category.objects.update_or_create(
        erp_id=erp_id, defaults={"name": name, "parent": parent, "sort_order": sort_order}
    )
    return category


def _brand(erp_id: str, name: str, *, is_own_trademark: bool) -> Brand:
    # The ERP may already have the brand under its own id: names are unique, so reuse it.
    brand = Brand.objects.filter(erp_id=erp_id).first() or Brand.objects.filter(name=name).first()
    if brand is None:
        brand = Brand.objects.create(erp_id=erp_id, name=name, is_own_trademark=is_own_trademark)
    return brand


def create_references() -> CatalogReferences:
    price_types = {spec.erp_id: _price_type(spec.erp_id, spec.name) for spec in PRICE_TYPES}

    categories: dict[str, Category] = {}
    parents: dict[str, Category] = {}
    for top_order, (top, subs) in enumerate(TOP_CATEGORIES, start=1):
        top_row = _category(f"demo-cat-{top.key}", top.name, None, top_order * 10)
        categories[top_row.erp_id or ""] = top_row
        for sub_order, sub in enumerate(subs, start=1):
            sub_row = _category(f"demo-cat-{sub.key}", sub.name, top_row, sub_order * 10)
            categories[sub_row.erp_id or ""] = sub_row
            parents[sub.key] = sub_row
    leaf_ids = []
    for leaf_order, family in enumerate(demo_catalog().families, start=1):
        leaf = _category(
            f"demo-series-{family.spec.key}",
            family.spec.series,
            parents[family.spec.subcategory],
            leaf_order * 10,
        )
        categories[leaf.erp_id or ""] = leaf
        leaf_ids.append(leaf.id)
    categories_rebuild_paths()

    brand_ids = [
        _brand(spec.erp_id, spec.name, is_own_trademark=spec.is_own_trademark).id for spec in BRANDS
    ]
    warehouse_ids = []
    for order, spec in enumerate(WAREHOUSES, start=1):
        warehouse, _created = Warehouse.objects.update_or_create(
            erp_id=spec.erp_id,
            defaults={"name": spec.name, "address": spec.address, "sort_order": order * 10},
        )
        warehouse_ids.append(warehouse.id)
    return CatalogReferences(
        price_types=price_types,
        categories=categories,
        price_type_ids=[price_types[spec.erp_id].id for spec in PRICE_TYPES],
        leaf_category_ids=leaf_ids,
        brand_ids=brand_ids,
        warehouse_ids=warehouse_ids,
    )


# --- Writers per database vendor ------------------------------------------------------------


class RowWriter(Protocol):
    def write(self, model: type[Model], fields: Sequence[str], rows: Sequence[Row]) -> None: ...


def _column(model: type[Model], name: str) -> str:
    model_field = model._meta.get_field(name)
    if not isinstance(model_field, Field) or not model_field.column:
        raise TypeError(f"{model.__name__}.{name} is not a concrete column")
    return model_field.column


def _table_and_columns(model: type[Model], fields: Sequence[str]) -> tuple[str, str]:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(model, name)) for name in fields)
    return quote(model._meta.db_table), columns


class SqliteWriter:
    """`executemany` on the raw sqlite3 cursor: no per-row work in Django's wrapper."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.cursor = connection.connection.cursor()

    def write(self, model: type[Model], fields: Sequence[str], rows: Sequence[Row]) -> None:
        table, columns = _table_and_columns(model, fields)
        placeholders = ", ".join("?" * len(fields))
        # Table and column names come from model metadata, never from input.
        insert = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        self.cursor.executemany(insert, rows)


class PostgresWriter:
    """`COPY ... FROM STDIN` through psycopg 3, in the current transaction."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.connection = connection.connection

    def write(self, model: type[Model], fields: Sequence[str], rows: Sequence[Row]) -> None:
        table, columns = _table_and_columns(model, fields)
        with (
            self.connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)


@contextmanager
def foreign_keys_revalidated_in_bulk(models: Sequence[type[Model]]) -> Iterator[None]:
    """On PostgreSQL, check the foreign keys of freshly loaded tables once, not row by row.

    Django's foreign keys are deferred: every copied row queues a check that runs at commit
    (or as soon as anything asks for immediate constraints). For millions of rows that is
    millions of single lookups. Dropping the constraints for the load and adding them back
    from their own definitions validates each one with a single join instead. It all happens
    in the caller's transaction, so a failed load restores them with everything else.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        constraints = cursor.fetchall()
        # ALTER TABLE refuses tables with checks still queued (the categories and brands just
        # created): run those few now, then return to Django's initially deferred mode.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, _definition in constraints:
            quoted_name = connection.ops.quote_name(name)
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quoted_name}")
    yield
    started = time.monotonic()
    with connection.cursor() as cursor:
        for table, name, definition in constraints:
            quoted_name = connection.ops.quote_name(name)
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quoted_name} {definition}")
    logger.info("demo foreign keys validated in %.0f s", time.monotonic() - started)


def writer_for_connection() -> RowWriter:
    if connection.vendor == "sqlite":
        return SqliteWriter()
    if connection.vendor == "postgresql":
        return PostgresWriter()
    raise NotImplementedError(f"the demo loader does not support {connection.vendor}")


# --- The product load -----------------------------------------------------------------------

PRODUCT_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "erp_id",
    "code",
    "code_key",
    "name",
    "search_text",
    "category",
    "brand",
    "unit",
    "pack_multiplicity",
    "vat_rate",
    "attributes",
    "description",
    "is_active",
)
PRICE_FIELDS = ("product", "price_type", "amount", "updated_at")
STOCK_FIELDS = ("product", "warehouse", "quantity", "updated_at")
INCOMING_FIELDS = (
    "created_at",
    "updated_at",
    "erp_id",
    "product",
    "warehouse",
    "expected_date",
    "quantity",
)
STOCK_AGE_MINUTES = 6 * 60  # the ERP reported stock within the last few hours
INCOMING_HORIZON_DAYS = 61


@dataclass
class LoadedCatalog:
    products: int = 0
    base_prices: int = 0
    stock_rows: int = 0
    incoming_supplies: int = 0
    # The first product ids of each family (by family index): documentation is attached to them.
    sample_product_ids: dict[int, list[int]] = field(default_factory=dict)


def product_erp_id(number: int) -> str:
    return f"demo-p-{number:07d}"


def _db_datetime(value: datetime.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _db_date(value: datetime.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _next_product_id() -> int:
    highest = Product.objects.aggregate(highest=Max("id"))["highest"]
    return (highest or 0) + 1


class _RowFactory:
    """Database rows for generated products, with every per-load constant computed once."""

    def __init__(self, references: CatalogReferences, *, seed: int, first_id: int) -> None:
        now = timezone.now()
        today = timezone.localdate(now)
        self.references = references
        self.first_id = first_id
        self.stamp = _db_datetime(now)
        self.stock_times = [
            _db_datetime(now - datetime.timedelta(minutes=minutes))
            for minutes in range(STOCK_AGE_MINUTES)
        ]
        self.receipt_dates = [
            _db_date(today + datetime.timedelta(days=days)) for days in range(INCOMING_HORIZON_DAYS)
        ]
        self.descriptions = [family.spec.description for family in demo_catalog().families]
        self.price_factors = [
            (price_type_id, spec.factor)
            for price_type_id, spec in zip(references.price_type_ids, PRICE_TYPES, strict=True)
        ]
        self.availability_rng = random.Random(f"{seed}/availability")

    def product_id(self, product: GeneratedProduct) -> int:
        return self.first_id + product.number - 1

    def product(self, product: GeneratedProduct) -> Row:
        return (
            self.product_id(product),
            self.stamp,
            self.stamp,
            product_erp_id(product.number),
            product.code,
            normalize_code(product.code),
            product.name,
            product_search_text(product.code, product.name),
            self.references.leaf_category_ids[product.family_index],
            self.references.brand_ids[product.brand_index],
            product.unit,
            product.multiplicity,
            None,
            product.attributes_json,
            self.descriptions[product.family_index],
            product.is_active,
        )

    def prices(self, product: GeneratedProduct) -> Iterator[Row]:
        product_id = self.product_id(product)
        for price_type_id, factor in self.price_factors:
            amount = kopecks_text(round(product.price_kopecks * factor))
            yield (product_id, price_type_id, amount, self.stamp)

    def stock(self, product: GeneratedProduct) -> Iterator[Row]:
        product_id = self.product_id(product)
        for warehouse, quantity in stock_levels(product, self.availability_rng):
            reported_at = self.stock_times[self.availability_rng.randrange(STOCK_AGE_MINUTES)]
            yield (product_id, self.references.warehouse_ids[warehouse], quantity, reported_at)

    def incoming(self, product: GeneratedProduct) -> Iterator[Row]:
        product_id = self.product_id(product)
        receipts = incoming_supplies(product, self.availability_rng)
        for receipt, (warehouse, days, quantity) in enumerate(receipts, start=1):
            yield (
                self.stamp,
                self.stamp,
                f"demo-in-{product.number:07d}-{receipt}",
                product_id,
                self.references.warehouse_ids[warehouse],
                self.receipt_dates[days],
                quantity,
            )


def load_products(
    references: CatalogReferences, *, count: int, seed: int, sample_size: int
) -> LoadedCatalog:
    """Write `count` generated products with their prices, stock and expected receipts."""
    writer = writer_for_connection()
    rows = _RowFactory(references, seed=seed, first_id=_next_product_id())
    loaded = LoadedCatalog()
    started = time.monotonic()

    drop_search_index()
    with foreign_keys_revalidated_in_bulk(BULK_TABLE_MODELS):
        for chunk in chunked(generate_products(count, seed), CHUNK_SIZE):
            _write_chunk(writer, rows, chunk, loaded, sample_size)
            if loaded.products % 100_000 < CHUNK_SIZE:
                elapsed = time.monotonic() - started
                logger.info(
                    "demo products: %d of %d written (%.0f s)", loaded.products, count, elapsed
                )
        _reset_sequences()
    index_started = time.monotonic()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The trigram index over a million names builds three times faster with room to
            # sort in memory; SET LOCAL ends with the transaction.
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    ensure_search_index()
    logger.info("demo search index built in %.0f s", time.monotonic() - index_started)
    return loaded


def _write_chunk(
    writer: RowWriter,
    rows: _RowFactory,
    chunk: Sequence[GeneratedProduct],
    loaded: LoadedCatalog,
    sample_size: int,
) -> None:
    for product in chunk:
        samples = loaded.sample_product_ids.setdefault(product.family_index, [])
        if len(samples) < sample_size:
            samples.append(rows.product_id(product))
    products = [rows.product(product) for product in chunk]
    prices = [row for product in chunk for row in rows.prices(product)]
    # Stock and receipts share one random stream: keep their order fixed per product.
    stock: list[Row] = []
    incoming: list[Row] = []
    for product in chunk:
        stock.extend(rows.stock(product))
        incoming.extend(rows.incoming(product))
    writer.write(Product, PRODUCT_FIELDS, products)
    writer.write(BasePrice, PRICE_FIELDS, prices)
    writer.write(Stock, STOCK_FIELDS, stock)
    writer.write(IncomingSupply, INCOMING_FIELDS, incoming)
    loaded.products += len(products)
    loaded.base_prices += len(prices)
    loaded.stock_rows += len(stock)
    loaded.incoming_supplies += len(incoming)


def _reset_sequences() -> None:
    """Explicit ids do not advance PostgreSQL sequences; the next ORM insert must not clash."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Product])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def analyze_tables() -> None:
    """Fresh planner statistics: a million new rows change every plan. On PostgreSQL, outside
    a transaction, the tables are vacuumed too, as its manual advises after a bulk load: it
    marks the pages all-visible, so lookups answered by an index alone (ERP ids to database
    ids) need not visit the rows, without waiting for autovacuum (or for ever, without it)."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    command = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
    with connection.cursor() as cursor:
        for model in BULK_TABLE_MODELS:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
