"""Order reads: the cart as the dealer sees it, the paste preview, placed orders."""

from __future__ import annotations

import datetime
import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dealerdesk.catalog.models import Product, ProductDocument
from dealerdesk.companies.models import SupplierSettings
from dealerdesk.core.text import normalize_code, normalize_search_text
from dealerdesk.documents.models import Document
from dealerdesk.orders.calculation import (
    LineAmounts,
    Totals,
    line_amounts,
    need_for,
    round_up_to_pack,
)
from dealerdesk.orders.models import (
    DraftLine,
    DraftOrder,
    Need,
    Order,
    OrderLine,
    OrderNote,
    OrderStatusChange,
)
from dealerdesk.orders.paste import PastedLine
from dealerdesk.pricing.strategy import PricingStrategy, PurchaseInfo
from dealerdesk.shipments.models import Shipment
from dealerdesk.tenancy.rights import Right
from dealerdesk.tenancy.scope import Scope


def vat_rate_for(product: Product, supplier: SupplierSettings) -> Decimal:
    return product.vat_rate if product.vat_rate is not None else supplier.vat_rate


# --- The cart -------------------------------------------------------------------------------


def draft_for(scope: Scope) -> DraftOrder | None:
    """The user's draft for the current legal entity, if there is one."""
    if scope.legal_entity_id is None:
        return None
    return (
        DraftOrder.objects.for_scope(scope)
        .filter(legal_entity_id=scope.legal_entity_id)
        .select_related("delivery_method", "pickup_warehouse")
        .first()
    )


def access_draft_line(scope: Scope, line_id: int) -> DraftLine:
    """A line of the user's own draft for the current legal entity; 404 for any other."""
    try:
        return DraftLine.objects.get(
            id=line_id,
            draft__in=DraftOrder.objects.for_scope(scope).filter(
                legal_entity_id=scope.legal_entity_id
            ),
        )
    except DraftLine.DoesNotExist as missing:
        raise Http404 from missing


@dataclass(frozen=True)
class CartLine:
    id: int
    product: Product
    quantity: Decimal
    purchase: PurchaseInfo
    amounts: LineAmounts | None  # None: the product has no price (or prices are hidden)
    need: Decimal

    @property
    def is_priced(self) -> bool:
        return self.amounts is not None

    @property
    def covered(self) -> Decimal:
        return self.quantity - self.need


@dataclass(frozen=True)
class Cart:
    draft: DraftOrder | None
    lines: list[CartLine]  # every line, in the order they were added
    totals: Totals
    unpriced_lines: int

    @property
    def version(self) -> int:
        return self.draft.version if self.draft else 0

    @property
    def need_lines(self) -> int:
        return sum(1 for line in self.lines if line.need > 0)

    def matching(self, query: str) -> list[CartLine]:
        """Lines whose code or name contains every word of the query (F7)."""
        words = normalize_search_text(query).split()
        if not words:
            return self.lines
        return [
            line for line in self.lines if all(word in line.product.search_text for word in words)
        ]


def cart_for(
    draft: DraftOrder | None, *, strategy: PricingStrategy, supplier: SupplierSettings
) -> Cart:
    """The whole cart priced for the draft's legal entity, in a fixed number of queries."""
    if draft is None:
        return Cart(None, [], Totals.of([]), 0)
    draft_lines = list(
        DraftLine.objects.filter(draft=draft)
        .select_related("product", "product__category")
        .order_by("added_at", "id")
    )
    products = [line.product for line in draft_lines]
    purchase = strategy.fetch_for_products(products)
    lines: list[CartLine] = []
    for draft_line in draft_lines:
        product = draft_line.product
        info = purchase[product.id]
        amounts = None
        if info.price is not None:
            amounts = line_amounts(
                price=info.price.net,
                quantity=draft_line.quantity,
                vat_rate=vat_rate_for(product, supplier),
                prices_include_vat=info.price.includes_vat,
            )
        lines.append(
            CartLine(
                id=draft_line.id,
                product=product,
                quantity=draft_line.quantity,
                purchase=info,
                amounts=amounts,
                need=need_for(draft_line.quantity, info.availability.total),
            )
        )
    totals = Totals.of(line.amounts for line in lines if line.amounts is not None)
    unpriced = sum(1 for line in lines if line.amounts is None)
    return Cart(draft, lines, totals, unpriced)


# --- Paste preview --------------------------------------------------------------------------


class PasteOutcome(enum.StrEnum):
    MATCHED = "matched"
    UNREADABLE = "unreadable"  # no code, or a quantity that is not a number
    UNKNOWN = "unknown"
    AMBIGUOUS = "ambiguous"
    DISCONTINUED = "discontinued"


