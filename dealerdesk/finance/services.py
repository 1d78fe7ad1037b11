"""Finance writes: the ERP's credit terms, settlement records and payment allocations.

The ERP API and the demo generator call these; dealers only read finance data.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
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


@transaction.atomic
def settlement_record_upsert(data: SettlementData) -> SettlementRecord:
    """Create or replace the record with the ERP's id. A debit without a due date gets one
    from the legal entity's credit terms."""
    errors = settlement_record_errors(data)
    if errors:
        raise ValidationError(errors)
    due_date = data.due_date
    if data.debit > 0 and due_date is None:
        terms = CreditTerms.objects.filter(legal_entity=data.legal_entity).first()
        due_date = data.date + datetime.timedelta(days=terms.payment_days if terms else 0)
    order = data.order or (data.shipment.order if data.shipment is not None else None)
    record, _created = SettlementRecord.objects.update_or_create(
        erp_id=data.erp_id,
        defaults={
            "dealer_id": data.legal_entity.dealer_id,
            "legal_entity": data.legal_entity,
            "kind": data.kind,
            "date": data.date,
            "number": data.number.strip(),
            "debit": data.debit,
            "credit": data.credit,
            "due_date": due_date if data.debit > 0 else None,
            "order": order,
            "shipment": data.shipment,
            "description": data.description.strip(),
        },
    )
    return record


@transaction.atomic
def payment_allocations_set(
    *, credit_record: SettlementRecord, allocations: Sequence[tuple[SettlementRecord, Decimal]]
) -> list[PaymentAllocation]:
    """Replace what the ERP says a credit paid. Never more than the credit or any debt."""
    if credit_record.credit <= 0:
        raise ValidationError(_("Only a credit (payment, return) can be allocated to debts."))
    total = ZERO
    per_debit: dict[int, Decimal] = {}
    for debit_record, amount in allocations:
        if debit_record.legal_entity_id != credit_record.legal_entity_id:
            raise ValidationError(
                _("Document %(number)s belongs to another legal entity.")
                % {"number": debit_record.number or debit_record.erp_id}
            )
        if debit_record.debit <= 0:
            raise ValidationError(
                _("Document %(number)s is not a debt.")
                % {"number": debit_record.number or debit_record.erp_id}
            )
        if amount <= 0:
            raise ValidationError(_("An allocated amount must be positive."))
        per_debit[debit_record.id] = per_debit.get(debit_record.id, ZERO) + amount
        if per_debit[debit_record.id] > debit_record.debit:
            raise ValidationError(
                _("More is allocated to %(number)s than it amounts to.")
                % {"number": debit_record.number or debit_record.erp_id}
            )
        total += amount
    if total > credit_record.credit:
        raise ValidationError(
            _("Allocations (%(total)s) exceed the payment (%(amount)s).")
            % {"total": total, "amount": credit_record.credit}
        )
    PaymentAllocation.objects.filter(credit_record=credit_record).delete()
    return PaymentAllocation.objects.bulk_create(
        PaymentAllocation(credit_record=credit_record, debit_record_id=debit_id, amount=amount)
        for debit_id, amount in per_debit.items()
    )
