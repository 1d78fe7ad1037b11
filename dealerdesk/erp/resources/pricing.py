"""Pricing resources: price types, base prices (up to a million rows per batch) and discounts.

Base prices are written set-based (`dealerdesk.erp.bulk`): a plainly valid JSON batch is read
into columns without a model per row (`read_price_batch`), the rows are staged in a temporary
table, product ids are resolved with one join, unknown references and duplicated pairs are
reported together, then one `UPDATE` of the changed amounts, one `INSERT` of the new pairs and,
for a full snapshot, one `DELETE` apply the batch, each skipped when the counts show it has
nothing to do. All of it runs in the batch's transaction, so a
dealer reading prices meanwhile sees the old list or the new one, never a mix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from django.db import connection
from django.db.models import Q
from pydantic import Field, StringConstraints, model_validator

from dealerdesk.catalog.models import Category, Product
from dealerdesk.companies.models import Dealer, LegalEntity
from dealerdesk.erp.batches import ApplyContext
from dealerdesk.erp.bulk import ColumnRows, RowShape, Staged, execute, quoted_table, stage
from dealerdesk.erp.registry import Applied, ItemErrors, Resource, register
from dealerdesk.erp.schemas import ErpId, ErpItem, Money, Name, Percent, Strict
from dealerdesk.pricing.models import BasePrice, Discount, PriceType

Currency = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{3}$")
]

FULL_SNAPSHOT_PRICES = (
    bool,
    Field(
        False,
        description=(
            "The batch is the whole list of every price type it mentions: stored prices of "
            "those price types for products absent from the batch are deleted (counted as "
            "`deleted`). Price types the batch does not mention are left alone."
        ),
    ),
)
FULL_SNAPSHOT_DISCOUNTS = (
    bool,
    Field(
        False,
        description=(
            "The batch holds every discount of the dealers and legal entities it mentions: "
            "their stored discounts on categories absent from the batch are deleted. A "
            "dealer's snapshot covers the dealer's own discounts, not those of its legal "
            "entities (list a legal entity to replace its discounts)."
        ),
    ),
)


# --- Price types ------------------------------------------------------------------------------


class PriceTypeItem(ErpItem):
    name: Name = Field(description="The price list's name, e.g. «Оптовая».")
    currency: Currency = Field("RUB", description="ISO 4217 code, three letters.")
    includes_vat: bool = Field(True, description="Whether the amounts include VAT.")


def apply_price_types(context: ApplyContext, items: Sequence[PriceTypeItem]) -> Applied:
    fresh = context.fresh(items)
    known = PriceType.objects.in_bulk([item.id for _, item in fresh], field_name="erp_id")
    applied = Applied()
    created: dict[str, PriceType] = {}
    changed: dict[str, PriceType] = {}
    for _, item in fresh:
        values = item.model_dump(include={"name", "currency", "includes_vat"})
        price_type = known.get(item.id) or created.get(item.id)
        if price_type is None:
            created[item.id] = PriceType(erp_id=item.id, **values)
            continue
        if any(getattr(price_type, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(price_type, name, value)
            price_type.updated_at = context.now
            if item.id in known:
                changed[item.id] = price_type
    PriceType.objects.bulk_create(created.values())
    PriceType.objects.bulk_update(
        changed.values(), ["name", "currency", "includes_vat", "updated_at"]
    )
    applied.created, applied.updated = len(created), len(changed)
    return applied


register(
    Resource(
        path="price-types",
        summary="Price types",
        description=(
            "Upsert price types (price lists) by id: `name`, `currency` (ISO 4217, `RUB` by "
            "default) and whether the amounts include VAT. Prices, dealers and legal entities "
            "refer to them. `updated` counts only price types that actually changed."
        ),
        item=PriceTypeItem,
        apply=apply_price_types,
        example={
            "items": [
                {"id": "PT-BASE", "name": "Базовая", "currency": "RUB", "includes_vat": True},
                {"id": "PT-WHOLESALE", "name": "Оптовая", "currency": "RUB"},
            ]
        },
    )
)


# --- Base prices ------------------------------------------------------------------------------


class PriceRow(Strict):
    product_id: ErpId = Field(description="The ERP id of the product.")
    price_type_id: ErpId = Field(description="The ERP id of the price type.")
    amount: Money = Field(description="The price of one unit in the price type's currency.")


PRICE_ROWS = RowShape(
    model=PriceRow,
    ids=("product_id",),
    repeated_ids=("price_type_id",),
    number="amount",
    whole_digits=12,  # Money: 14 digits, 2 of them decimals
    decimal_places=2,
)
read_price_batch = PRICE_ROWS.read_json


STAGING = "erp_price_staging"  # the batch as sent, the price type's database id resolved
RESOLVED = "erp_price_rows"  # the batch with database ids (NULL where unknown)


@dataclass(frozen=True)
class _Tables:
    """Quoted names of the tables the price import touches (from model metadata)."""

    price: str
    product: str

    @classmethod
    def read(cls) -> _Tables:
        return cls(price=quoted_table(BasePrice), product=quoted_table(Product))


def _price_type_ids(erp_ids: Iterable[str]) -> dict[str, int]:
    """The database id of every price type the batch names that exists (a batch names few)."""
    stored = PriceType.objects.filter(erp_id__in=sorted(erp_ids))
    return {
        str(erp_id): price_type_id for erp_id, price_type_id in stored.values_list("erp_id", "id")
    }


def _stage_rows(rows: ColumnRows, price_types: dict[str, int]) -> None:
    stage(
        STAGING,
        [
            Staged("product_erp_id", "varchar(80) NOT NULL", rows.column("product_id")),
            Staged(
                "price_type_id", "bigint", list(map(price_types.get, rows.column("price_type_id")))
            ),
            Staged("amount", "numeric(14, 2) NOT NULL", rows.column("amount"), plain=True),
        ],
    )


def _resolve_rows(tables: _Tables) -> None:
    execute(f"DROP TABLE IF EXISTS {RESOLVED}")
    execute(
        f"CREATE TEMPORARY TABLE {RESOLVED} AS "  # noqa: S608 - names from model metadata
        "SELECT s.idx, p.id AS product_id, s.price_type_id, s.amount "
        f"FROM {STAGING} s LEFT JOIN {tables.product} p ON p.erp_id = s.product_erp_id"
    )
    if connection.vendor == "postgresql":
        # Temporary tables are never analysed automatically: without the counts, the writes
        # below would look up a million rows one by one. (The join above is planned well
        # enough from the staging table's size.) A small sample is enough to see the counts
        # and that products are unique: a quarter of the default's time.
        execute("SET LOCAL default_statistics_target = 10")
        execute(f"ANALYZE {RESOLVED}")


def _check_rows(rows: ColumnRows, price_types: dict[str, int]) -> None:
    product_ids, price_type_ids = rows.column("product_id"), rows.column("price_type_id")
    errors = ItemErrors()
    unknown_products = {
        index
        for (index,) in execute(
            f"SELECT idx FROM {RESOLVED} WHERE product_id IS NULL "  # noqa: S608
            "ORDER BY idx LIMIT %s",
            [ItemErrors.LIMIT],
        )
    }
    unknown_price_types: set[int] = set()
    if len(price_types) < len(rows.distinct("price_type_id")):
        for index, erp_id in enumerate(price_type_ids):
            if erp_id not in price_types:
                unknown_price_types.add(index)
                if len(unknown_price_types) == ItemErrors.LIMIT:
                    break
    for index in sorted(unknown_products | unknown_price_types)[: ItemErrors.LIMIT]:
        if index in unknown_products:
            errors.unknown(index, "product_id", "product", product_ids[index])
        if index in unknown_price_types:
            errors.unknown(index, "price_type_id", "price type", price_type_ids[index])
    for index, first_index in rows.repeated():
        errors.add(
            index,
            "",
            "duplicate",
            f"the price of product {product_ids[index]!r} in price type "
            f"{price_type_ids[index]!r} is already given in items[{first_index}]",
        )
    errors.raise_if_any()


def _of_price_types(column: str, price_type_ids: Sequence[int]) -> str:
    """A condition on the price types of the batch (database ids: a few integers)."""
    return f"{column} IN ({', '.join(str(int(price_type_id)) for price_type_id in price_type_ids)})"


def _update_changed_rows(
    tables: _Tables, context: ApplyContext, price_type_ids: Sequence[int]
) -> int:
    """Stored prices whose amount differs; unchanged ones are not written at all.

    A join rather than `INSERT ... ON CONFLICT DO UPDATE` for every row: for a million rows
    the upsert probes the unique index and locks each row one by one, about three times slower
    than one hash join (measured: 26 s against 8 s on PostgreSQL). The stored prices of other
    price types are left out before the join rather than looked up in it.
    """
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {tables.price} SET amount = r.amount, updated_at = %s "  # noqa: S608
            f"FROM {RESOLVED} r WHERE {tables.price}.product_id = r.product_id "
            f"AND {tables.price}.price_type_id = r.price_type_id "
            f"AND {_of_price_types(f'{tables.price}.price_type_id', price_type_ids)} "
            f"AND {tables.price}.amount {differs} r.amount",
            [context.now],
        )
        return int(cursor.rowcount)


def _insert_new_rows(tables: _Tables, context: ApplyContext) -> tuple[int, int]:
    """Pairs without a stored price: (created, updated).

    ON CONFLICT covers a price another transaction stores for the same pair meanwhile; such a
    row is counted as updated, like the rows of `_update_changed_rows`.
    """
    columns = "product_id, price_type_id, amount, updated_at"
    select = (
        f"SELECT product_id, price_type_id, amount, %s FROM {RESOLVED} r "  # noqa: S608
        "WHERE NOT EXISTS ("
        f"SELECT 1 FROM {tables.price} b "
        "WHERE b.product_id = r.product_id AND b.price_type_id = r.price_type_id)"
    )
    conflict = (
        "ON CONFLICT (product_id, price_type_id) DO UPDATE "
        "SET amount = EXCLUDED.amount, updated_at = EXCLUDED.updated_at"
    )
    if connection.vendor == "postgresql":
        # xmax is 0 on a freshly inserted row version and the writing transaction's id on an
        # updated one: one statement gives both counts.
        rows = execute(
            f"WITH written AS (INSERT INTO {tables.price} ({columns}) {select} "  # noqa: S608
            f"{conflict} WHERE {tables.price}.amount IS DISTINCT FROM EXCLUDED.amount "
            "RETURNING (xmax = 0) AS inserted) "
            "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
            "FROM written",
            [context.now],
        )
        created, updated = rows[0]
        return int(created), int(updated)
    # SQLite has one writer at a time: no other transaction can add the pair meanwhile.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tables.price} ({columns}) {select} {conflict}",
            [context.now],
        )
        return int(cursor.rowcount), 0


def _stored_prices(tables: _Tables, price_type_ids: Sequence[int]) -> int:
    rows = execute(
        f"SELECT count(*) FROM {tables.price} "  # noqa: S608 - names from model metadata
        f"WHERE {_of_price_types('price_type_id', price_type_ids)}"
    )
    return int(rows[0][0])


def _delete_absent_rows(tables: _Tables, price_type_ids: Sequence[int]) -> int:
    """A full snapshot: prices of the batch's price types for products it does not list."""
    if connection.vendor == "sqlite":
        # The lookup of every stored price in the batch needs an index on the batch.
        execute(f"CREATE INDEX {RESOLVED}_pair ON {RESOLVED} (product_id, price_type_id)")
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {tables.price} "  # noqa: S608
            f"WHERE {_of_price_types('price_type_id', price_type_ids)} "
            f"AND NOT EXISTS (SELECT 1 FROM {RESOLVED} r "
            f"WHERE r.product_id = {tables.price}.product_id "
            f"AND r.price_type_id = {tables.price}.price_type_id)"
        )
        return int(cursor.rowcount)


