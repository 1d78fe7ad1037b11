"""Catalog resources: warehouses, categories, products (with documentation), stock and
incoming supplies.

Every batch is validated as a whole before anything is written, references are looked up in
bulk (one query per referenced type and chunk), and rows are written with bulk statements: a
batch of 50,000 stock rows is staged and written by one upsert (`dealerdesk.erp.bulk`), not
50,000 saves.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PureWindowsPath
from typing import Annotated, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import connection, transaction
from django.db.models import Model, Q
from pydantic import Field, StringConstraints

from dealerdesk.catalog.models import (
    Brand,
    Category,
    IncomingSupply,
    Product,
    ProductDocument,
    Stock,
    Warehouse,
    product_search_text,
)
from dealerdesk.catalog.services import categories_rebuild_paths, product_document_attach
from dealerdesk.core.text import normalize_code
from dealerdesk.erp.batches import ApplyContext
from dealerdesk.erp.bulk import (
    ColumnRows,
    RowShape,
    Staged,
    execute,
    quoted_table,
    stage,
    unknown_rows,
)
from dealerdesk.erp.registry import Applied, ItemErrors, Resource, register
from dealerdesk.erp.schemas import ErpId, ErpItem, LongText, Name, Percent, Quantity, Strict, Text

T = TypeVar("T")

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
SortOrder = Annotated[int, Field(ge=-1_000_000, le=1_000_000)]

FULL_SNAPSHOT_HELP = (
    "When true, the batch is the complete list: stored objects absent from it are removed "
    "(stock: set to zero). Default false: only the objects sent change."
)


def lookup_chunk() -> int:
    """How many ids one `IN (...)` lookup carries: SQLite allows 999 parameters a statement."""
    return 900 if connection.vendor == "sqlite" else 10_000


def _chunks(values: Sequence[T], size: int = 0) -> Iterator[Sequence[T]]:
    size = size or lookup_chunk()
    for start in range(0, len(values), size):
        yield values[start : start + size]


def ids_by_erp_id(model: type[Model], erp_ids: Iterable[str]) -> dict[str, int]:
    """Database ids of the stored rows with these ERP ids, in one query per chunk."""
    wanted = sorted(set(erp_ids))
    if not wanted:
        return {}
    if connection.vendor == "postgresql":
        # One array parameter instead of 50,000 literals: the statement is parsed and planned
        # in a fraction of the time, and the list is sent as one value.
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            # Only the model's own table name is interpolated; the ids are a parameter.
            select = f"SELECT erp_id, id FROM {table} WHERE erp_id = ANY(%s)"  # noqa: S608
            cursor.execute(select, [wanted])
            return dict(cursor.fetchall())
    found: dict[str, int] = {}
    for chunk in _chunks(wanted):
        found.update(model._default_manager.filter(erp_id__in=chunk).values_list("erp_id", "id"))
    return found


# --- Warehouses -----------------------------------------------------------------------------


class WarehouseItem(ErpItem):
    name: Name
    address: LongText = ""
    sort_order: SortOrder = 0
    is_active: bool = True


def apply_warehouses(context: ApplyContext, items: Sequence[WarehouseItem]) -> Applied:
    fresh = context.fresh(items)
    known = Warehouse.objects.in_bulk([item.id for _, item in fresh], field_name="erp_id")
    applied = Applied()
    for _, item in fresh:
        values = item.model_dump(include={"name", "address", "sort_order", "is_active"})
        warehouse = known.get(item.id)
        if warehouse is None:
            known[item.id] = Warehouse.objects.create(erp_id=item.id, **values)
            applied.created += 1
        else:
            for name, value in values.items():
                setattr(warehouse, name, value)
            warehouse.save()
            applied.updated += 1
    return applied


register(
    Resource(
        path="warehouses",
        summary="Warehouses",
        description="Upsert warehouses by id. Stock and incoming supplies refer to them.",
        item=WarehouseItem,
        apply=apply_warehouses,
        example={"items": [{"id": "WH-MSK", "name": "Москва", "sort_order": 1}]},
    )
)


# --- Categories -----------------------------------------------------------------------------


class CategoryItem(ErpItem):
    name: Name
    parent_id: ErpId | None = Field(
        None,
        description="The ERP id of the parent category (in this batch or sent before); "
        "empty for a root category.",
    )
    sort_order: SortOrder = 0
    is_active: bool = True


# A node of the category tree while a batch is checked: an ERP id for a category of the
# batch, a database id for a stored category the batch does not touch.
Node = str | int


@dataclass
class _CategoryTree:
    """The tree as it will be once the batch is applied, to find cycles before writing."""

    batch: dict[str, CategoryItem]
    erp_ids: dict[str, int]  # stored categories: ERP id -> database id
    erp_id_of: dict[int, str | None]
    stored_parent: dict[int, int | None]

    @classmethod
    def load(cls, batch: dict[str, CategoryItem]) -> _CategoryTree:
        # Moving a category may close a cycle anywhere above it, so the check needs every
        # parent link. Category tables are small (thousands of rows), and the path rebuild
        # after the write reads the whole table anyway.
        rows = list(Category.objects.values_list("id", "erp_id", "parent_id"))
        return cls(
            batch=batch,
            erp_ids={erp_id: pk for pk, erp_id, _ in rows if erp_id},
            erp_id_of={pk: erp_id for pk, erp_id, _ in rows},
            stored_parent={pk: parent_id for pk, _, parent_id in rows},
        )

    def node(self, pk: int) -> Node:
        erp_id = self.erp_id_of.get(pk)
        return erp_id if erp_id is not None and erp_id in self.batch else pk

    def parent(self, node: Node) -> Node | None:
        if isinstance(node, str):
            parent_id = self.batch[node].parent_id
            if parent_id is None:
                return None
            if parent_id in self.batch:
                return parent_id
            stored = self.erp_ids.get(parent_id)
            return None if stored is None else self.node(stored)
        stored_parent = self.stored_parent.get(node)
        return None if stored_parent is None else self.node(stored_parent)

    def cyclic(self) -> set[str]:
        """ERP ids of the batch's categories that would end up their own ancestors."""
        cyclic: set[str] = set()
        rooted: set[Node] = set()
        for start in self.batch:
            path: list[Node] = []
            seen: set[Node] = set()
            node: Node | None = start
            while node is not None and node not in rooted:
                if node in seen:
                    members = path[path.index(node) :]
                    cyclic.update(member for member in members if isinstance(member, str))
                    break
                seen.add(node)
                path.append(node)
                node = self.parent(node)
            else:
                rooted.update(path)
        return cyclic


