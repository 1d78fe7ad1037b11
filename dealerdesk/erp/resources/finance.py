"""Finance resources: credit terms per legal entity and the settlement records (взаиморасчёты)
the dealers' receivables pages are computed from."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Annotated

from django.db.models import Q
from pydantic import Field, StringConstraints

from dealerdesk.companies.models import LegalEntity
from dealerdesk.erp.batches import ApplyContext
from dealerdesk.erp.registry import Applied, ItemErrors, Resource, register
from dealerdesk.erp.schemas import ErpId, ErpItem, Money, Strict
from dealerdesk.finance.models import SettlementRecord
from dealerdesk.finance.services import (
    Allocation,
    CreditTermsData,
    SettlementData,
    credit_terms_set_many,
    payment_allocation_errors,
    payment_allocations_replace,
    settlement_record_errors,
    settlement_records_upsert,
)
from dealerdesk.orders.models import Order
from dealerdesk.shipments.models import Shipment

LOOKUP_CHUNK = 500
ZERO = Decimal(0)


def _chunks(values: Sequence[str], size: int = LOOKUP_CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _legal_entities(erp_ids: Iterable[str]) -> dict[str, LegalEntity]:
    return LegalEntity.objects.in_bulk(sorted(set(erp_ids)), field_name="erp_id")


# --- credit terms ---------------------------------------------------------------------------


class CreditTermsItem(ErpItem):
    id: ErpId = Field(description="ERP id of the legal entity the terms are for.")
    credit_limit: Money = Field(description="How much the legal entity may owe, in roubles.")
    payment_days: int = Field(
        ge=0, le=3650, description="Days from shipment to the payment due date; 0: prepayment."
    )
    contract: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = Field(
        "", description="The contract the terms come from, e.g. «№ 15/2024 от 10.01.2024»."
    )


def apply_credit_terms(context: ApplyContext, items: Sequence[CreditTermsItem]) -> Applied:
    fresh = context.fresh(items)
    errors = ItemErrors()
    errors.refuse_duplicate_ids(fresh)
    entities = _legal_entities(item.id for _, item in fresh)
    for index, item in fresh:
        if item.id not in entities:
            errors.unknown(index, "id", "legal entity", item.id)
    errors.raise_if_any()
    created, updated = credit_terms_set_many(
        [
            CreditTermsData(
                legal_entity=entities[item.id],
                credit_limit=item.credit_limit,
                payment_days=item.payment_days,
                contract=item.contract,
            )
            for _, item in fresh
        ]
    )
    return Applied(created=created, updated=updated)


register(
    Resource(
        path="credit-terms",
        summary="Credit terms of legal entities",
        description=(
            "The contract terms of a legal entity, keyed by the legal entity's ERP id (sent "
            "before in `legal-entities`): the credit limit and the payment deferral in days. "
            "A debit sent without a due date is due `payment_days` after its date. Each item "
            "replaces the entity's terms (`updated` counts the terms that changed); there is no "
            "full snapshot."
        ),
        item=CreditTermsItem,
        apply=apply_credit_terms,
        example={
            "items": [
                {
                    "id": "LE-000501",
                    "credit_limit": "1500000.00",
                    "payment_days": 30,
                    "contract": "№ 15/2024 от 10.01.2024",
                },
                {"id": "LE-000502", "credit_limit": "0.00", "payment_days": 0},
            ]
        },
    )
)


# --- settlement records ---------------------------------------------------------------------


class AllocationItem(Strict):
    debit_id: ErpId = Field(
        description="ERP id of the debit (shipment) the payment paid, in this batch or before."
    )
    amount: Money = Field(description="How much of the payment went to that debit.")


class SettlementRecordItem(ErpItem):
    legal_entity_id: ErpId = Field(description="ERP id of the legal entity.")
    kind: SettlementRecord.Kind = Field(
        description="shipment, payment, return, adjustment or opening (opening balance)."
    )
    date: datetime.date
    number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] = ""
    debit: Money = Field(ZERO, description="The dealer owes more (a shipment); or `credit`.")
    credit: Money = Field(ZERO, description="The dealer owes less (a payment, a return).")
    due_date: datetime.date | None = Field(
        None,
        description="For a debit: when it is due; empty: the date plus the credit terms' days.",
    )
    order_id: ErpId | None = Field(
        None, description="The order: its ERP id, or its portal number (e.g. `З-000123`)."
    )
    shipment_id: ErpId | None = Field(None, description="ERP id of the shipment, if any.")
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    allocations: list[AllocationItem] | None = Field(
        None,
        description="For a credit: the debts it paid. Replaces what was sent before; `[]` "
        "clears it; omitted: left as it was. Credits never allocated pay the oldest debts.",
    )


# settlement_record_errors speaks of the model's fields; the ERP of the item's.
ITEM_FIELDS = {"amount": "debit", "order": "order_id", "shipment": "shipment_id"}


def _orders(keys: Iterable[str]) -> dict[str, Order]:
    """Orders by ERP id or, failing that, by the portal's number."""
    wanted = sorted(set(keys))
    by_erp_id: dict[str, Order] = {}
    by_number: dict[str, Order] = {}
    for chunk in _chunks(wanted):
        rows = Order.objects.filter(Q(erp_id__in=chunk) | Q(number__in=chunk)).only(
            "id", "legal_entity_id", "erp_id", "number"
        )
        for order in rows:
            if order.erp_id:
                by_erp_id[order.erp_id] = order
            by_number[order.number] = order
    return {
        key: by_erp_id.get(key) or by_number[key]
        for key in wanted
        if key in by_erp_id or key in by_number
    }


