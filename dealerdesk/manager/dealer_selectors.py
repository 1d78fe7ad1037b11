"""What a supplier manager reads about dealers: the dealer list and card, any dealer's orders,
shipments, documents and claims.

Every queryset here is narrowed by `scope.managed_dealers_q(...)`, and a single object comes
only from an `access_*` function answering 404 both for "missing" and for "a dealer the
manager does not look after".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dealerdesk.accounts.models import User
from dealerdesk.companies.models import Dealer, LegalEntity
from dealerdesk.core.text import fold
from dealerdesk.documents.models import Document
from dealerdesk.finance.ledger import Ledger
from dealerdesk.finance.models import CreditTerms, SettlementRecord
from dealerdesk.finance.selectors import credit_terms_of, ledgers
from dealerdesk.orders.models import Order, OrderLine, OrderStatusChange
from dealerdesk.orders.selectors import cancelled_items_list_offered, cancelled_lines
from dealerdesk.shipments.models import Claim, ClaimAttachment, ClaimEvent, Shipment, ShipmentLine
from dealerdesk.tenancy.scope import Scope

RECENT_ORDERS = 20
RECENT_SHIPMENTS = 10
OPEN_CLAIM_STATUSES = (Claim.Status.SUBMITTED, Claim.Status.IN_REVIEW)
# A claim left unanswered this long is shown as overdue in the claim list.
CLAIM_ANSWER_DAYS = 3
_MONEY = DecimalField(max_digits=16, decimal_places=2)
_ZERO = Value(Decimal("0.00"), output_field=_MONEY)


def _dealer_ids_matching(scope: Scope, query: str) -> set[int]:
    """Dealers whose name, or a legal entity's name or INN, contains the query, in any case.

    Compared in Python with `fold`: SQLite's LIKE folds only ASCII letters, so `icontains`
    would miss "светторг" in "СветТорг" there. A supplier has thousands of dealers at most,
    so two narrow reads are cheap."""
    wanted = fold(query)
    found = {
        dealer_id
        for dealer_id, name in Dealer.objects.filter(scope.managed_dealers_q("id")).values_list(
            "id", "name"
        )
        if wanted in fold(name)
    }
    entities = LegalEntity.objects.filter(scope.managed_dealers_q("dealer_id")).values_list(
        "dealer_id", "name", "inn"
    )
    found.update(
        dealer_id
        for dealer_id, name, inn in entities
        if wanted in fold(name) or inn.startswith(query)
    )
    return found


def _positive(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and int(raw) > 0 else None


# --- Dealers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DealerFilters:
    query: str = ""
    blocked: bool | None = None  # None: blocked and active alike

    @classmethod
    def from_query(cls, query: QueryDict) -> DealerFilters:
        raw_blocked = query.get("blocked", "")
        return cls(
            query=query.get("q", "").strip()[:100],
            blocked={"1": True, "0": False}.get(raw_blocked),
        )


def _users_count() -> Subquery:
    return Subquery(
        User.objects.filter(dealer_id=OuterRef("pk"))
        .order_by()
        .values("dealer_id")
        .annotate(count=Count("id"))
        .values("count")
    )


def _balance_of_dealer(as_of: datetime.date) -> Coalesce:
    """What the dealer owes across its legal entities (debits less credits up to `as_of`):
    the balance `finance.ledger` computes, without building the ledgers."""
    totals = (
        SettlementRecord.objects.filter(dealer_id=OuterRef("pk"), date__lte=as_of)
        .order_by()
        .values("dealer_id")
        .annotate(balance=Sum(F("debit") - F("credit"), output_field=_MONEY))
        .values("balance")
    )
    return Coalesce(Subquery(totals, output_field=_MONEY), _ZERO)


def dealer_list(scope: Scope, filters: DealerFilters) -> QuerySet[Dealer]:
    """The dealers the manager looks after, with what the list shows, in a fixed number of
    queries: the page itself, then its legal entities (with credit terms) and managers."""
    dealers = Dealer.objects.filter(scope.managed_dealers_q("id"))
    if filters.query:
        dealers = dealers.filter(id__in=_dealer_ids_matching(scope, filters.query))
    if filters.blocked is not None:
        dealers = dealers.filter(is_blocked=filters.blocked)
    last_order = (
        Order.objects.filter(dealer_id=OuterRef("pk"))
        .order_by()
        .values("dealer_id")
        .annotate(last=Max("placed_at"))
        .values("last")
    )
    return (
        dealers.annotate(
            users_count=Coalesce(_users_count(), 0),
            last_order_at=Subquery(last_order),
            balance=_balance_of_dealer(timezone.localdate()),
        )
        .prefetch_related(
            Prefetch(
                "legal_entities",
                queryset=LegalEntity.objects.select_related("credit_terms"),
            ),
            Prefetch("managers", queryset=User.objects.order_by("full_name", "email")),
        )
        .order_by("name", "id")
    )


def access_dealer(scope: Scope, dealer_id: int) -> Dealer:
    return get_object_or_404(Dealer.objects.filter(scope.managed_dealers_q("id")), id=dealer_id)


@dataclass(frozen=True)
class EntityTerms:
    legal_entity: LegalEntity
    terms: CreditTerms | None
    ledger: Ledger  # as the dealer's receivables page computes it, today

    @property
    def balance(self) -> Decimal:
        return self.ledger.balance

    @property
    def overdue(self) -> Decimal:
        return self.ledger.overdue

    @property
    def is_over_limit(self) -> bool:
        return self.terms is not None and self.balance > self.terms.credit_limit


@dataclass(frozen=True)
class DealerCard:
    dealer: Dealer
    entities: list[EntityTerms]
    users: list[User]
    managers: list[User]
    orders: list[Order]
    shipments: list[Shipment]
    open_claims: list[Claim]

    @property
    def balance(self) -> Decimal:
        return sum((item.balance for item in self.entities), Decimal("0.00"))

    @property
    def overdue(self) -> Decimal:
        return sum((item.overdue for item in self.entities), Decimal("0.00"))

    @property
    def credit_limit(self) -> Decimal:
        return sum(
            (item.terms.credit_limit for item in self.entities if item.terms), Decimal("0.00")
        )


def dealer_card(dealer: Dealer) -> DealerCard:
    """Everything the dealer page shows, in a fixed number of queries."""
    # The ledgers of the receivables page: the same balance, and what is overdue by the
    # payment terms (two queries for all the dealer's legal entities).
    by_entity = ledgers(
        dealer.legal_entities.select_related("credit_terms").order_by("-is_main", "name"),
        timezone.localdate(),
    )
    entities = [
        EntityTerms(legal_entity=entity, terms=credit_terms_of(entity), ledger=ledger)
        for entity, ledger in by_entity.values()
    ]
    return DealerCard(
        dealer=dealer,
        entities=entities,
        users=list(dealer.users.order_by("-is_active", "full_name", "email")),
        managers=list(dealer.managers.order_by("full_name", "email")),
        orders=list(
            Order.objects.filter(dealer=dealer)
            .select_related("legal_entity", "status", "author")
            .order_by("-placed_at", "-id")[:RECENT_ORDERS]
        ),
        shipments=list(
            Shipment.objects.filter(dealer=dealer)
            .select_related("legal_entity", "order")
            .order_by("-shipped_at", "-id")[:RECENT_SHIPMENTS]
        ),
        open_claims=list(
            Claim.objects.filter(dealer=dealer, status__in=OPEN_CLAIM_STATUSES)
            .select_related("legal_entity", "shipment", "shipment_line")
            .order_by("created_at", "id")
        ),
    )


# --- Orders and shipments ---------------------------------------------------------------------


def access_order(scope: Scope, order_id: int) -> Order:
    orders = Order.objects.filter(scope.managed_dealers_q("dealer_id")).select_related(
        "dealer", "legal_entity", "status", "delivery_method", "pickup_warehouse", "author"
    )
    return get_object_or_404(orders, id=order_id)


@dataclass(frozen=True)
class OrderCard:
    """The manager's read-only view of an order. Private notes are not part of it: a note
    is its author's alone, whoever else may see the order."""

    order: Order
    lines: list[OrderLine]
    history: list[OrderStatusChange]
    shipments: list[Shipment]
    documents: list[Document]

    @property
    def need_lines(self) -> list[OrderLine]:
        return [line for line in self.lines if line.need_quantity > 0]

    @property
    def cancelled_lines(self) -> list[OrderLine]:
        return cancelled_lines(self.lines)

    @property
    def offers_cancelled_items_list(self) -> bool:
        return cancelled_items_list_offered(self.lines, self.documents)