def apply_prices(context: ApplyContext, items: Sequence[PriceRow]) -> Applied:
    if not items:
        return Applied()
    rows = ColumnRows.of(PRICE_ROWS, items)
    tables = _Tables.read()
    if connection.vendor == "postgresql":
        # The joins over a million staged rows hash them in memory instead of spilling to
        # disk in many batches (the default is 4 MB); for this transaction only.
        execute("SET LOCAL work_mem = '256MB'")
    price_types = _price_type_ids(rows.distinct("price_type_id"))
    _stage_rows(rows, price_types)
    _resolve_rows(tables)
    _check_rows(rows, price_types)
    price_type_ids = sorted(price_types.values())
    updated = _update_changed_rows(tables, context, price_type_ids)
    created, raced = 0, 0
    # When every row changed an amount, every pair was stored (and is locked now): none is new.
    if updated < len(rows):
        created, raced = _insert_new_rows(tables, context)
    deleted = 0
    if context.options.get("full_snapshot"):
        # Rows this transaction wrote stay stored until it ends (they are locked): when it
        # wrote all of them, as many stored prices as rows means none is absent, and a count
        # is cheaper than the lookup of every stored price in the batch.
        written = updated + created + raced
        if written < len(rows) or _stored_prices(tables, price_type_ids) > len(rows):
            deleted = _delete_absent_rows(tables, price_type_ids)
    execute(f"DROP TABLE {STAGING}")
    execute(f"DROP TABLE {RESOLVED}")
    return Applied(created=created, updated=updated + raced, deleted=deleted)


