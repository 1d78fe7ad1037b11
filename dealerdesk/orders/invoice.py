"""The invoice for payment (счёт на оплату), produced when an order is placed (F10)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone, translation

from dealerdesk.companies.models import SupplierSettings
from dealerdesk.core.words import amount_in_words
from dealerdesk.documents.models import Document, DocumentType
from dealerdesk.documents.pdf import render_pdf
from dealerdesk.orders.models import Order, OrderLine

INVOICE_TYPE_CODE = "invoice"


def invoice_due_date(order: Order, supplier: SupplierSettings) -> datetime.date:
    return timezone.localdate(order.placed_at) + datetime.timedelta(
        days=supplier.invoice_payment_days
    )


def vat_by_rate(lines: Sequence[OrderLine]) -> list[tuple[Decimal, Decimal]]:
    """VAT totals per rate, highest rate first (22 % and 10 % lines on one invoice)."""
    totals: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line in lines:
        totals[line.vat_rate] += line.vat_amount
    return sorted(totals.items(), reverse=True)


def render_invoice_pdf(
    order: Order, lines: Sequence[OrderLine], supplier: SupplierSettings
) -> bytes:
    # An invoice is a Russian payment document whatever language the dealer reads in.
    with translation.override("ru"):
        return render_pdf(
            "orders/invoice_pdf.html",
            {
                "order": order,
                "lines": lines,
                "supplier": supplier,
                "buyer": order.legal_entity,
                "due_date": invoice_due_date(order, supplier),
                "vat_by_rate": vat_by_rate(lines),
                "amount_in_words": amount_in_words(order.amount_with_vat),
                "date": timezone.localdate(order.placed_at),
            },
        )


def invoice_create(
    *, order: Order, lines: Sequence[OrderLine], supplier: SupplierSettings
) -> Document:
    """Render the invoice and attach it to the order; call inside the order's transaction."""
    document_type, _created = DocumentType.objects.get_or_create(
        code=INVOICE_TYPE_CODE,
        defaults={"name": "Счёт на оплату", "name_en": "Invoice", "is_financial": False},
    )
    pdf = render_invoice_pdf(order, lines, supplier)
    file_name = f"invoice-{order.number}.pdf"
    document = Document(
        type=document_type,
        number=order.number,
        date=timezone.localdate(order.placed_at),
        title=f"Счёт на оплату № {order.number}",
        dealer_id=order.dealer_id,
        legal_entity_id=order.legal_entity_id,
        order=order,
        file_name=file_name,
        content_type="application/pdf",
        file_size=len(pdf),
    )
    document.file.save(file_name, ContentFile(pdf), save=False)
    document.save()
    return document