def apply_categories(context: ApplyContext, items: Sequence[CategoryItem]) -> Applied:
    errors = ItemErrors()
    errors.refuse_duplicate_ids(list(enumerate(items)))
    errors.raise_if_any()
    fresh = context.fresh(items)
    batch = {item.id: item for _, item in fresh}
    tree = _CategoryTree.load(batch)
    for index, item in fresh:
        parent_id = item.parent_id
        if parent_id is not None and parent_id not in batch and parent_id not in tree.erp_ids:
            errors.unknown(index, "parent_id", "category", parent_id)
    errors.raise_if_any()
    cyclic = tree.cyclic()
    for index, item in fresh:
        if item.id in cyclic:
            errors.add(
                index,
                "parent_id",
                "cycle",
                f"category {item.id!r} would become its own ancestor through {item.parent_id!r}",
            )
    errors.raise_if_any()

    stored = Category.objects.in_bulk(
        [tree.erp_ids[item.id] for item in batch.values() if item.id in tree.erp_ids]
    )
    new = [
        Category(
            erp_id=item.id, name=item.name, sort_order=item.sort_order, is_active=item.is_active
        )
        for item in batch.values()
        if item.id not in tree.erp_ids
    ]
    # Parents may come later in the batch: rows are created first, linked afterwards.
    Category.objects.bulk_create(new, batch_size=1000)
    pks = {**tree.erp_ids, **{category.erp_id or "": category.pk for category in new}}
    categories = [*stored.values(), *new]
    for category in categories:
        item = batch[category.erp_id or ""]
        category.name, category.sort_order, category.is_active = (
            item.name,
            item.sort_order,
            item.is_active,
        )
        category.parent_id = pks[item.parent_id] if item.parent_id is not None else None
        category.updated_at = context.now
    Category.objects.bulk_update(
        categories, ["name", "parent", "sort_order", "is_active", "updated_at"], batch_size=1000
    )
    try:
        categories_rebuild_paths()
    except ValidationError as error:  # the checks above make this unreachable; never a 500
        errors.add(0, "parent_id", "cycle", " ".join(error.messages))
        errors.raise_if_any()
    return Applied(created=len(new), updated=len(stored))


