"""Catalog reads: the category tree, product lists, availability, guarded single objects."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dealerdesk.catalog.models import (
    Brand,
    Category,
    IncomingSupply,
    Product,
    ProductDocument,
    Stock,
    Warehouse,
)
from dealerdesk.catalog.search import search_product_ids
from dealerdesk.tenancy.scope import Scope

# --- Availability ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StockLevel:
    warehouse_id: int
    warehouse_name: str
    quantity: Decimal
    updated_at: datetime.datetime | None


@dataclass(frozen=True)
class IncomingLine:
    warehouse_name: str
    expected_date: datetime.date
    quantity: Decimal


@dataclass(frozen=True)
class Availability:
    """Stock per warehouse and expected receipts."""

    stock: tuple[StockLevel, ...] = ()
    incoming: tuple[IncomingLine, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum((level.quantity for level in self.stock), Decimal(0))

    @property
    def updated_at(self) -> datetime.datetime | None:
        """When the ERP last reported any of the figures shown."""
        times = [level.updated_at for level in self.stock if level.updated_at is not None]
        return max(times) if times else None

    @property
    def is_in_stock(self) -> bool:
        return self.total > 0

    @property
    def incoming_total(self) -> Decimal:
        return sum((line.quantity for line in self.incoming), Decimal(0))

    @property
    def next_incoming(self) -> IncomingLine | None:
        return self.incoming[0] if self.incoming else None


@dataclass
class AvailabilityReader:
    """Reads availability for batches of products in two queries, whatever the batch size.

    Lists and the cart show the warehouses that hold stock; a product page asks for
    `every_warehouse` and also sees the ones that have none (one more query).
    """

    _warehouses: list[Warehouse] | None = field(default=None, init=False)

    def warehouses(self) -> list[Warehouse]:
        if self._warehouses is None:
            self._warehouses = list(Warehouse.objects.filter(is_active=True))
        return self._warehouses

    def for_products(
        self, product_ids: Iterable[int], *, every_warehouse: bool = False
    ) -> dict[int, Availability]:
        ids = list(set(product_ids))
        if not ids:
            return {}
        stock_rows: dict[int, list[StockLevel]] = defaultdict(list)
        for product_id, warehouse_id, warehouse_name, quantity, updated_at in (
            Stock.objects.filter(product_id__in=ids, warehouse__is_active=True)
            .order_by("warehouse__sort_order", "warehouse__name", "warehouse_id")
            .values_list("product_id", "warehouse_id", "warehouse__name", "quantity", "updated_at")
        ):
            stock_rows[product_id].append(
                StockLevel(warehouse_id, warehouse_name, quantity, updated_at)
            )
        incoming_rows: dict[int, list[IncomingLine]] = defaultdict(list)
        for product_id, warehouse_name, expected_date, quantity in (
            IncomingSupply.objects.filter(
                product_id__in=ids,
                warehouse__is_active=True,
                expected_date__gte=timezone.localdate(),
            )
            .order_by("expected_date", "id")
            .values_list("product_id", "warehouse__name", "expected_date", "quantity")
        ):
            incoming_rows[product_id].append(IncomingLine(warehouse_name, expected_date, quantity))
        result = {}
        for product_id in ids:
            levels = stock_rows.get(product_id, [])
            if every_warehouse:
                held = {level.warehouse_id: level for level in levels}
                levels = [
                    held.get(warehouse.id)
                    or StockLevel(warehouse.id, warehouse.name, Decimal(0), None)
                    for warehouse in self.warehouses()
                ]
            result[product_id] = Availability(
                tuple(levels), tuple(incoming_rows.get(product_id, ()))
            )
        return result


# --- Category tree --------------------------------------------------------------------------


@dataclass
class CategoryNode:
    id: int
    name: str
    depth: int
    children: list[CategoryNode] = field(default_factory=list)
    is_current: bool = False
    is_open: bool = False


def category_sidebar(current: Category | None) -> list[CategoryNode]:
    """Root categories, with the branch down to the current category opened; one query."""
    open_ids = set(current.ancestor_ids) if current else set()
    rows = Category.objects.filter(is_active=True).filter(
        Q(parent__isnull=True) | Q(parent_id__in=open_ids)
    )
    nodes = {
        row.id: CategoryNode(
            row.id,
            row.name,
            row.depth,
            is_current=current is not None and row.id == current.id,
            is_open=row.id in open_ids,
        )
        for row in rows
    }
    roots: list[CategoryNode] = []
    for row in rows:
        node = nodes[row.id]
        if row.parent_id is None:
            roots.append(node)
        elif row.parent_id in nodes:
            nodes[row.parent_id].children.append(node)
    return roots


def category_breadcrumbs(category: Category) -> list[Category]:
    ids = list(reversed(category.ancestor_ids))
    by_id = Category.objects.in_bulk(ids)
    return [by_id[category_id] for category_id in ids if category_id in by_id]


def category_children(category: Category | None) -> QuerySet[Category]:
    return Category.objects.filter(is_active=True, parent=category)


def access_category(scope: Scope, category_id: int) -> Category:
    if not scope.is_dealer:
        raise Http404
    try:
        return Category.objects.get(id=category_id, is_active=True)
    except Category.DoesNotExist as missing:
        raise Http404 from missing


# --- Products -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductFilters:
    category: Category | None = None
    brand_id: int | None = None
    in_stock_only: bool = False
    query: str = ""


@dataclass(frozen=True)
class ProductPage:
    products: list[Product]
    number: int
    has_previous: bool
    has_next: bool
    # Search results are capped: a broad query asks for refinement, not for page 400.
    is_capped_search: bool = False


SEARCH_RESULTS_CAP = 100
# Lists show code, name, brand, unit and pack; the long fields stay in the database.
LIST_DEFERRED_FIELDS = ("attributes", "description", "search_text", "created_at", "updated_at")


def _in_stock() -> Exists:
    return Exists(Stock.objects.filter(product_id=OuterRef("pk"), quantity__gt=0))


def product_page(filters: ProductFilters, *, page: int, page_size: int) -> ProductPage:
    """One page of products, without counting them all (a count over a million rows costs
    more than the page itself): one extra row tells whether a next page exists."""
    page = max(page, 1)
    products = (
        Product.objects.filter(is_active=True)
        .select_related("brand", "category")
        .defer(*LIST_DEFERRED_FIELDS)
    )
    if filters.category is not None:
        products = products.filter(category__path__startswith=filters.category.path)
    if filters.brand_id is not None:
        products = products.filter(brand_id=filters.brand_id)
    if filters.in_stock_only:
        products = products.filter(_in_stock())
    if filters.query:
        ranked_ids = search_product_ids(filters.query, limit=SEARCH_RESULTS_CAP)
        by_id = products.in_bulk(ranked_ids)
        matches = [by_id[product_id] for product_id in ranked_ids if product_id in by_id]
        start = (page - 1) * page_size
        return ProductPage(
            products=matches[start : start + page_size],
            number=page,
            has_previous=page > 1,
            has_next=len(matches) > start + page_size,
            is_capped_search=len(ranked_ids) >= SEARCH_RESULTS_CAP,
        )
    offset = (page - 1) * page_size
    rows = list(products.order_by("code", "id")[offset : offset + page_size + 1])
    return ProductPage(
        products=rows[:page_size],
        number=page,
        has_previous=page > 1,
        has_next=len(rows) > page_size,
    )


def products_by_ids(product_ids: Sequence[int]) -> list[Product]:
    """Active products in the order of the ids given, with brand and category."""
    by_id = (
        Product.objects.filter(is_active=True)
        .select_related("brand", "category")
        .defer(*LIST_DEFERRED_FIELDS)
        .in_bulk(product_ids)
    )
    return [by_id[product_id] for product_id in product_ids if product_id in by_id]


def brands_in(category: Category | None) -> QuerySet[Brand]:
    brands = Brand.objects.all()
    if category is not None:
        brands = brands.filter(
            Exists(
                Product.objects.filter(
                    brand_id=OuterRef("pk"),
                    is_active=True,
                    category__path__startswith=category.path,
                )
            )
        )
    return brands


def access_product(scope: Scope, product_id: int) -> Product:
    """An active product, for a dealer's employee; 404 otherwise."""
    if not scope.is_dealer:
        raise Http404
    try:
        return Product.objects.select_related("brand", "category").get(
            id=product_id, is_active=True
        )
    except Product.DoesNotExist as missing:
        raise Http404 from missing


def product_documents(product: Product) -> QuerySet[ProductDocument]:
    return product.documents.all()


def access_product_document(scope: Scope, document_id: int) -> ProductDocument:
    """Documentation of an active product, for dealers' employees and supplier staff."""
    if not (scope.is_dealer or scope.is_manager):
        raise Http404
    try:
        return ProductDocument.objects.select_related("product").get(
            id=document_id, product__is_active=True
        )
    except ProductDocument.DoesNotExist as missing:
        raise Http404 from missing
