"""Finance writes: the ERP's credit terms, settlement records and payment allocations.

The ERP API and the demo generator call these; dealers only read finance data.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from dealerdesk.companies.models import LegalEntity
from dealerdesk.finance.models import CreditTerms, PaymentAllocation, SettlementRecord
from dealerdesk.orders.models import Order
from dealerdesk.shipments.models import Shipment

ZERO = Decimal(0)


def credit_terms_set(
    *, legal_entity: LegalEntity, credit_limit: Decimal, payment_days: int, contract: str = ""
) -> CreditTerms:
    if credit_limit < 0:
        raise ValidationError({"credit_limit": _("The credit limit cannot be negative.")})
    if payment_days < 0:
        raise ValidationError({"payment_days": _("Payment days cannot be negative.")})
    terms, _created = CreditTerms.objects.update_or_create(
        legal_entity=legal_entity,
        defaults={
            "credit_limit": credit_limit,
            "payment_days": payment_days,
            "contract": contract.strip(),
        },
    )
    return terms


@dataclass(frozen=True)
class CreditTermsData:
    legal_entity: LegalEntity
    credit_limit: Decimal
    payment_days: int
    contract: str = ""


@transaction.atomic
def credit_terms_set_many(terms: Sequence[CreditTermsData]) -> tuple[int, int]:
    """`credit_terms_set` for many legal entities at once (an ERP batch); returns how many
    terms were created and how many changed."""
    if any(data.credit_limit < 0 or data.payment_days < 0 for data in terms):
        raise ValidationError(_("Credit limits and payment days cannot be negative."))
    stored = CreditTerms.objects.in_bulk(
        [data.legal_entity.id for data in terms], field_name="legal_entity_id"
    )
    now = timezone.now()
    new: list[CreditTerms] = []
    changed: list[CreditTerms] = []
    for data in terms:
        values = (data.credit_limit, data.payment_days, data.contract.strip())
        row = stored.get(data.legal_entity.id)
        if row is None:
            row = CreditTerms(legal_entity=data.legal_entity)
            new.append(row)
        elif (row.credit_limit, row.payment_days, row.contract) != values:
            row.updated_at = now
            changed.append(row)
        row.credit_limit, row.payment_days, row.contract = values
    CreditTerms.objects.bulk_create(new, batch_size=1000)
    CreditTerms.objects.bulk_update(
        changed, ["credit_limit", "payment_days", "contract", "updated_at"], batch_size=1000
    )
    return len(new), len(changed)


@dataclass(frozen=True)
class SettlementData:
    """One settlement record as the ERP sends it. Exactly one of debit and credit is set."""

    erp_id: str
    legal_entity: LegalEntity
    kind: str
    date: datetime.date
    number: str = ""
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    due_date: datetime.date | None = None
    order: Order | None = None
    shipment: Shipment | None = None
    description: str = ""


def settlement_record_errors(data: SettlementData) -> dict[str, list[str]]:
    """What is wrong with a record, per field; empty when it can be saved."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if data.kind not in SettlementRecord.Kind.values:
        add("kind", _("Unknown kind of settlement record: %(kind)s.") % {"kind": data.kind})
    if data.debit < 0 or data.credit < 0:
        add("amount", _("Amounts cannot be negative; send a credit instead of a negative debit."))
    elif (data.debit > 0) == (data.credit > 0):
        add("amount", _("A record has either a debit or a credit amount, not both or neither."))
    if data.due_date is not None and data.due_date < data.date:
        add("due_date", _("The due date is earlier than the document date."))
    if data.order is not None and data.order.legal_entity_id != data.legal_entity.id:
        add("order", _("The order belongs to another legal entity."))
    if data.shipment is not None and data.shipment.legal_entity_id != data.legal_entity.id:
        add("shipment", _("The shipment belongs to another legal entity."))
    return errors