register(
    Resource(
        path="prices",
        summary="Base prices",
        description=(
            "Set base prices: one row per product and price type (`product_id` and "
            "`price_type_id` are ERP ids), `amount` per unit in the price type's currency. A "
            "row with a stored pair changes its amount (`updated` counts only changed "
            "amounts); a pair given twice, an unknown product or price type rejects the whole "
            "batch. With `full_snapshot: true` the batch replaces the whole list of each price "
            "type it mentions: prices of those types for products absent from the batch are "
            "deleted. Dealers see the old list until the batch is applied, then the new one. "
            "Written set-based: a full list of a million prices is one batch."
        ),
        item=PriceRow,
        apply=apply_prices,
        read_json=read_price_batch,
        example={
            "full_snapshot": False,
            "items": [
                {"product_id": "00-00012345", "price_type_id": "PT-BASE", "amount": "1012.50"},
                {"product_id": "00-00012345", "price_type_id": "PT-WHOLESALE", "amount": "941.60"},
                {"product_id": "00-00067890", "price_type_id": "PT-BASE", "amount": "87.30"},
            ],
        },
        options={"full_snapshot": FULL_SNAPSHOT_PRICES},
    )
)


# --- Discounts --------------------------------------------------------------------------------


class DiscountRow(Strict):
    dealer_id: ErpId | None = Field(
        None, description="The ERP id of the dealer (a discount for all its legal entities)."
    )
    legal_entity_id: ErpId | None = Field(
        None, description="The ERP id of one legal entity (overrides the dealer's discount)."
    )
    category_id: ErpId = Field(
        description="The ERP id of the category; the discount covers its subcategories too."
    )
    percent: Percent | None = Field(
        None, description="The discount, 0 to 100; 0 removes the discount."
    )
    delete: bool = Field(False, description="True removes the discount (no percent needed).")

    @model_validator(mode="after")
    def _one_owner_and_a_percent(self) -> DiscountRow:
        if (self.dealer_id is None) == (self.legal_entity_id is None):
            raise ValueError("give exactly one of dealer_id and legal_entity_id")
        if self.percent is None and not self.delete:
            raise ValueError("give percent, or delete: true to remove the discount")
        return self

    @property
    def removes(self) -> bool:
        return self.delete or self.percent == 0


