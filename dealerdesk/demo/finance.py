"""Demo settlements: credit terms and a year of shipments and payments with overdue debt.

Every shipment of the demo order history becomes a debit. Each legal entity then pays in
its own way, so the receivables page has something to explain. Dealer A's main company pays
invoice by invoice (the ERP allocates each payment to its shipment) but left two shipments
unpaid, about 100 and 45 days ago, and its latest invoices are a few days late; a volume
bonus credited without allocation settles part of the oldest debt. The regional subsidiary
pays whatever is due every two weeks, three weeks late (oldest debts first); the sole
proprietor and dealer B pay on time. Written through the finance services.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dealerdesk.companies.models import LegalEntity
from dealerdesk.core.money import round_money
from dealerdesk.finance.models import SettlementRecord
from dealerdesk.finance.services import (
    SettlementData,
    credit_terms_set,
    payment_allocations_set,
    settlement_record_upsert,
)
from dealerdesk.shipments.models import Shipment

MARKER = "demo-settlement-"
PAYMENT_EVERY_DAYS = 14
ZERO = Decimal(0)


@dataclass(frozen=True)
class PayingHabit:
    credit_limit: Decimal
    payment_days: int
    contract: str
    delay_days: int  # how late after the due date the money comes
    per_invoice: bool = False  # pays each invoice, allocated; else lump sums, oldest first
    forgotten_days_ago: tuple[int, ...] = ()  # shipments around these ages stay unpaid


HABITS = {
    "demo-le-a-main": PayingHabit(
        Decimal("3500000.00"),
        30,
        "№ 15/2024 от 10.01.2024",
        delay_days=4,
        per_invoice=True,
        forgotten_days_ago=(130, 78),
    ),
    "demo-le-a-region": PayingHabit(Decimal("900000.00"), 14, "№ 41/2024 от 03.04.2024", 21),
    "demo-le-a-sokolov": PayingHabit(Decimal("300000.00"), 7, "№ 7-ИП от 15.02.2025", 0),
    "demo-le-b-main": PayingHabit(Decimal("2000000.00"), 45, "№ 3/2023 от 20.11.2023", 0),
}


def demo_settlements_exist() -> bool:
    return SettlementRecord.objects.filter(erp_id__startswith=MARKER).exists()


def create_settlements(seed: int = 2026) -> int:
    """Create the demo's settlement records; returns how many. Call inside a transaction."""
    rng = random.Random(f"{seed}/finance")
    today = timezone.localdate()
    created = 0
    for erp_id, habit in HABITS.items():
        entity = LegalEntity.objects.filter(erp_id=erp_id).first()
        if entity is None:
            continue
        credit_terms_set(
            legal_entity=entity,
            credit_limit=habit.credit_limit,
            payment_days=habit.payment_days,
            contract=habit.contract,
        )
        created += _entity_settlements(rng, entity, habit, today)
    return created


def _record(entity: LegalEntity, key: str, **fields: Any) -> SettlementRecord:
    return settlement_record_upsert(
        SettlementData(erp_id=f"{MARKER}{entity.id}-{key}", legal_entity=entity, **fields)
    )


