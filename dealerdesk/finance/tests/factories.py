"""Settlement records for tests, written through the services the ERP API uses."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from dealerdesk.companies.models import LegalEntity
from dealerdesk.finance.models import SettlementRecord
from dealerdesk.finance.services import SettlementData, settlement_record_upsert
from dealerdesk.orders.models import Order

_ids = itertools.count(1)


def shipped(
    entity: LegalEntity,
    date: datetime.date,
    amount: str,
    *,
    order: Order | None = None,
    due_date: datetime.date | None = None,
    number: str = "",
) -> SettlementRecord:
    serial = next(_ids)
    return settlement_record_upsert(
        SettlementData(
            erp_id=f"test-debit-{serial}",
            legal_entity=entity,
            kind=SettlementRecord.Kind.SHIPMENT,
            date=date,
            number=number or f"РН-{serial:05d}",
            debit=Decimal(amount),
            due_date=due_date,
            order=order,
        )
    )


def paid(
    entity: LegalEntity, date: datetime.date, amount: str, *, number: str = ""
) -> SettlementRecord:
    serial = next(_ids)
    return settlement_record_upsert(
        SettlementData(
            erp_id=f"test-credit-{serial}",
            legal_entity=entity,
            kind=SettlementRecord.Kind.PAYMENT,
            date=date,
            number=number or f"ПП-{serial:05d}",
            credit=Decimal(amount),
        )
    )