# (owner kind, owner id, category id); the kind is "dealer" or "legal_entity".
DiscountKey = tuple[str, int, int]


def _discount_key(discount: Discount) -> DiscountKey:
    if discount.dealer_id is not None:
        return ("dealer", discount.dealer_id, discount.category_id)
    return ("legal_entity", int(discount.legal_entity_id or 0), discount.category_id)


def _ids_by_erp_id(model: Any, erp_ids: Iterable[str | None]) -> dict[str, int]:
    wanted = sorted({erp_id for erp_id in erp_ids if erp_id is not None})
    if not wanted:
        return {}
    return dict(model.objects.filter(erp_id__in=wanted).values_list("erp_id", "id"))


def _resolve_discounts(items: Sequence[DiscountRow]) -> dict[DiscountKey, tuple[int, DiscountRow]]:
    """The batch by key, every reference checked; raises with all errors found."""
    dealers = _ids_by_erp_id(Dealer, (item.dealer_id for item in items))
    entities = _ids_by_erp_id(LegalEntity, (item.legal_entity_id for item in items))
    categories = _ids_by_erp_id(Category, (item.category_id for item in items))
    errors = ItemErrors()
    rows: dict[DiscountKey, tuple[int, DiscountRow]] = {}
    for index, item in enumerate(items):
        owner: tuple[str, int] | None = None
        if item.dealer_id is not None:
            if item.dealer_id in dealers:
                owner = ("dealer", dealers[item.dealer_id])
            else:
                errors.unknown(index, "dealer_id", "dealer", item.dealer_id)
        elif item.legal_entity_id is not None:
            if item.legal_entity_id in entities:
                owner = ("legal_entity", entities[item.legal_entity_id])
            else:
                errors.unknown(index, "legal_entity_id", "legal entity", item.legal_entity_id)
        category_id = categories.get(item.category_id)
        if category_id is None:
            errors.unknown(index, "category_id", "category", item.category_id)
        if owner is None or category_id is None:
            continue
        key = (*owner, category_id)
        if key in rows:
            errors.add(
                index,
                "",
                "duplicate",
                f"the discount on category {item.category_id!r} for this "
                f"{owner[0].replace('_', ' ')} is already given in items[{rows[key][0]}]",
            )
            continue
        rows[key] = (index, item)
    errors.raise_if_any()
    return rows