def order_card(order: Order) -> OrderCard:
    return OrderCard(
        order=order,
        lines=list(order.lines.select_related("need").order_by("position")),
        history=list(order.status_history.select_related("status")),
        shipments=list(order.shipments.prefetch_related("lines").order_by("shipped_at", "id")),
        documents=list(order.documents.select_related("type")),
    )


def access_shipment(scope: Scope, shipment_id: int) -> Shipment:
    shipments = Shipment.objects.filter(scope.managed_dealers_q("dealer_id")).select_related(
        "dealer", "legal_entity", "order", "warehouse"
    )
    return get_object_or_404(shipments, id=shipment_id)


@dataclass(frozen=True)
class ShipmentCard:
    shipment: Shipment
    lines: list[ShipmentLine]
    documents: list[Document]
    claims: list[Claim]


def shipment_card(shipment: Shipment) -> ShipmentCard:
    return ShipmentCard(
        shipment=shipment,
        lines=list(shipment.lines.order_by("position")),
        documents=list(shipment.documents.select_related("type")),
        claims=list(shipment.claims.select_related("shipment_line").order_by("created_at", "id")),
    )


def access_document(scope: Scope, document_id: int) -> Document:
    """Any document of a dealer the manager looks after, financial ones included."""
    documents = Document.objects.filter(scope.managed_dealers_q("dealer_id"))
    return get_object_or_404(documents, id=document_id)