def _due_date(data: SettlementData, payment_days: int | None) -> datetime.date | None:
    """A debit is due on its own due date, else after the entity's payment days; a credit
    is never due."""
    if data.debit <= 0:
        return None
    if data.due_date is not None:
        return data.due_date
    return data.date + datetime.timedelta(days=payment_days or 0)


def _fill(record: SettlementRecord, data: SettlementData, due_date: datetime.date | None) -> None:
    record.dealer_id = data.legal_entity.dealer_id
    record.legal_entity = data.legal_entity
    record.kind = data.kind
    record.date = data.date
    record.number = data.number.strip()
    record.debit = data.debit
    record.credit = data.credit
    record.due_date = due_date
    # A record of a shipment belongs to the shipment's order too.
    record.order_id = (
        data.order.id
        if data.order is not None
        else (data.shipment.order_id if data.shipment is not None else None)
    )
    record.shipment = data.shipment
    record.description = data.description.strip()


@transaction.atomic
def settlement_record_upsert(data: SettlementData) -> SettlementRecord:
    """Create or replace the record with the ERP's id. A debit without a due date gets one
    from the legal entity's credit terms."""
    errors = settlement_record_errors(data)
    if errors:
        raise ValidationError(errors)
    payment_days = None
    if data.debit > 0 and data.due_date is None:
        terms = CreditTerms.objects.filter(legal_entity=data.legal_entity).first()
        payment_days = terms.payment_days if terms else 0
    record = SettlementRecord.objects.filter(erp_id=data.erp_id).first() or SettlementRecord(
        erp_id=data.erp_id
    )
    _fill(record, data, _due_date(data, payment_days))
    record.save()
    return record


SETTLEMENT_FIELDS = [
    "dealer", "legal_entity", "kind", "date", "number", "debit", "credit", "due_date",
    "order", "shipment", "description", "updated_at",
]  # fmt: skip


@dataclass(frozen=True)
class SettlementsWritten:
    records: dict[str, SettlementRecord]  # by ERP id
    created: int
    updated: int


@transaction.atomic
def settlement_records_upsert(records: Sequence[SettlementData]) -> SettlementsWritten:
    """`settlement_record_upsert` for many records at once (an ERP batch) in a fixed number
    of queries. The ERP ids must be distinct; the caller reports `settlement_record_errors`
    per record first, an invalid record here refuses them all."""
    invalid = [data.erp_id for data in records if settlement_record_errors(data)]
    if invalid:
        raise ValidationError(
            _("Invalid settlement records: %(ids)s.") % {"ids": ", ".join(invalid[:10])}
        )
    undated = {data.legal_entity.id for data in records if data.debit > 0 and not data.due_date}
    payment_days = dict(
        CreditTerms.objects.filter(legal_entity_id__in=undated).values_list(
            "legal_entity_id", "payment_days"
        )
    )
    stored = SettlementRecord.objects.in_bulk(
        [data.erp_id for data in records], field_name="erp_id"
    )
    now = timezone.now()
    new: list[SettlementRecord] = []
    changed: list[SettlementRecord] = []
    written: dict[str, SettlementRecord] = {}
    for data in records:
        record = stored.get(data.erp_id)
        due_date = _due_date(data, payment_days.get(data.legal_entity.id))
        if record is None:
            record = SettlementRecord(erp_id=data.erp_id)
            _fill(record, data, due_date)
            new.append(record)
        else:
            before = _stored_values(record)
            _fill(record, data, due_date)
            # A full reload re-sends mostly unchanged history: only real changes are written.
            if _stored_values(record) != before:
                record.updated_at = now
                changed.append(record)
        written[data.erp_id] = record
    SettlementRecord.objects.bulk_create(new, batch_size=1000)
    _rows_update(SettlementRecord, changed, SETTLEMENT_FIELDS)
    return SettlementsWritten(records=written, created=len(new), updated=len(changed))