OUTCOME_LABELS = {
    PasteOutcome.MATCHED: gettext_lazy("recognised"),
    PasteOutcome.UNREADABLE: gettext_lazy("cannot be read"),
    PasteOutcome.UNKNOWN: gettext_lazy("unknown code"),
    PasteOutcome.AMBIGUOUS: gettext_lazy("ambiguous code"),
    PasteOutcome.DISCONTINUED: gettext_lazy("discontinued"),
}


@dataclass
class PreviewLine:
    pasted: PastedLine
    outcome: PasteOutcome
    product: Product | None = None
    message: str = ""

    @property
    def is_matched(self) -> bool:
        return self.outcome is PasteOutcome.MATCHED

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])


@dataclass(frozen=True)
class PreviewProduct:
    """What applying the paste does to one product: pasted lines summed, rounded to the pack."""

    product: Product
    pasted_quantity: Decimal
    quantity: Decimal  # rounded up to the pack multiplicity
    in_cart: Decimal
    purchase: PurchaseInfo
    line_numbers: list[int]

    @property
    def is_rounded(self) -> bool:
        return self.quantity != self.pasted_quantity

    @property
    def need(self) -> Decimal:
        return need_for(self.in_cart + self.quantity, self.purchase.availability.total)


@dataclass
class PastePreview:
    lines: list[PreviewLine]
    products: list[PreviewProduct] = field(default_factory=list)

    @property
    def problems(self) -> list[PreviewLine]:
        return [line for line in self.lines if not line.is_matched]

    @property
    def matched_count(self) -> int:
        return sum(1 for line in self.lines if line.is_matched)

    def count(self, outcome: PasteOutcome) -> int:
        return sum(1 for line in self.lines if line.outcome is outcome)


def paste_preview(
    pasted: Sequence[PastedLine],
    *,
    strategy: PricingStrategy,
    in_cart: dict[int, Decimal],
) -> PastePreview:
    """Match every pasted line to a product by its code; four queries whatever the size."""
    keys = {normalize_code(line.code) for line in pasted if line.is_readable}
    candidates: dict[str, list[Product]] = defaultdict(list)
    for product in Product.objects.filter(code_key__in=keys).only(
        "id", "code", "code_key", "name", "unit", "pack_multiplicity", "is_active", "category_id"
    ):
        candidates[product.code_key].append(product)

    lines: list[PreviewLine] = []
    summed: dict[int, tuple[Product, Decimal, list[int]]] = {}
    for line in pasted:
        if not line.is_readable:
            lines.append(PreviewLine(line, PasteOutcome.UNREADABLE, message=line.problem))
            continue
        found = candidates.get(normalize_code(line.code), [])
        active = [product for product in found if product.is_active]
        if len(active) == 1:
            product = active[0]
            quantity = line.quantity or Decimal(1)
            _known, total, numbers = summed.get(product.id, (product, Decimal(0), []))
            summed[product.id] = (product, total + quantity, [*numbers, line.line_number])
            lines.append(PreviewLine(line, PasteOutcome.MATCHED, product=product))
        elif len(active) > 1:
            lines.append(
                PreviewLine(
                    line,
                    PasteOutcome.AMBIGUOUS,
                    message=_("%(count)s products have this code: %(codes)s.")
                    % {"count": len(active), "codes": ", ".join(p.code for p in active[:5])},
                )
            )
        elif found:
            lines.append(
                PreviewLine(
                    line,
                    PasteOutcome.DISCONTINUED,
                    message=_("The product is no longer sold."),
                )
            )
        else:
            lines.append(
                PreviewLine(line, PasteOutcome.UNKNOWN, message=_("No product has this code."))
            )

    purchase = strategy.fetch_for_products([product for product, _q, _n in summed.values()])
    products = [
        PreviewProduct(
            product=product,
            pasted_quantity=total,
            quantity=round_up_to_pack(total, product.pack_multiplicity),
            in_cart=in_cart.get(product.id, Decimal(0)),
            purchase=purchase[product.id],
            line_numbers=numbers,
        )
        for product, total, numbers in summed.values()
    ]
    return PastePreview(lines=lines, products=products)


# --- Placed orders --------------------------------------------------------------------------


def access_order(scope: Scope, order_id: int) -> Order:
    """An order of a legal entity the user may see; 404 for missing and foreign alike."""
    try:
        return (
            Order.objects.for_scope(scope)
            .select_related(
                "legal_entity", "status", "delivery_method", "pickup_warehouse", "author"
            )
            .get(id=order_id)
        )
    except Order.DoesNotExist as missing:
        raise Http404 from missing


def can_place_orders(scope: Scope) -> bool:
    return scope.has_right(Right.PLACE_ORDERS)


# --- The journal --------------------------------------------------------------------------


