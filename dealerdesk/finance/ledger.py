"""The receivables arithmetic of one legal entity, computed from its settlement records.

Pure functions over plain rows, no database: balance, which debts each credit paid (the
ERP's allocation where it sent one, otherwise the oldest debts first), what is overdue and
for how long, ageing buckets, and the picture per order. Amounts are `Decimal` throughout.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Entry:
    """One settlement record, as the ledger needs it."""

    id: int
    legal_entity_id: int
    kind: str
    date: datetime.date
    number: str
    debit: Decimal
    credit: Decimal
    due_date: datetime.date | None
    order_id: int | None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Allocation:
    """The ERP's word that `credit_id` paid `amount` of `debit_id`."""

    credit_id: int
    debit_id: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Payment:
    """Part of a credit applied to a debt, effective when both existed."""

    credit: Entry
    amount: Decimal
    date: datetime.date
    allocated_by_erp: bool


@dataclass(slots=True)
class Debt:
    """A debit and what happened to it up to the ledger's date."""

    entry: Entry
    due_date: datetime.date
    payments: list[Payment] = field(default_factory=list)
    paid: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.entry.debit - self.paid

    @property
    def is_open(self) -> bool:
        return self.remaining > 0

    def days_overdue(self, as_of: datetime.date) -> int:
        """Days past the due date while still unpaid; 0 when paid or not yet due."""
        if not self.is_open:
            return 0
        return max(0, (as_of - self.due_date).days)

    @property
    def paid_on(self) -> datetime.date | None:
        """When the debt was paid in full (None while open)."""
        if self.is_open or not self.payments:
            return None
        return max(payment.date for payment in self.payments)

    @property
    def paid_late_days(self) -> int:
        """How late the final payment came, for a debt paid in full."""
        paid_on = self.paid_on
        return max(0, (paid_on - self.due_date).days) if paid_on else 0

    @property
    def overdue_since(self) -> datetime.date:
        return self.due_date + datetime.timedelta(days=1)


class AgeingBucket(enum.IntEnum):
    """Open debt by days past due. Values order the buckets."""

    NOT_DUE = 0
    DAYS_1_30 = 1
    DAYS_31_60 = 2
    DAYS_61_90 = 3
    OVER_90 = 4

    @classmethod
    def for_days(cls, days_overdue: int) -> AgeingBucket:
        if days_overdue <= 0:
            return cls.NOT_DUE
        if days_overdue <= 30:
            return cls.DAYS_1_30
        if days_overdue <= 60:
            return cls.DAYS_31_60
        if days_overdue <= 90:
            return cls.DAYS_61_90
        return cls.OVER_90


@dataclass(frozen=True)
class OrderDebt:
    """The debts of one order (or of records without an order, `order_id` None).

    Built once the ledger is complete; its figures are computed once each (pages sort and
    show them many times).
    """

    order_id: int | None
    debts: tuple[Debt, ...]
    as_of: datetime.date

    @cached_property
    def shipped(self) -> Decimal:
        return sum((debt.entry.debit for debt in self.debts), ZERO)

    @cached_property
    def paid(self) -> Decimal:
        return sum((debt.paid for debt in self.debts), ZERO)

    @cached_property
    def remaining(self) -> Decimal:
        return self.shipped - self.paid

    @cached_property
    def overdue(self) -> Decimal:
        return sum(
            (debt.remaining for debt in self.debts if debt.days_overdue(self.as_of) > 0), ZERO
        )

    @cached_property
    def days_overdue(self) -> int:
        return max((debt.days_overdue(self.as_of) for debt in self.debts), default=0)

    @cached_property
    def next_due_date(self) -> datetime.date | None:
        """The earliest due date among unpaid debts: when (or since when) money is due."""
        return min((debt.due_date for debt in self.debts if debt.is_open), default=None)

    @cached_property
    def first_shipped(self) -> datetime.date:
        return min(debt.entry.date for debt in self.debts)

    @property
    def timeline(self) -> list[tuple[Debt, int]]:
        """Each debt with its days overdue, oldest first (how the debt arose)."""
        return [(debt, debt.days_overdue(self.as_of)) for debt in self.debts]


