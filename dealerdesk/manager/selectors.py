"""Reads of the manager workspace: the needs queue, new-company requests, the start page.

Every queryset is narrowed to the dealers the manager looks after
(`Scope.managed_dealers_q`); single objects come from `access_*` functions answering 404 both
for a missing object and for another manager's dealer.
"""

from __future__ import annotations

import datetime
import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum
from django.http import Http404, QueryDict
from django.utils import timezone

from dealerdesk.catalog.models import IncomingSupply
from dealerdesk.companies.models import CompanyRequest, Dealer
from dealerdesk.orders.models import Need, Order
from dealerdesk.orders.selectors import supply_reserved_quantities
from dealerdesk.shipments.models import Claim
from dealerdesk.tenancy.scope import Scope

RESERVED = Need.Status.RESERVED


def _positive(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if value > 0 else None


def managed_dealers(scope: Scope) -> QuerySet[Dealer]:
    """The dealers the manager looks after, for filters: names only."""
    return Dealer.objects.filter(scope.managed_dealers_q("id")).only("id", "name").order_by("name")


# --- The needs queue ---------------------------------------------------------------------------


class NeedState(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    ALL = "all"


class NeedSort(enum.StrEnum):
    OLDEST = "oldest"
    NEWEST = "newest"
    QUANTITY = "quantity"
    DEALER = "dealer"
    PRODUCT = "product"


NEED_ORDERING: dict[NeedSort, tuple[str, ...]] = {
    NeedSort.OLDEST: ("created_at", "id"),
    NeedSort.NEWEST: ("-created_at", "-id"),
    NeedSort.QUANTITY: ("-quantity", "created_at", "id"),
    NeedSort.DEALER: ("dealer__name", "legal_entity__name", "created_at", "id"),
    NeedSort.PRODUCT: ("product__code", "created_at", "id"),
}


@dataclass(frozen=True)
class NeedFilters:
    state: NeedState = NeedState.OPEN
    dealer_id: int | None = None
    query: str = ""  # a product's code or name, or an order number
    older_than_days: int | None = None
    sort: NeedSort = NeedSort.OLDEST

    @classmethod
    def from_query(cls, query: QueryDict) -> NeedFilters:
        """Read the filters from a query string; whatever cannot be read is ignored."""
        state = query.get("state", "")
        sort = query.get("sort", "")
        return cls(
            state=NeedState(state) if state in NeedState.__members__.values() else NeedState.OPEN,
            dealer_id=_positive(query.get("dealer")),
            query=query.get("q", "").strip()[:100],
            older_than_days=_positive(query.get("older")),
            sort=NeedSort(sort) if sort in NeedSort.__members__.values() else NeedSort.OLDEST,
        )


def need_queue(scope: Scope, filters: NeedFilters) -> QuerySet[Need]:
    needs = Need.objects.filter(scope.managed_dealers_q("dealer_id")).select_related(
        "order",
        "order_line",
        "product",
        "dealer",
        "legal_entity",
        "supply__warehouse",
        "answered_by",
    )
    if filters.state is NeedState.OPEN:
        needs = needs.filter(status=Need.Status.OPEN)
    elif filters.state is NeedState.ANSWERED:
        needs = needs.filter(status__in=[Need.Status.RESERVED, Need.Status.DATED])
    if filters.dealer_id is not None:
        needs = needs.filter(dealer_id=filters.dealer_id)
    if filters.query:
        needs = needs.filter(
            Q(product__code__icontains=filters.query)
            | Q(product__name__icontains=filters.query)
            | Q(order__number__icontains=filters.query)
        )
    if filters.older_than_days is not None:
        since = timezone.now() - datetime.timedelta(days=filters.older_than_days)
        needs = needs.filter(created_at__lte=since)
    return needs.order_by(*NEED_ORDERING[filters.sort])


def access_need(scope: Scope, need_id: int) -> Need:
    try:
        return Need.objects.select_related("order", "product").get(
            scope.managed_dealers_q("dealer_id"), id=need_id
        )
    except Need.DoesNotExist as missing:
        raise Http404 from missing


def needs_by_ids(scope: Scope, need_ids: Iterable[int]) -> QuerySet[Need]:
    """The needs among the ids that the manager may answer; others are silently absent."""
    return Need.objects.filter(scope.managed_dealers_q("dealer_id"), id__in=list(need_ids))


@dataclass(frozen=True)
class SupplyOption:
    supply: IncomingSupply
    reserved: Decimal

    @property
    def free(self) -> Decimal:
        return max(self.supply.quantity - self.reserved, Decimal(0))


def supply_options(product_ids: Iterable[int]) -> dict[int, list[SupplyOption]]:
    """The incoming supplies of each product with what is still free in them, earliest
    first: what a manager may reserve a need in. Two queries whatever the number."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    supplies = list(
        IncomingSupply.objects.filter(product_id__in=ids)
        .select_related("warehouse")
        .order_by("expected_date", "id")
    )
    reserved = supply_reserved_quantities([supply.id for supply in supplies])
    options: dict[int, list[SupplyOption]] = defaultdict(list)
    for supply in supplies:
        options[supply.product_id].append(SupplyOption(supply, reserved.get(supply.id, Decimal(0))))
    return dict(options)


@dataclass(frozen=True)
class OverbookedSupply:
    supply: IncomingSupply
    reserved: Decimal

    @property
    def excess(self) -> Decimal:
        return self.reserved - self.supply.quantity


def overbooked_supplies(scope: Scope) -> list[OverbookedSupply]:
    """Incoming supplies holding more reserved needs than they bring, which the ERP causes by
    lowering a supply after reservations were made: the dealers were promised goods that will
    not all come. Shown to the managers of the dealers with a reservation in such a supply, so
    they move or re-date those needs."""
    reserved_here = Sum("reservations__quantity", filter=Q(reservations__status=RESERVED))
    mine = Need.objects.filter(
        scope.managed_dealers_q("dealer_id"), supply_id=OuterRef("pk"), status=RESERVED
    )
    supplies = (
        IncomingSupply.objects.annotate(reserved=reserved_here)
        .filter(reserved__gt=F("quantity"))
        .filter(Exists(mine))
        .select_related("product", "warehouse")
        .order_by("expected_date", "id")
    )
    return [OverbookedSupply(supply, supply.reserved) for supply in supplies]


# --- New-company requests ------------------------------------------------------------------


def company_request_queue(scope: Scope, status: str = "") -> QuerySet[CompanyRequest]:
    requests = CompanyRequest.objects.filter(scope.managed_dealers_q("dealer_id")).select_related(
        "dealer", "requested_by", "legal_entity", "decided_by"
    )
    if status in CompanyRequest.Status.values:
        requests = requests.filter(status=status)
    return requests.order_by("-created_at", "-id")


def access_company_request(scope: Scope, company_request_id: int) -> CompanyRequest:
    try:
        return CompanyRequest.objects.select_related(
            "dealer", "requested_by", "legal_entity", "decided_by"
        ).get(scope.managed_dealers_q("dealer_id"), id=company_request_id)
    except CompanyRequest.DoesNotExist as missing:
        raise Http404 from missing


def dealer_has_main_entity(dealer_id: int) -> bool:
    return Dealer.objects.filter(
        id=dealer_id, legal_entities__is_main=True, legal_entities__is_active=True
    ).exists()


# --- The start page --------------------------------------------------------------------------


OPEN_CLAIM_STATUSES = (Claim.Status.SUBMITTED, Claim.Status.IN_REVIEW)


@dataclass(frozen=True)
class Workload:
    open_needs: int
    oldest_open_need_at: datetime.datetime | None
    requests_under_review: int
    open_claims: int
    recent_orders: list[Order]
    overbooked_supplies: list[OverbookedSupply]


def workload(scope: Scope, recent_orders: int = 10) -> Workload:
    """What waits for the manager: counts for the start page, and the latest orders."""
    needs = Need.objects.filter(
        scope.managed_dealers_q("dealer_id"), status=Need.Status.OPEN
    ).aggregate(count=Count("id"), oldest=Min("created_at"))
    return Workload(
        open_needs=needs["count"],
        oldest_open_need_at=needs["oldest"],
        requests_under_review=CompanyRequest.objects.filter(
            scope.managed_dealers_q("dealer_id"), status=CompanyRequest.Status.SUBMITTED
        ).count(),
        open_claims=Claim.objects.filter(
            scope.managed_dealers_q("dealer_id"), status__in=OPEN_CLAIM_STATUSES
        ).count(),
        recent_orders=list(
            Order.objects.filter(scope.managed_dealers_q("dealer_id"))
            .select_related("dealer", "legal_entity", "status", "author")
            .order_by("-placed_at", "-id")[:recent_orders]
        ),
        overbooked_supplies=overbooked_supplies(scope),
    )