def apply_discounts(context: ApplyContext, items: Sequence[DiscountRow]) -> Applied:
    rows = _resolve_discounts(items)
    dealer_ids = {owner_id for kind, owner_id, _ in rows if kind == "dealer"}
    entity_ids = {owner_id for kind, owner_id, _ in rows if kind == "legal_entity"}
    stored = {
        _discount_key(discount): discount
        for discount in Discount.objects.filter(
            Q(dealer_id__in=dealer_ids) | Q(legal_entity_id__in=entity_ids)
        )
    }
    new: list[Discount] = []
    changed: list[Discount] = []
    removed: list[int] = []
    for key, (_, item) in rows.items():
        discount = stored.get(key)
        if item.removes:
            if discount is not None:
                removed.append(discount.id)
            continue
        percent = Decimal(item.percent or 0)
        if discount is None:
            kind, owner_id, category_id = key
            new.append(
                Discount(
                    dealer_id=owner_id if kind == "dealer" else None,
                    legal_entity_id=owner_id if kind == "legal_entity" else None,
                    category_id=category_id,
                    percent=percent,
                    updated_at=context.now,
                )
            )
        elif discount.percent != percent:
            discount.percent = percent
            discount.updated_at = context.now  # auto_now is not applied by bulk_update
            changed.append(discount)
    if context.options.get("full_snapshot"):
        removed.extend(discount.id for key, discount in stored.items() if key not in rows)
    Discount.objects.bulk_create(new, batch_size=1000)
    Discount.objects.bulk_update(changed, ["percent", "updated_at"], batch_size=1000)
    deleted = 0
    for start in range(0, len(removed), 1000):
        deleted += Discount.objects.filter(id__in=removed[start : start + 1000]).delete()[0]
    return Applied(created=len(new), updated=len(changed), deleted=deleted)


register(
    Resource(
        path="discounts",
        summary="Discounts",
        description=(
            "Set discounts on product categories, for a whole dealer (`dealer_id`) or for one "
            "legal entity (`legal_entity_id`, overriding the dealer's): exactly one of the two, "
            "with `category_id` (the discount covers the subcategories that have none of their "
            "own) and `percent` from 0 to 100. `percent: 0` or `delete: true` removes the "
            "discount. With `full_snapshot: true` the batch holds every discount of the dealers "
            "and legal entities it mentions: their other discounts are deleted (a dealer's "
            "snapshot leaves its legal entities' discounts alone)."
        ),
        item=DiscountRow,
        apply=apply_discounts,
        example={
            "full_snapshot": False,
            "items": [
                {"dealer_id": "D-000127", "category_id": "CAT-MODULAR", "percent": "10.00"},
                {
                    "legal_entity_id": "LE-000311",
                    "category_id": "CAT-BREAKERS",
                    "percent": "12.50",
                },
                {"dealer_id": "D-000127", "category_id": "CAT-CABLE", "delete": True},
            ],
        },
        options={"full_snapshot": FULL_SNAPSHOT_DISCOUNTS},
    )
)