def apply_settlement_records(
    context: ApplyContext, items: Sequence[SettlementRecordItem]
) -> Applied:
    fresh = context.fresh(items)
    errors = ItemErrors()
    errors.refuse_duplicate_ids(fresh)
    entities = _legal_entities(item.legal_entity_id for _, item in fresh)
    orders = _orders(item.order_id for _, item in fresh if item.order_id)
    shipments = Shipment.objects.only("id", "legal_entity_id", "order_id", "erp_id").in_bulk(
        sorted({item.shipment_id for _, item in fresh if item.shipment_id}), field_name="erp_id"
    )
    records: list[tuple[int, SettlementRecordItem, SettlementData]] = []
    for index, item in fresh:
        data = _settlement_data(errors, index, item, entities, orders, shipments)
        if data is not None:
            records.append((index, item, data))
    stored_debits = _stored_debits(records)
    allocations = _allocations(errors, records, stored_debits)
    errors.raise_if_any()

    written = settlement_records_upsert([data for _, _, data in records])

    def record(erp_id: str) -> SettlementRecord:
        return written.records.get(erp_id) or stored_debits[erp_id]

    # Checked above with the service's own rules on the batch's final state, so the service
    # does not refuse here.
    payment_allocations_replace(
        [
            (record(credit_id), [(record(debit_id), amount) for debit_id, amount in debts])
            for credit_id, debts in allocations
        ]
    )
    applied = Applied(created=written.created, updated=written.updated)
    if context.options.get("full_snapshot"):
        applied.deleted = _delete_missing(items)
    return applied


def _settlement_data(
    errors: ItemErrors,
    index: int,
    item: SettlementRecordItem,
    entities: dict[str, LegalEntity],
    orders: dict[str, Order],
    shipments: dict[str, Shipment],
) -> SettlementData | None:
    entity = entities.get(item.legal_entity_id)
    order = orders.get(item.order_id) if item.order_id else None
    shipment = shipments.get(item.shipment_id) if item.shipment_id else None
    if entity is None:
        errors.unknown(index, "legal_entity_id", "legal entity", item.legal_entity_id)
    if item.order_id and order is None:
        errors.unknown(index, "order_id", "order", item.order_id)
    if item.shipment_id and shipment is None:
        errors.unknown(index, "shipment_id", "shipment", item.shipment_id)
    if entity is None:
        return None
    data = SettlementData(
        erp_id=item.id,
        legal_entity=entity,
        kind=item.kind.value,
        date=item.date,
        number=item.number,
        debit=item.debit,
        credit=item.credit,
        due_date=item.due_date,
        order=order,
        shipment=shipment,
        description=item.description,
    )
    problems = settlement_record_errors(data)
    for field_name, messages in problems.items():
        errors.add(index, ITEM_FIELDS.get(field_name, field_name), "invalid", " ".join(messages))
    return None if problems else data


def _stored_debits(
    records: Sequence[tuple[int, SettlementRecordItem, SettlementData]],
) -> dict[str, SettlementRecord]:
    """The debits allocations name that the batch does not carry itself."""
    in_batch = {item.id for _, item, _ in records}
    wanted = {
        allocation.debit_id
        for _, item, _ in records
        for allocation in item.allocations or ()
        if allocation.debit_id not in in_batch
    }
    return SettlementRecord.objects.in_bulk(sorted(wanted), field_name="erp_id")


