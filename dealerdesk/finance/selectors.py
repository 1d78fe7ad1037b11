"""Receivables reads: the summary, the settlement statement, one order's debts.

Everything is limited to the legal entities where the user holds the finance right; a
main-entity user's right extends to the subsidiaries (the scope says so). Each read takes a
fixed number of queries whatever the number of records: rows come as tuples and the ledger
arithmetic runs in Python (`finance.ledger`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict
from django.utils import timezone

from dealerdesk.companies.models import LegalEntity
from dealerdesk.finance.ledger import (
    ZERO,
    AgeingBucket,
    Allocation,
    Entry,
    Ledger,
    OrderDebt,
    build_ledger,
)
from dealerdesk.finance.models import CreditTerms, PaymentAllocation, SettlementRecord
from dealerdesk.orders.models import Order
from dealerdesk.tenancy.rights import Right
from dealerdesk.tenancy.scope import Scope

DEFAULT_STATEMENT_DAYS = 90
# The summary lists the open debts per order; beyond this many the statement is the place.
OPEN_ORDERS_SHOWN = 50  # the most overdue; the .xlsx export holds them all


def _day(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw or "")
    except ValueError:
        return None


@dataclass(frozen=True)
class FinanceFilters:
    legal_entity_id: int | None
    as_of: datetime.date
    date_from: datetime.date

    @property
    def date_to(self) -> datetime.date:
        """A statement runs up to the date the balance is asked for."""
        return self.as_of

    @classmethod
    def from_query(cls, query: QueryDict, today: datetime.date | None = None) -> FinanceFilters:
        today = today or timezone.localdate()
        raw_entity = query.get("entity", "")
        as_of = _day(query.get("as_of")) or today
        date_from = _day(query.get("from")) or as_of - datetime.timedelta(
            days=DEFAULT_STATEMENT_DAYS
        )
        return cls(
            legal_entity_id=int(raw_entity) if raw_entity.isdigit() else None,
            as_of=as_of,
            date_from=min(date_from, as_of),
        )


def finance_entities(scope: Scope) -> list[LegalEntity]:
    """Legal entities whose finances the user may see, main first."""
    return list(
        LegalEntity.objects.for_scope(scope, Right.SEE_FINANCE)
        .select_related("credit_terms")
        .order_by("-is_main", "name")
    )


def chosen_entities(scope: Scope, filters: FinanceFilters) -> list[LegalEntity]:
    """The entities a finance page covers: the chosen one (404 if not the user's) or all."""
    entities = finance_entities(scope)
    if filters.legal_entity_id is None:
        return entities
    chosen = [entity for entity in entities if entity.id == filters.legal_entity_id]
    if not chosen:
        raise Http404
    return chosen


def credit_terms_of(entity: LegalEntity) -> CreditTerms | None:
    """The entity's credit terms, or None when the ERP sent none."""
    try:
        return entity.credit_terms
    except CreditTerms.DoesNotExist:
        return None


ENTRY_FIELDS = (
    "id",
    "legal_entity_id",
    "kind",
    "date",
    "number",
    "debit",
    "credit",
    "due_date",
    "order_id",
    "description",
)


def ledgers(
    entities: Iterable[LegalEntity], as_of: datetime.date
) -> dict[int, tuple[LegalEntity, Ledger]]:
    """Each entity's ledger as of the date: two queries for any number of entities."""
    entities = list(entities)
    ids = [entity.id for entity in entities]
    entries: dict[int, list[Entry]] = defaultdict(list)
    rows = (
        SettlementRecord.objects.filter(legal_entity_id__in=ids, date__lte=as_of)
        .order_by("date", "id")
        .values_list(*ENTRY_FIELDS)
    )
    for row in rows:
        entries[row[1]].append(Entry(*row))
    allocations = [
        Allocation(*row)
        for row in PaymentAllocation.objects.filter(
            credit_record__legal_entity_id__in=ids, credit_record__date__lte=as_of
        ).values_list("credit_record_id", "debit_record_id", "amount")
    ]
    result = {}
    for entity in entities:
        terms = credit_terms_of(entity)
        result[entity.id] = (
            entity,
            build_ledger(
                entries[entity.id],
                allocations,
                as_of=as_of,
                payment_days=terms.payment_days if terms else 0,
            ),
        )
    return result


def entity_ledger(entity: LegalEntity, as_of: datetime.date) -> Ledger:
    """One legal entity's ledger (its credit terms are read if not selected with it)."""
    return ledgers([entity], as_of)[entity.id][1]


@dataclass(frozen=True)
class EntityReceivables:
    legal_entity: LegalEntity
    terms: CreditTerms | None
    ledger: Ledger

    @property
    def credit_limit(self) -> Decimal:
        return self.terms.credit_limit if self.terms else ZERO

    @property
    def available_credit(self) -> Decimal:
        return max(ZERO, self.credit_limit - self.ledger.balance)

    @property
    def is_over_limit(self) -> bool:
        return self.ledger.balance > self.credit_limit


@dataclass(frozen=True)
class OrderDebtRow:
    """An order's debts with the order itself (None for debts recorded without an order)."""

    debt: OrderDebt
    order: Order | None
    legal_entity: LegalEntity


@dataclass(frozen=True)
class Receivables:
    as_of: datetime.date
    entities: list[EntityReceivables]
    open_orders: list[OrderDebtRow]
    open_orders_total: int
    ageing: dict[AgeingBucket, Decimal] = field(default_factory=dict)

    @property
    def balance(self) -> Decimal:
        return sum((item.ledger.balance for item in self.entities), ZERO)

    @property
    def overdue(self) -> Decimal:
        return sum((item.ledger.overdue for item in self.entities), ZERO)

    @property
    def credit_limit(self) -> Decimal:
        return sum((item.credit_limit for item in self.entities), ZERO)

    @property
    def available_credit(self) -> Decimal:
        return sum((item.available_credit for item in self.entities), ZERO)

    @property
    def open_debt(self) -> Decimal:
        return sum(self.ageing.values(), ZERO)

    def ageing_shares(self) -> list[tuple[AgeingBucket, Decimal, float]]:
        """Each bucket with its amount and percentage of the open debt (for the bar)."""
        total = self.open_debt
        return [
            (bucket, amount, float(amount / total * 100) if total else 0.0)
            for bucket, amount in self.ageing.items()
        ]


def receivables(
    scope: Scope, filters: FinanceFilters, *, open_orders_limit: int | None = OPEN_ORDERS_SHOWN
) -> Receivables:
    """The receivables page: per entity and in total, ageing, open debts per order (the
    most overdue `open_orders_limit` of them; None for all)."""
    by_entity = ledgers(chosen_entities(scope, filters), filters.as_of)
    items = [
        EntityReceivables(legal_entity=entity, terms=credit_terms_of(entity), ledger=ledger)
        for entity, ledger in by_entity.values()
    ]
    ageing = dict.fromkeys(AgeingBucket, ZERO)
    open_debts: list[tuple[OrderDebt, LegalEntity]] = []
    for item in items:
        for bucket, amount in item.ledger.ageing().items():
            ageing[bucket] += amount
        open_debts.extend(
            (debt, item.legal_entity) for debt in item.ledger.by_order() if debt.remaining > 0
        )
    # Most overdue first, then what falls due soonest.
    open_debts.sort(
        key=lambda pair: (
            -pair[0].days_overdue,
            pair[0].next_due_date or filters.as_of,
            pair[0].order_id or 0,
        )
    )
    shown = open_debts if open_orders_limit is None else open_debts[:open_orders_limit]
    orders = Order.objects.in_bulk(
        [debt.order_id for debt, _entity in shown if debt.order_id is not None]
    )
    return Receivables(
        as_of=filters.as_of,
        entities=items,
        open_orders=[
            OrderDebtRow(
                debt=debt,
                order=orders.get(debt.order_id) if debt.order_id else None,
                legal_entity=entity,
            )
            for debt, entity in shown
        ],
        open_orders_total=len(open_debts),
        ageing=ageing,
    )


@dataclass(frozen=True)
class StatementRow:
    id: int
    date: datetime.date
    kind: str
    kind_label: str
    number: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal  # after this record
    due_date: datetime.date | None
    legal_entity_name: str
    order_id: int | None
    order_number: str


@dataclass(frozen=True)
class Statement:
    """Settlement records of a period with the running balance (оборотно-сальдовая)."""

    date_from: datetime.date
    date_to: datetime.date
    entities: list[LegalEntity]
    opening_balance: Decimal
    rows: list[StatementRow]

    @property
    def total_debit(self) -> Decimal:
        return sum((row.debit for row in self.rows), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((row.credit for row in self.rows), ZERO)

    @property
    def closing_balance(self) -> Decimal:
        return self.opening_balance + self.total_debit - self.total_credit


def statement(
    entities: list[LegalEntity], date_from: datetime.date, date_to: datetime.date
) -> Statement:
    """Records of the entities dated within the period, oldest first, with running balance."""
    ids = [entity.id for entity in entities]
    opening = SettlementRecord.objects.filter(
        legal_entity_id__in=ids, date__lt=date_from
    ).aggregate(debit=Coalesce(Sum("debit"), ZERO), credit=Coalesce(Sum("credit"), ZERO))
    names = {entity.id: entity.name for entity in entities}
    labels = dict(SettlementRecord.Kind.choices)
    opening_balance = opening["debit"] - opening["credit"]
    balance = opening_balance
    rows = []
    records = (
        SettlementRecord.objects.filter(
            legal_entity_id__in=ids, date__gte=date_from, date__lte=date_to
        )
        .order_by("date", "id")
        .values_list(
            "id",
            "date",
            "kind",
            "number",
            "description",
            "debit",
            "credit",
            "due_date",
            "legal_entity_id",
            "order_id",
            "order__number",
        )
    )
    for (
        record_id,
        day,
        kind,
        number,
        description,
        debit,
        credit,
        due_date,
        entity_id,
        order_id,
        order_number,
    ) in records:
        balance += debit - credit
        rows.append(
            StatementRow(
                id=record_id,
                date=day,
                kind=kind,
                kind_label=str(labels.get(kind, kind)),
                number=number,
                description=description,
                debit=debit,
                credit=credit,
                balance=balance,
                due_date=due_date,
                legal_entity_name=names[entity_id],
                order_id=order_id,
                order_number=order_number or "",
            )
        )
    return Statement(
        date_from=date_from,
        date_to=date_to,
        entities=entities,
        opening_balance=opening_balance,
        rows=rows,
    )


@dataclass(frozen=True)
class OrderFinance:
    """How an order's debt stands and how it arose (the drill-down page)."""

    order: Order
    debt: OrderDebt | None  # None when the ERP has no settlement records for the order
    as_of: datetime.date
    payment_days: int


def access_finance_order(scope: Scope, order_id: int) -> Order:
    """An order of an entity where the user holds the finance right; 404 otherwise."""
    try:
        return Order.objects.select_related("legal_entity", "status").get(
            Q(id=order_id) & Q(legal_entity_id__in=scope.entity_ids(Right.SEE_FINANCE))
        )
    except Order.DoesNotExist as missing:
        raise Http404 from missing


def order_finance(order: Order, as_of: datetime.date) -> OrderFinance:
    """The order's debts within its entity's ledger: payments go to the oldest debts first,
    so the whole ledger of the entity decides what paid this order."""
    entity = LegalEntity.objects.select_related("credit_terms").get(id=order.legal_entity_id)
    ledger = entity_ledger(entity, as_of)
    debts = tuple(debt for debt in ledger.debts if debt.entry.order_id == order.id)
    terms = credit_terms_of(entity)
    return OrderFinance(
        order=order,
        debt=OrderDebt(order_id=order.id, debts=debts, as_of=as_of) if debts else None,
        as_of=as_of,
        payment_days=terms.payment_days if terms else 0,
    )