register(
    Resource(
        path="categories",
        summary="Product categories",
        description=(
            "Upsert catalog categories by id. `parent_id` is the ERP id of the parent category, "
            "sent in the same batch (in any order) or before; leave it empty for a root. "
            "Moving a category moves its whole subtree. A batch that would make a category its "
            "own ancestor is rejected with code `cycle`. Categories are never deleted through "
            "the API: send `is_active: false` to hide one."
        ),
        item=CategoryItem,
        apply=apply_categories,
        example={
            "items": [
                {"id": "CAT-0001", "name": "Модульное оборудование", "sort_order": 10},
                {
                    "id": "CAT-0012",
                    "name": "Автоматические выключатели",
                    "parent_id": "CAT-0001",
                    "sort_order": 10,
                },
                {
                    "id": "CAT-0013",
                    "name": "УЗО и дифавтоматы",
                    "parent_id": "CAT-0001",
                    "sort_order": 20,
                    "is_active": True,
                },
            ]
        },
    )
)


# --- Products -------------------------------------------------------------------------------

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
ProductName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
BrandName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Unit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=16)]
PackMultiplicity = Annotated[Decimal, Field(ge=Decimal("0.001"), max_digits=14, decimal_places=3)]
_BASE64_WHITESPACE = re.compile(rb"\s+")


class ProductAttribute(Strict):
    name: Name
    value: Text


class ProductDocumentItem(Strict):
    id: ErpId = Field(description="The ERP's own id of the document.")
    kind: ProductDocument.Kind = ProductDocument.Kind.OTHER
    title: Name
    file_name: Name = Field(description="The file name a dealer downloads, e.g. `va47-29.pdf`.")
    content_base64: str = Field(
        description="The file, base64-encoded (line breaks allowed); at most 20 MB decoded."
    )


class ProductItem(ErpItem):
    code: Code = Field(description="The article (артикул) dealers search and order by.")
    name: ProductName
    category_id: ErpId | None = Field(None, description="The ERP id of the product's category.")
    brand: BrandName | None = Field(
        None, description="The brand name; a brand not known yet is created."
    )
    unit: Unit = "шт"
    pack_multiplicity: PackMultiplicity = Field(
        Decimal(1), description="Orders are rounded up to a multiple of this quantity."
    )
    vat_rate: Percent | None = Field(None, description="Empty: the supplier's standard rate.")
    attributes: list[ProductAttribute] = Field(
        default_factory=list, description="Technical attributes, in the order shown."
    )
    description: LongText = ""
    is_active: bool = Field(
        True, description="false archives the product: dealers no longer see it."
    )
    documents: list[ProductDocumentItem] | None = Field(
        None,
        max_length=50,
        description="The product's complete documentation from the ERP; omit to keep what is "
        "stored. Documents sent before and missing from the list are removed.",
    )


PRODUCT_FIELDS = [
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
    "updated_at",
]