def _allocations(
    errors: ItemErrors,
    records: Sequence[tuple[int, SettlementRecordItem, SettlementData]],
    stored_debits: dict[str, SettlementRecord],
) -> list[tuple[str, list[tuple[str, Decimal]]]]:
    """The allocations of the batch as (credit id, [(debit id, amount)]), checked by the
    domain's rules against the records as the batch leaves them."""
    final = {item.id: _unsaved(data) for _, item, data in records}
    checked: list[tuple[str, list[tuple[str, Decimal]]]] = []
    for index, item, _data in records:
        if item.allocations is None:
            continue
        debts: list[Allocation] = []
        for position, allocation in enumerate(item.allocations):
            debit = final.get(allocation.debit_id) or stored_debits.get(allocation.debit_id)
            if debit is None:
                errors.unknown(
                    index,
                    f"allocations[{position}].debit_id",
                    "settlement record",
                    allocation.debit_id,
                )
            else:
                debts.append((debit, allocation.amount))
        problems = payment_allocation_errors(credit_record=final[item.id], allocations=debts)
        for message in problems:
            errors.add(index, "allocations", "invalid", message)
        checked.append(
            (item.id, [(allocation.debit_id, allocation.amount) for allocation in item.allocations])
        )
    return checked


def _unsaved(data: SettlementData) -> SettlementRecord:
    """The record as the batch will leave it, for checking allocations before writing."""
    return SettlementRecord(
        erp_id=data.erp_id,
        legal_entity_id=data.legal_entity.id,
        number=data.number,
        debit=data.debit,
        credit=data.credit,
    )


def _delete_missing(items: Sequence[SettlementRecordItem]) -> int:
    """A full snapshot holds every record of the legal entities it names: the others go."""
    entity_ids = {
        entity.id for entity in _legal_entities(item.legal_entity_id for item in items).values()
    }
    kept = {item.id for item in items}
    missing = [
        record_id
        for record_id, erp_id in SettlementRecord.objects.filter(
            legal_entity_id__in=entity_ids
        ).values_list("id", "erp_id")
        if erp_id not in kept
    ]
    deleted = 0
    for start in range(0, len(missing), 1000):
        deleted += (
            SettlementRecord.objects.filter(id__in=missing[start : start + 1000])
            .delete()[1]
            .get(SettlementRecord._meta.label, 0)
        )
    return deleted


register(
    Resource(
        path="settlement-records",
        summary="Settlement records (взаиморасчёты)",
        description=(
            "The documents the dealers' balances are computed from, keyed by the ERP's id: a "
            "debit (shipment, the dealer owes more) or a credit (payment, return: owes less), "
            "exactly one of the two, never negative. A debit without `due_date` is due after "
            "the legal entity's `payment_days` (send `credit-terms` first). `order_id` is the "
            "order's ERP id or the portal's order number; a record with a `shipment_id` belongs "
            "to the shipment's order too. `allocations` on a credit say which debts it paid "
            "(within the same legal entity, never more than the credit or a debt). With "
            "`full_snapshot: true` the batch holds every record of the legal entities it "
            "names: their records not in it are deleted (counted as `deleted`). `updated` counts "
            "the records that changed: re-sending history unchanged writes nothing."
        ),
        item=SettlementRecordItem,
        apply=apply_settlement_records,
        options={
            "full_snapshot": (
                bool,
                Field(
                    False,
                    description="The batch holds every record of its legal entities; the "
                    "others are deleted.",
                ),
            )
        },
        example={
            "full_snapshot": False,
            "items": [
                {
                    "id": "РН-0000-004512",
                    "legal_entity_id": "LE-000501",
                    "kind": "shipment",
                    "date": "2025-03-03",
                    "number": "РН-4512",
                    "debit": "184320.00",
                    "due_date": "2025-04-02",
                    "order_id": "З-000123",
                    "shipment_id": "SHP-0000-004512",
                    "description": "Автоматические выключатели ВА47-29, кабель ВВГнг(А)-LS",
                },
                {
                    "id": "ПП-0000-000871",
                    "legal_entity_id": "LE-000501",
                    "kind": "payment",
                    "date": "2025-03-20",
                    "number": "ПП-871",
                    "credit": "100000.00",
                    "description": "Оплата по счёту № 123 от 28.02.2025",
                    "allocations": [{"debit_id": "РН-0000-004512", "amount": "100000.00"}],
                },
            ],
        },
    )
)