class JournalSort(enum.StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"


@dataclass(frozen=True)
class JournalFilters:
    status_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    legal_entity_id: int | None = None
    author_id: int | None = None
    number: str = ""
    sort: JournalSort = JournalSort.NEWEST

    @classmethod
    def from_query(cls, query: QueryDict) -> JournalFilters:
        """Read the filters from a query string; whatever cannot be read is ignored."""
        return cls(
            status_id=_positive(query.get("status")),
            date_from=_date(query.get("from")),
            date_to=_date(query.get("to")),
            legal_entity_id=_positive(query.get("entity")),
            author_id=_positive(query.get("author")),
            number=query.get("number", "").strip()[:60],
            sort=JournalSort.OLDEST if query.get("sort") == "oldest" else JournalSort.NEWEST,
        )

    @property
    def is_filtered(self) -> bool:
        return any(
            (
                self.status_id,
                self.date_from,
                self.date_to,
                self.legal_entity_id,
                self.author_id,
                self.number,
            )
        )


def _positive(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if value > 0 else None


def _date(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw or "")
    except ValueError:
        return None


def order_journal(scope: Scope, filters: JournalFilters) -> QuerySet[Order]:
    """Orders of every legal entity the user may see, filtered; the user's noted ones marked."""
    orders = (
        Order.objects.for_scope(scope)
        .select_related("legal_entity", "author", "status", "delivery_method")
        .annotate(
            has_note=Exists(
                OrderNote.objects.of_author(scope.user_id).filter(order_id=OuterRef("pk"))
            )
        )
    )
    if filters.status_id:
        orders = orders.filter(status_id=filters.status_id)
    if filters.legal_entity_id:
        orders = orders.filter(legal_entity_id=filters.legal_entity_id)
    if filters.author_id:
        orders = orders.filter(author_id=filters.author_id)
    timezone_now = timezone.get_current_timezone()
    if filters.date_from:
        start = datetime.datetime.combine(filters.date_from, datetime.time.min, timezone_now)
        orders = orders.filter(placed_at__gte=start)
    if filters.date_to:
        end = datetime.datetime.combine(
            filters.date_to + datetime.timedelta(days=1), datetime.time.min, timezone_now
        )
        orders = orders.filter(placed_at__lt=end)
    if filters.number:
        orders = orders.filter(
            Q(number__icontains=filters.number) | Q(erp_number__icontains=filters.number)
        )
    ordering = ("placed_at", "id") if filters.sort is JournalSort.OLDEST else ("-placed_at", "-id")
    return orders.order_by(*ordering)


# --- Order detail ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderDetail:
    order: Order
    lines: list[OrderLine]
    history: list[OrderStatusChange]
    shipments: list[Shipment]
    documents: list[Document]
    product_documents: dict[int, list[ProductDocument]]
    note: OrderNote | None

    @property
    def cancelled_lines(self) -> list[OrderLine]:
        return cancelled_lines(self.lines)

    @property
    def offers_cancelled_items_list(self) -> bool:
        return cancelled_items_list_offered(self.lines, self.documents)


def cancelled_lines(lines: Iterable[OrderLine]) -> list[OrderLine]:
    return [line for line in lines if line.cancelled_quantity > 0]


def cancelled_items_list_offered(lines: Sequence[OrderLine], documents: Sequence[Document]) -> bool:
    """Whether an order page offers the generated list of cancelled items: lines were
    cancelled and the ERP sent no such list of its own (the dealer's page and the manager's)."""
    return bool(cancelled_lines(lines)) and not any(
        document.type.code == "cancelled_items" for document in documents
    )


def order_detail(scope: Scope, order: Order) -> OrderDetail:
    """Everything the order page shows, in a fixed number of queries."""
    lines = list(order.lines.select_related("need").order_by("position"))
    product_documents: dict[int, list[ProductDocument]] = defaultdict(list)
    for document in ProductDocument.objects.filter(
        product_id__in={line.product_id for line in lines}
    ).order_by("kind", "title"):
        product_documents[document.product_id].append(document)
    return OrderDetail(
        order=order,
        lines=lines,
        history=list(order.status_history.select_related("status")),
        shipments=list(order.shipments.prefetch_related("lines").order_by("shipped_at", "id")),
        documents=list(
            Document.objects.for_scope(scope).filter(order=order).select_related("type")
        ),
        product_documents=dict(product_documents),
        note=OrderNote.objects.of_author(scope.user_id).filter(order=order).first(),
    )


def supply_reserved_quantities(supply_ids: Sequence[int]) -> dict[int, Decimal]:
    """What the needs reserved in each incoming supply already hold (absent: nothing)."""
    rows = (
        Need.objects.filter(supply_id__in=supply_ids, status=Need.Status.RESERVED)
        .values("supply_id")
        .annotate(reserved=Sum("quantity"))
        .values_list("supply_id", "reserved")
    )
    return dict(rows)