def _stored_values(record: SettlementRecord) -> tuple[object, ...]:
    return tuple(
        getattr(record, field.attname)
        for field in _concrete_fields(SettlementRecord, SETTLEMENT_FIELDS)
        if field.name != "updated_at"
    )


def _concrete_fields(model: type[Model], names: Sequence[str]) -> list[Field[Any, Any]]:
    wanted = set(names)
    return [field for field in model._meta.concrete_fields if field.name in wanted]


def _rows_update(model: type[Model], rows: Sequence[Model], field_names: Sequence[str]) -> None:
    """Write the fields of many rows with one prepared UPDATE run per row (executemany).

    `bulk_update` builds a CASE with a branch per row for every field: tens of thousands of
    rows take minutes; this takes seconds on SQLite and PostgreSQL alike.
    """
    if not rows:
        return
    fields = _concrete_fields(model, field_names)
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in fields)
    table, key = quote(model._meta.db_table), quote(str(model._meta.pk.column))
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608 - names from the model
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
        + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


Allocation = tuple[SettlementRecord, Decimal]


def payment_allocation_errors(
    *, credit_record: SettlementRecord, allocations: Sequence[Allocation]
) -> list[str]:
    """What is wrong with saying a credit paid these debts; empty when it can be saved.
    Never more than the credit or any debt."""
    if allocations and credit_record.credit <= 0:
        return [_("Only a credit (payment, return) can be allocated to debts.")]
    errors: list[str] = []
    total = ZERO
    per_debit: dict[int | str, Decimal] = {}
    for debit_record, amount in allocations:
        label = debit_record.number or debit_record.erp_id
        if debit_record.legal_entity_id != credit_record.legal_entity_id:
            errors.append(
                _("Document %(number)s belongs to another legal entity.") % {"number": label}
            )
        elif debit_record.debit <= 0:
            errors.append(_("Document %(number)s is not a debt.") % {"number": label})
        elif amount <= 0:
            errors.append(_("An allocated amount must be positive."))
        else:
            key = debit_record.pk or debit_record.erp_id or ""
            per_debit[key] = per_debit.get(key, ZERO) + amount
            if per_debit[key] > debit_record.debit:
                errors.append(
                    _("More is allocated to %(number)s than it amounts to.") % {"number": label}
                )
            total += amount
    if total > credit_record.credit:
        errors.append(
            _("Allocations (%(total)s) exceed the payment (%(amount)s).")
            % {"total": total, "amount": credit_record.credit}
        )
    return errors


@transaction.atomic
def payment_allocations_replace(
    allocations: Sequence[tuple[SettlementRecord, Sequence[Allocation]]],
) -> list[PaymentAllocation]:
    """Replace what the ERP says each credit paid (an empty list: nothing allocated)."""
    for credit_record, debts in allocations:
        errors = payment_allocation_errors(credit_record=credit_record, allocations=debts)
        if errors:
            raise ValidationError(errors)
    credit_ids = [credit_record.id for credit_record, _debts in allocations]
    for start in range(0, len(credit_ids), 1000):
        PaymentAllocation.objects.filter(
            credit_record_id__in=credit_ids[start : start + 1000]
        ).delete()
    rows: list[PaymentAllocation] = []
    for credit_record, debts in allocations:
        per_debit: dict[int, Decimal] = {}
        for debit_record, amount in debts:
            per_debit[debit_record.id] = per_debit.get(debit_record.id, ZERO) + amount
        rows.extend(
            PaymentAllocation(credit_record=credit_record, debit_record_id=debit_id, amount=amount)
            for debit_id, amount in per_debit.items()
        )
    return PaymentAllocation.objects.bulk_create(rows, batch_size=1000)


def payment_allocations_set(
    *, credit_record: SettlementRecord, allocations: Sequence[Allocation]
) -> list[PaymentAllocation]:
    """Replace what the ERP says a credit paid. Never more than the credit or any debt."""
    return payment_allocations_replace([(credit_record, allocations)])