@dataclass(slots=True)
class Ledger:
    """The state of one legal entity's settlements at the end of `as_of`."""

    as_of: datetime.date
    debts: list[Debt]
    total_debit: Decimal
    total_credit: Decimal
    unapplied_credit: Decimal  # credits not needed by any debt: a prepayment

    @property
    def balance(self) -> Decimal:
        """What the dealer owes (negative: the supplier owes, e.g. a prepayment)."""
        return self.total_debit - self.total_credit

    @property
    def open_debts(self) -> list[Debt]:
        return [debt for debt in self.debts if debt.is_open]

    @property
    def overdue_debts(self) -> list[Debt]:
        return [debt for debt in self.debts if debt.days_overdue(self.as_of) > 0]

    @property
    def overdue(self) -> Decimal:
        return sum((debt.remaining for debt in self.overdue_debts), ZERO)

    def ageing(self) -> dict[AgeingBucket, Decimal]:
        buckets = dict.fromkeys(AgeingBucket, ZERO)
        for debt in self.open_debts:
            buckets[AgeingBucket.for_days(debt.days_overdue(self.as_of))] += debt.remaining
        return buckets

    def by_order(self) -> list[OrderDebt]:
        """Debts grouped per order, oldest first."""
        grouped: dict[int | None, list[Debt]] = {}
        for debt in self.debts:
            grouped.setdefault(debt.entry.order_id, []).append(debt)
        orders = [
            OrderDebt(order_id=order_id, debts=tuple(debts), as_of=self.as_of)
            for order_id, debts in grouped.items()
        ]
        orders.sort(key=lambda order: (order.first_shipped, order.order_id or 0))
        return orders


def build_ledger(
    entries: Iterable[Entry],
    allocations: Iterable[Allocation],
    *,
    as_of: datetime.date,
    payment_days: int,
) -> Ledger:
    """Apply every credit to the debits it paid, as of the end of `as_of`.

    `entries` are one legal entity's records in (date, id) order. The ERP's allocations are
    applied first (never beyond what the credit or the debt has left); what any credit has
    left then pays the oldest open debts (by date, then id), including debts that arose
    after the credit (an advance covers the next shipments). A debit without its own due
    date is due `payment_days` after its date.
    """
    debts: dict[int, Debt] = {}
    credits: list[Entry] = []
    total_debit = total_credit = ZERO
    for entry in entries:
        if entry.date > as_of:
            continue
        if entry.debit > 0:
            total_debit += entry.debit
            due = entry.due_date or entry.date + datetime.timedelta(days=payment_days)
            debts[entry.id] = Debt(entry=entry, due_date=due)
        elif entry.credit > 0:
            total_credit += entry.credit
            credits.append(entry)

    credit_left = {credit.id: credit.credit for credit in credits}
    credits_by_id = {credit.id: credit for credit in credits}
    for allocation in allocations:
        credit = credits_by_id.get(allocation.credit_id)
        debt = debts.get(allocation.debit_id)
        if credit is None or debt is None:
            continue  # outside the period (a later payment) or of another legal entity
        amount = min(allocation.amount, credit_left[credit.id], debt.remaining)
        if amount > 0:
            _pay(debt, credit, amount, allocated_by_erp=True)
            credit_left[credit.id] -= amount

    ordered: Sequence[Debt] = sorted(
        debts.values(), key=lambda debt: (debt.entry.date, debt.entry.id)
    )
    position = 0
    for credit in credits:
        left = credit_left[credit.id]
        while left > 0 and position < len(ordered):
            debt = ordered[position]
            if not debt.is_open:
                position += 1
                continue
            amount = min(left, debt.remaining)
            _pay(debt, credit, amount, allocated_by_erp=False)
            left -= amount
        credit_left[credit.id] = left

    return Ledger(
        as_of=as_of,
        debts=list(ordered),
        total_debit=total_debit,
        total_credit=total_credit,
        unapplied_credit=sum(credit_left.values(), ZERO),
    )


def _pay(debt: Debt, credit: Entry, amount: Decimal, *, allocated_by_erp: bool) -> None:
    debt.payments.append(
        Payment(
            credit=credit,
            amount=amount,
            date=max(credit.date, debt.entry.date),
            allocated_by_erp=allocated_by_erp,
        )
    )
    debt.paid += amount