def _decode_document(
    index: int, position: int, document: ProductDocumentItem, errors: ItemErrors
) -> bytes | None:
    field_name = f"documents[{position}].content_base64"
    encoded = _BASE64_WHITESPACE.sub(b"", document.content_base64.encode("ascii", "replace"))
    if len(encoded) // 4 * 3 > MAX_DOCUMENT_BYTES + 2:
        errors.add(index, field_name, "too_large", "the file is larger than 20 MB")
        return None
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        errors.add(index, field_name, "invalid_base64", "is not valid base64")
        return None
    if len(content) > MAX_DOCUMENT_BYTES:
        errors.add(index, field_name, "too_large", "the file is larger than 20 MB")
        return None
    if not content:
        errors.add(index, field_name, "empty", "the file is empty")
        return None
    return content


def _safe_file_name(name: str) -> str:
    # Only the last component: an ERP sends Windows paths, and `..` must never reach storage.
    base = PureWindowsPath(name.replace("/", "\\")).name.strip()
    return "" if base in ("", ".", "..") else base


@dataclass
class _Document:
    erp_id: str
    kind: str
    title: str
    file_name: str
    content: bytes


def _check_documents(
    fresh: Sequence[tuple[int, ProductItem]], errors: ItemErrors
) -> dict[str, list[_Document]]:
    """The decoded documents of every product that sent its list, by product ERP id."""
    documents: dict[str, list[_Document]] = {}
    first_at: dict[str, str] = {}
    for index, item in fresh:
        if item.documents is None:
            continue
        decoded = documents[item.id] = []
        for position, document in enumerate(item.documents):
            where = f"items[{index}].documents[{position}]"
            if document.id in first_at:
                errors.add(
                    index,
                    f"documents[{position}].id",
                    "duplicate",
                    f"document {document.id!r} is already in this batch at {first_at[document.id]}",
                )
            first_at.setdefault(document.id, where)
            file_name = _safe_file_name(document.file_name)
            if not file_name:
                errors.add(
                    index, f"documents[{position}].file_name", "invalid", "is not a file name"
                )
            content = _decode_document(index, position, document, errors)
            if content is not None and file_name:
                decoded.append(
                    _Document(document.id, document.kind, document.title, file_name, content)
                )
    return documents


def _same_file(stored: ProductDocument, document: _Document) -> bool:
    if stored.file_name != document.file_name or stored.file_size != len(document.content):
        return False
    try:
        with stored.file.open("rb") as handle:
            return bool(handle.read() == document.content)
    except OSError:
        return False


def _delete_files_on_commit(storage: Storage, stored_names: Iterable[str | None]) -> None:
    names = [name for name in stored_names if name]

    def delete() -> None:
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


def _write_documents(
    fresh: Sequence[tuple[int, ProductItem]],
    documents: dict[str, list[_Document]],
    products: dict[str, Product],
    errors: ItemErrors,
) -> None:
    if not documents:
        return
    product_ids = [products[erp_id].pk for erp_id in documents]
    document_ids = [document.erp_id for listed in documents.values() for document in listed]
    stored = {
        document.erp_id: document
        for document in ProductDocument.objects.filter(
            Q(product_id__in=product_ids, erp_id__isnull=False) | Q(erp_id__in=document_ids)
        )
        if document.erp_id
    }
    storage = ProductDocument._meta.get_field("file").storage
    kept: set[str] = set()
    written: list[str] = []
    indexes = {item.id: index for index, item in fresh}
    try:
        for product_erp_id, listed in documents.items():
            product = products[product_erp_id]
            for position, document in enumerate(listed):
                previous = stored.get(document.erp_id)
                if (
                    previous is not None
                    and previous.product_id == product.pk
                    and _same_file(previous, document)
                ):
                    previous.kind, previous.title = document.kind, document.title
                    previous.save(update_fields=["kind", "title", "updated_at"])
                    kept.add(document.erp_id)
                    continue
                if previous is not None:
                    # The erp_id is unique: the replaced row goes before its successor comes.
                    previous.delete()
                    _delete_files_on_commit(storage, [previous.file.name])
                    kept.add(document.erp_id)
                try:
                    attached = product_document_attach(
                        product=product,
                        kind=document.kind,
                        title=document.title,
                        file=ContentFile(document.content, name=document.file_name),
                        file_name=document.file_name,
                    )
                except ValidationError as error:
                    errors.add(
                        indexes[product_erp_id],
                        f"documents[{position}]",
                        "invalid",
                        " ".join(error.messages),
                    )
                    continue
                if attached.file.name:
                    written.append(attached.file.name)
                attached.erp_id = document.erp_id
                attached.save(update_fields=["erp_id"])
        errors.raise_if_any()
    except BaseException:
        # The transaction rolls back; the files written so far must not stay behind.
        for name in written:
            storage.delete(name)
        raise
    removed = [
        document
        for erp_id, document in stored.items()
        if erp_id not in kept and document.product_id in product_ids
    ]
    ProductDocument.objects.filter(pk__in=[document.pk for document in removed]).delete()
    _delete_files_on_commit(storage, [document.file.name for document in removed])


