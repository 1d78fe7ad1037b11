"""Receivables figure (issue 5): the receivables page of one legal entity with 5,000
settlement records, server time through the whole Django stack."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.test import Client
from django.utils import timezone

from bench.journal import median_ms

RECORDS = 5_000
BENCH_PREFIX = "bench-settlement-"


def _ensure_records(legal_entity_id: int) -> None:
    """Three years of weekly-ish shipments and payments for one legal entity, written once."""
    from dealerdesk.companies.models import LegalEntity
    from dealerdesk.finance.models import CreditTerms, SettlementRecord
    from dealerdesk.orders.models import Order

    existing = SettlementRecord.objects.filter(legal_entity_id=legal_entity_id).count()
    missing = RECORDS - existing
    if missing <= 0:
        return
    entity = LegalEntity.objects.get(id=legal_entity_id)
    CreditTerms.objects.get_or_create(
        legal_entity=entity, defaults={"credit_limit": Decimal(5_000_000), "payment_days": 30}
    )
    orders = list(
        Order.objects.filter(legal_entity=entity).order_by("id").values_list("id", flat=True)[:3000]
    )
    rng = random.Random(6)
    today = timezone.localdate()
    records = []
    for number in range(missing):
        date = today - datetime.timedelta(days=(missing - number) * 1095 // missing)
        if number % 3 == 2:
            records.append(
                SettlementRecord(
                    erp_id=f"{BENCH_PREFIX}{legal_entity_id}-{number}",
                    dealer_id=entity.dealer_id,
                    legal_entity=entity,
                    kind=SettlementRecord.Kind.PAYMENT,
                    date=date,
                    number=f"ПП-{number}",
                    credit=Decimal(rng.randint(20_000, 90_000)),
                )
            )
        else:
            records.append(
                SettlementRecord(
                    erp_id=f"{BENCH_PREFIX}{legal_entity_id}-{number}",
                    dealer_id=entity.dealer_id,
                    legal_entity=entity,
                    kind=SettlementRecord.Kind.SHIPMENT,
                    date=date,
                    number=f"РН-{number}",
                    debit=Decimal(rng.randint(10_000, 60_000)),
                    due_date=date + datetime.timedelta(days=30),
                    order_id=orders[number % len(orders)] if orders else None,
                )
            )
    with transaction.atomic():
        SettlementRecord.objects.bulk_create(records, batch_size=1000)


def measure_finance(report: Callable[[str, float, str], None], suffix: str) -> None:
    from dealerdesk.accounts.models import User
    from dealerdesk.companies.models import LegalEntity
    from dealerdesk.finance.models import SettlementRecord

    superuser = User.objects.filter(is_dealer_superuser=True, is_active=True).order_by("id").first()
    if superuser is None or superuser.dealer_id is None:
        raise SystemExit("bench: the data set has no dealer superuser")
    entity = LegalEntity.objects.get(dealer_id=superuser.dealer_id, is_main=True)
    _ensure_records(entity.id)
    client = Client(raise_request_exception=True)
    client.force_login(superuser)

    def name(base: str) -> str:
        return base if suffix == "sqlite" else f"{base}_{suffix}"

    report(
        name("receivables_records"),
        SettlementRecord.objects.filter(legal_entity=entity).count(),
        "records",
    )
    query = {"entity": str(entity.id)}
    report(
        name("receivables_5000_ms"),
        median_ms(lambda: client.get("/finance/", query), 15),
        "ms",
    )
    report(
        name("receivables_statement_ms"),
        median_ms(lambda: client.get("/finance/statement/", {**query, "from": "2000-01-01"}), 15),
        "ms",
    )