def _entity_settlements(
    rng: random.Random, entity: LegalEntity, habit: PayingHabit, today: datetime.date
) -> int:
    shipments = list(
        Shipment.objects.filter(legal_entity=entity, amount_with_vat__gt=0).order_by(
            "shipped_at", "id"
        )
    )
    if not shipments:
        return 0
    first_day = timezone.localdate(shipments[0].shipped_at) - datetime.timedelta(days=5)
    records = 0
    debts: list[tuple[datetime.date, Decimal]] = []  # due date, amount
    if habit.per_invoice:
        opening = _record(
            entity,
            "opening",
            kind=SettlementRecord.Kind.OPENING_BALANCE,
            date=first_day,
            number="",
            debit=Decimal("184250.00"),
            due_date=first_day,
            description="Задолженность на начало работы в портале",
        )
        debts.append((opening.due_date or first_day, opening.debit))
        records += 1
    for shipment in shipments:
        shipped_on = timezone.localdate(shipment.shipped_at)
        debit = _record(
            entity,
            f"shipment-{shipment.id}",
            kind=SettlementRecord.Kind.SHIPMENT,
            date=shipped_on,
            number=shipment.number,
            debit=shipment.amount_with_vat,
            shipment=shipment,
            description="Реализация товаров",
        )
        debts.append((debit.due_date or shipped_on, debit.debit))
        records += 1

    if habit.per_invoice:
        records += _pay_per_invoice(rng, entity, habit, today)
    else:
        records += _pay_lump_sums(rng, entity, habit, today, first_day, debts)
    return records


def _pay_lump_sums(
    rng: random.Random,
    entity: LegalEntity,
    habit: PayingHabit,
    today: datetime.date,
    first_day: datetime.date,
    debts: list[tuple[datetime.date, Decimal]],
) -> int:
    """Every two weeks, whatever falls due before the next payment day, `delay_days` late."""
    paid = ZERO
    count = 0
    payday = first_day + datetime.timedelta(days=PAYMENT_EVERY_DAYS)
    while payday <= today:
        cutoff = payday + datetime.timedelta(days=PAYMENT_EVERY_DAYS - habit.delay_days)
        due = sum((amount for due_date, amount in debts if due_date <= cutoff), ZERO)
        amount = round_money(due - paid)
        if amount >= Decimal("1000.00"):
            count += 1
            _record(
                entity,
                f"payment-{count}",
                kind=SettlementRecord.Kind.PAYMENT,
                date=payday,
                number=str(rng.randint(100, 999)),
                credit=amount,
                description="Оплата по платёжному поручению",
            )
            paid += amount
        payday += datetime.timedelta(days=PAYMENT_EVERY_DAYS + rng.randint(-2, 2))
    return count


def _pay_per_invoice(
    rng: random.Random, entity: LegalEntity, habit: PayingHabit, today: datetime.date
) -> int:
    debits = list(
        SettlementRecord.objects.filter(legal_entity=entity, debit__gt=0).order_by("date", "id")
    )
    # The shipment nearest each age (the larger one on a tie) stays unpaid; a small demo
    # catalog has few shipments, so the nearest, not one at an exact age.
    candidates = [
        debit
        for debit in debits
        if debit.kind == SettlementRecord.Kind.SHIPMENT
        and debit.due_date is not None
        and debit.due_date < today - datetime.timedelta(days=7)
    ]
    forgotten: set[int] = set()
    for days_ago in habit.forgotten_days_ago:
        left = [debit for debit in candidates if debit.id not in forgotten]
        if left:
            nearest = min(
                left, key=lambda debit: (abs((today - debit.date).days - days_ago), -debit.debit)
            )
            forgotten.add(nearest.id)
    count = 0
    for debit in debits:
        if debit.id in forgotten or debit.due_date is None:
            continue
        payday = debit.due_date + datetime.timedelta(days=rng.randint(0, habit.delay_days))
        if payday > today:
            continue
        count += 1
        payment = _record(
            entity,
            f"payment-{debit.id}",
            kind=SettlementRecord.Kind.PAYMENT,
            date=payday,
            number=str(rng.randint(1000, 9999)),
            credit=debit.debit,
            description=f"Оплата по документу {debit.number}",
        )
        payment_allocations_set(credit_record=payment, allocations=[(debit, debit.debit)])
    _record(
        entity,
        "adjustment-volume",
        kind=SettlementRecord.Kind.ADJUSTMENT,
        date=today - datetime.timedelta(days=20),
        number="КРД-12",
        credit=Decimal("25000.00"),
        description="Ретро-бонус за объём закупок, квартал",
    )
    return count + 1