def _brands_for(names: Iterable[str]) -> dict[str, int]:
    """Brand ids by case-folded name; brands not stored yet are created."""
    wanted = {name.casefold(): name for name in names}
    if not wanted:
        return {}
    # Brands are a short list; matching them case-insensitively keeps "IEK" and "Iek" one brand.
    known = {name.casefold(): pk for pk, name in Brand.objects.values_list("id", "name")}
    missing = [Brand(name=name) for key, name in wanted.items() if key not in known]
    Brand.objects.bulk_create(missing)
    known.update({brand.name.casefold(): brand.pk for brand in missing})
    return known


def apply_products(context: ApplyContext, items: Sequence[ProductItem]) -> Applied:
    errors = ItemErrors()
    errors.refuse_duplicate_ids(list(enumerate(items)))
    errors.raise_if_any()
    fresh = context.fresh(items)
    categories = ids_by_erp_id(
        Category, [item.category_id for _, item in fresh if item.category_id is not None]
    )
    for index, item in fresh:
        if item.category_id is not None and item.category_id not in categories:
            errors.unknown(index, "category_id", "category", item.category_id)
    documents = _check_documents(fresh, errors)
    errors.raise_if_any()

    brands = _brands_for(item.brand for _, item in fresh if item.brand)
    products: dict[str, Product] = {}
    for chunk in _chunks([item.id for _, item in fresh]):
        products.update(Product.objects.in_bulk(chunk, field_name="erp_id"))
    new: list[Product] = []
    changed: list[Product] = []
    for _, item in fresh:
        product = products.get(item.id)
        if product is None:
            product = products[item.id] = Product(erp_id=item.id)
            new.append(product)
        else:
            changed.append(product)
        # Bulk writes skip Product.save(): the search fields are derived here the same way.
        product.code, product.name = item.code, item.name
        product.code_key = normalize_code(item.code)
        product.search_text = product_search_text(item.code, item.name)
        product.category_id = categories[item.category_id] if item.category_id else None
        product.brand_id = brands[item.brand.casefold()] if item.brand else None
        product.unit = item.unit
        product.pack_multiplicity = item.pack_multiplicity
        product.vat_rate = item.vat_rate
        product.attributes = [attribute.model_dump() for attribute in item.attributes]
        product.description = item.description
        product.is_active = item.is_active
        product.updated_at = context.now
    Product.objects.bulk_create(new, batch_size=1000)
    Product.objects.bulk_update(changed, PRODUCT_FIELDS, batch_size=1000)
    _write_documents(fresh, documents, products, errors)
    return Applied(created=len(new), updated=len(changed))


_DATASHEET = base64.b64encode(b"%PDF-1.4 ...").decode()