# --- Claims -----------------------------------------------------------------------------------

OPEN_STATUS_FILTER = "open"


@dataclass(frozen=True)
class ClaimFilters:
    status: str = ""  # a claim status, "open" (submitted or in review), or "" for any
    dealer_id: int | None = None

    @classmethod
    def from_query(cls, query: QueryDict) -> ClaimFilters:
        status = query.get("status", "")
        if status != OPEN_STATUS_FILTER and status not in Claim.Status.values:
            status = ""
        return cls(status=status, dealer_id=_positive(query.get("dealer")))


def claim_list(scope: Scope, filters: ClaimFilters) -> QuerySet[Claim]:
    """Claims of the dealers the manager looks after; open ones oldest first (they wait
    longest), the rest newest first."""
    is_open = Q(status__in=OPEN_CLAIM_STATUSES)
    answer_due = timezone.now() - datetime.timedelta(days=CLAIM_ANSWER_DAYS)
    claims = (
        Claim.objects.filter(scope.managed_dealers_q("dealer_id"))
        .select_related("dealer", "legal_entity", "shipment", "shipment_line", "author")
        .annotate(
            is_open=Case(When(is_open, then=True), default=False),
            is_answer_overdue=Case(
                When(is_open & Q(created_at__lt=answer_due), then=True), default=False
            ),
        )
    )
    if filters.dealer_id:
        claims = claims.filter(dealer_id=filters.dealer_id)
    if filters.status == OPEN_STATUS_FILTER:
        return claims.filter(status__in=OPEN_CLAIM_STATUSES).order_by("created_at", "id")
    if filters.status:
        claims = claims.filter(status=filters.status)
    return claims.order_by("-created_at", "-id")


def claim_dealers(scope: Scope) -> QuerySet[Dealer]:
    """Dealers to filter the claim list by: those with claims, among the manager's."""
    return (
        Dealer.objects.filter(scope.managed_dealers_q("id"))
        .filter(Exists(Claim.objects.filter(dealer_id=OuterRef("pk"))))
        .only("id", "name")
        .order_by("name")
    )


def access_claim(scope: Scope, claim_id: int) -> Claim:
    claims = Claim.objects.filter(scope.managed_dealers_q("dealer_id")).select_related(
        "dealer", "legal_entity", "shipment", "shipment__order", "shipment_line", "author"
    )
    return get_object_or_404(claims, id=claim_id)


@dataclass(frozen=True)
class ClaimCard:
    claim: Claim
    attachments: list[ClaimAttachment]
    events: list[ClaimEvent]


def claim_card(claim: Claim) -> ClaimCard:
    return ClaimCard(
        claim=claim,
        attachments=list(claim.attachments.all()),
        events=list(claim.events.select_related("author")),
    )


def access_claim_attachment(scope: Scope, attachment_id: int) -> ClaimAttachment:
    attachments = ClaimAttachment.objects.filter(scope.managed_dealers_q("claim__dealer_id"))
    return get_object_or_404(attachments, id=attachment_id)