register(
    Resource(
        path="products",
        summary="Products",
        description=(
            "Upsert products by id. Every field of the item replaces the stored one "
            "(an omitted optional field takes its default), except `documents`: omitted, the "
            "stored documentation stays; sent, it is the product's complete documentation "
            "from the ERP (documents sent before and absent now are removed; an unchanged "
            "file is not written again). `category_id` is the ERP id of a category sent "
            "through `categories`; `brand` is a brand name, created when new (matched "
            "without regard to case). Documents: `content_base64` is the file in base64, at "
            "most 20 MB decoded; `kind` is one of datasheet, certificate, manual, drawing, "
            "other. Products are never deleted through the API: send `is_active: false` to "
            "archive one. A product appears in the dealers' catalog search as soon as the "
            "batch is accepted."
        ),
        item=ProductItem,
        apply=apply_products,
        example={
            "items": [
                {
                    "id": "00-00012345",
                    "version": 7,
                    "code": "MVA20-3-016-C",
                    "name": "Автоматический выключатель ВА47-29 3P 16А C 4,5кА IEK",
                    "category_id": "CAT-0012",
                    "brand": "IEK",
                    "unit": "шт",
                    "pack_multiplicity": "1",
                    "vat_rate": "22.00",
                    "attributes": [
                        {"name": "Число полюсов", "value": "3"},
                        {"name": "Номинальный ток, А", "value": "16"},
                        {"name": "Характеристика срабатывания", "value": "C"},
                    ],
                    "description": "Модульный автоматический выключатель на DIN-рейку.",
                    "is_active": True,
                    "documents": [
                        {
                            "id": "DOC-0012345-1",
                            "kind": "datasheet",
                            "title": "Паспорт ВА47-29",
                            "file_name": "va47-29.pdf",
                            "content_base64": _DATASHEET,
                        }
                    ],
                }
            ]
        },
    )
)


# --- Stock ----------------------------------------------------------------------------------


class StockRow(Strict):
    product_id: ErpId = Field(description="The ERP id of the product.")
    warehouse_id: ErpId = Field(description="The ERP id of the warehouse.")
    quantity: Quantity = Field(description="The free stock now, in the product's unit.")


def _resolve_references(
    chosen: Sequence[tuple[int, SupplyItem]], errors: ItemErrors
) -> tuple[dict[str, int], dict[str, int]]:
    """Database ids of the products and warehouses the rows refer to; unknown ones reported."""
    products = ids_by_erp_id(Product, (item.product_id for _, item in chosen))
    warehouses = ids_by_erp_id(Warehouse, (item.warehouse_id for _, item in chosen))
    for index, item in chosen:
        if item.product_id not in products:
            errors.unknown(index, "product_id", "product", item.product_id)
        if item.warehouse_id not in warehouses:
            errors.unknown(index, "warehouse_id", "warehouse", item.warehouse_id)
    return products, warehouses


STOCK_ROWS = RowShape(
    model=StockRow,
    ids=("product_id",),
    repeated_ids=("warehouse_id",),
    number="quantity",
    whole_digits=11,  # Quantity: 14 digits, 3 of them decimals
    decimal_places=3,
)
STOCK_STAGING = "erp_stock_staging"  # the batch as sent, the warehouse's database id resolved


def _stock_write(now: datetime.datetime) -> tuple[int, int]:
    """Upsert the staged rows whose product exists: (rows written, rows that were new).

    One statement: the products are resolved by a join, and the rows are written in key order,
    so two batches meeting on the same rows lock them in the same order (no deadlock).
    """
    stock, product = quoted_table(Stock), quoted_table(Product)
    # As the ORM writes it (SQLite keeps text): the full snapshot compares it with the ORM.
    stamp = connection.ops.adapt_datetimefield_value(now)
    # Only the models' own table names are interpolated into the statements.
    upsert = (
        f"INSERT INTO {stock} AS stock (product_id, warehouse_id, quantity, updated_at) "  # noqa: S608
        f"SELECT p.id, s.warehouse_id, s.quantity, %s FROM {STOCK_STAGING} s "
        f"JOIN {product} p ON p.erp_id = s.product_erp_id "
        # SQLite needs a WHERE before ON CONFLICT: it would read the ON as the join's.
        "WHERE s.warehouse_id IS NOT NULL ORDER BY p.id, s.warehouse_id "
        "ON CONFLICT (product_id, warehouse_id) DO UPDATE "
        "SET quantity = excluded.quantity, updated_at = excluded.updated_at"
    )
    if connection.vendor == "postgresql":
        # xmax is 0 only in a row version this statement inserted; an updated row carries
        # the id of the transaction that replaced its previous version.
        ((written, created),) = execute(
            f"WITH written AS ({upsert} RETURNING xmax = 0 AS inserted) "  # noqa: S608
            "SELECT count(*), count(*) FILTER (WHERE inserted) FROM written",
            [stamp],
        )
        return int(written), int(created)
    # SQLite has one writer at a time: the rows stored before the upsert are the updated ones.
    ((existing,),) = execute(
        f"SELECT count(*) FROM {STOCK_STAGING} s "  # noqa: S608
        f"JOIN {product} p ON p.erp_id = s.product_erp_id "
        f"JOIN {stock} stock ON stock.product_id = p.id AND stock.warehouse_id = s.warehouse_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(upsert, [stamp])
        written = int(cursor.rowcount)
    return written, written - int(existing)


def apply_stock(context: ApplyContext, items: Sequence[StockRow]) -> Applied:
    rows = ColumnRows.of(STOCK_ROWS, items)
    product_ids, warehouse_ids = rows.column("product_id"), rows.column("warehouse_id")
    warehouses = ids_by_erp_id(Warehouse, rows.distinct("warehouse_id"))
    stage(
        STOCK_STAGING,
        [
            Staged("product_erp_id", "varchar(80) NOT NULL", product_ids),
            Staged("warehouse_id", "bigint", list(map(warehouses.get, warehouse_ids))),
            Staged("quantity", "numeric(14, 3) NOT NULL", rows.column("quantity"), plain=True),
        ],
    )
    errors = ItemErrors()
    repeated = rows.repeated()
    written, created = (0, 0) if repeated else _stock_write(context.now)
    # Every row was written unless one names an unknown product or warehouse: then nothing is
    # (the batch's transaction is rolled back), and all of them are reported.
    if written < len(rows):
        unknown_products = set(unknown_rows(STOCK_STAGING, "product_erp_id", quoted_table(Product)))
        for index, (product_id, warehouse_id) in enumerate(
            zip(product_ids, warehouse_ids, strict=True)
        ):
            if index in unknown_products:
                errors.unknown(index, "product_id", "product", product_id)
            if warehouse_id not in warehouses:
                errors.unknown(index, "warehouse_id", "warehouse", warehouse_id)
    for index, first_index in repeated:
        errors.add(
            index,
            "",
            "duplicate",
            f"product {product_ids[index]!r} at warehouse {warehouse_ids[index]!r} is already "
            f"in this batch at items[{first_index}]",
        )
    errors.raise_if_any()
    execute(f"DROP TABLE {STOCK_STAGING}")
    deleted = 0
    if context.options.get("full_snapshot"):
        # Every row of the batch now carries this batch's time; any other row was not sent.
        deleted = (
            Stock.objects.filter(quantity__gt=0)
            .exclude(updated_at=context.now)
            .update(quantity=Decimal(0), updated_at=context.now)
        )
    return Applied(created=created, updated=written - created, deleted=deleted)


register(
    Resource(
        path="stock",
        summary="Stock",
        description=(
            "Free stock per product and warehouse, as absolute quantities (not movements): "
            "each row replaces the stored quantity of its (product_id, warehouse_id) pair, "
            "which appears at most once per batch. Send changed rows as they happen; send "
            "`full_snapshot: true` with the complete stock to have every stored row absent "
            "from the batch set to zero (counted as `deleted`)."
        ),
        item=StockRow,
        apply=apply_stock,
        read_json=STOCK_ROWS.read_json,
        options={"full_snapshot": (bool, Field(False, description=FULL_SNAPSHOT_HELP))},
        example={
            "full_snapshot": False,
            "items": [
                {"product_id": "00-00012345", "warehouse_id": "WH-MSK", "quantity": "120"},
                {"product_id": "00-00012345", "warehouse_id": "WH-SPB", "quantity": "35"},
                {"product_id": "00-00012346", "warehouse_id": "WH-MSK", "quantity": "1250.5"},
            ],
        },
    )
)


# --- Incoming supplies ----------------------------------------------------------------------

SupplyQuantity = Annotated[Decimal, Field(ge=Decimal("0.001"), max_digits=14, decimal_places=3)]


class SupplyItem(ErpItem):
    product_id: ErpId = Field(description="The ERP id of the product.")
    warehouse_id: ErpId = Field(description="The ERP id of the receiving warehouse.")
    expected_date: datetime.date
    quantity: SupplyQuantity = Field(description="The expected quantity, in the product's unit.")


def _stale_supply_ids(present: set[str]) -> list[int]:
    return [
        pk
        for pk, erp_id in IncomingSupply.objects.values_list("id", "erp_id").iterator(
            chunk_size=10_000
        )
        if erp_id not in present
    ]


def apply_incoming_supplies(context: ApplyContext, items: Sequence[SupplyItem]) -> Applied:
    errors = ItemErrors()
    errors.refuse_duplicate_ids(list(enumerate(items)))
    errors.raise_if_any()
    fresh = context.fresh(items)
    products, warehouses = _resolve_references(fresh, errors)
    errors.raise_if_any()

    stored: dict[str, IncomingSupply] = {}
    for chunk in _chunks([item.id for _, item in fresh]):
        stored.update(IncomingSupply.objects.in_bulk(chunk, field_name="erp_id"))
    new: list[IncomingSupply] = []
    changed: list[IncomingSupply] = []
    for _, item in fresh:
        supply = stored.get(item.id)
        if supply is None:
            supply = IncomingSupply(erp_id=item.id)
            new.append(supply)
        else:
            changed.append(supply)
        supply.product_id = products[item.product_id]
        supply.warehouse_id = warehouses[item.warehouse_id]
        supply.expected_date = item.expected_date
        supply.quantity = item.quantity
        supply.updated_at = context.now
    IncomingSupply.objects.bulk_create(new, batch_size=1000)
    IncomingSupply.objects.bulk_update(
        changed,
        ["product", "warehouse", "expected_date", "quantity", "updated_at"],
        batch_size=1000,
    )
    deleted = 0
    if context.options.get("full_snapshot"):
        # Items skipped as stale are still part of the snapshot: they stay.
        for stale in _chunks(_stale_supply_ids({item.id for item in items})):
            deleted += IncomingSupply.objects.filter(pk__in=stale).delete()[0]
    return Applied(created=len(new), updated=len(changed), deleted=deleted)


register(
    Resource(
        path="incoming-supplies",
        summary="Incoming supplies",
        description=(
            "Upsert expected receipts (график поступлений) by id: a quantity of a product "
            "expected at a warehouse on a date; dealers see them next to the stock. A receipt "
            "that arrived or was cancelled is removed by a batch with `full_snapshot: true`, "
            "which is the complete list of expected receipts: every stored receipt absent "
            "from it is removed (counted as `deleted`)."
        ),
        item=SupplyItem,
        apply=apply_incoming_supplies,
        options={"full_snapshot": (bool, Field(False, description=FULL_SNAPSHOT_HELP))},
        example={
            "full_snapshot": True,
            "items": [
                {
                    "id": "ПТ-000481-1",
                    "product_id": "00-00012345",
                    "warehouse_id": "WH-MSK",
                    "expected_date": "2026-12-15",
                    "quantity": "500",
                },
                {
                    "id": "ПТ-000482-1",
                    "product_id": "00-00012346",
                    "warehouse_id": "WH-SPB",
                    "expected_date": "2026-12-22",
                    "quantity": "2000",
                },
            ],
        },
    )
)
