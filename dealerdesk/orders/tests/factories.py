from __future__ import annotations

import itertools
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from dealerdesk.accounts.models import User
from dealerdesk.catalog.models import Product
from dealerdesk.companies.models import LegalEntity
from dealerdesk.documents.models import Document, DocumentType
from dealerdesk.orders.models import (
    DraftLine,
    DraftOrder,
    Need,
    Order,
    OrderLine,
    OrderStatus,
)

_numbers = itertools.count(1)


def order_create(
    *, legal_entity: LegalEntity, author: User | None, product: Product, quantity: int = 2
) -> Order:
    """An order as placing one would leave it, with an invoice document, without rendering."""
    price = Decimal("100.00")
    amount = price * quantity
    order = Order.objects.create(
        number=f"T-{next(_numbers):06d}",
        dealer=legal_entity.dealer,
        legal_entity=legal_entity,
        author=author,
        status=OrderStatus.objects.get(code="new"),
        vat_rate=Decimal(22),
        amount_without_vat=amount - Decimal("36.07"),
        vat_amount=Decimal("36.07"),
        amount_with_vat=amount,
        placed_at=timezone.now(),
    )
    OrderLine.objects.create(
        order=order,
        position=1,
        product=product,
        code=product.code,
        name=product.name,
        unit=product.unit,
        quantity=quantity,
        base_price=price,
        price=price,
        amount=amount,
        vat_rate=Decimal(22),
        vat_amount=Decimal("36.07"),
    )
    document = Document(
        type=DocumentType.objects.get(code="invoice"),
        number=order.number,
        date=timezone.localdate(),
        title=f"Счёт {order.number}",
        dealer=legal_entity.dealer,
        legal_entity=legal_entity,
        order=order,
        file_name=f"invoice-{order.number}.pdf",
        file_size=20,
    )
    document.file.save(document.file_name, ContentFile(b"%PDF-1.4 test invoice"), save=False)
    document.save()
    return order


def draft_line_create(
    *, user: User, legal_entity: LegalEntity, product: Product, quantity: int = 1
) -> DraftLine:
    draft, _created = DraftOrder.objects.get_or_create(user=user, legal_entity=legal_entity)
    return DraftLine.objects.create(draft=draft, product=product, quantity=quantity)


def need_create(order: Order, quantity: int | Decimal = 1) -> Need:
    """The first line of the order left partly uncovered by stock: a need awaiting an answer."""
    line = order.lines.select_related("product").get(position=1)
    line.need_quantity = Decimal(quantity)
    line.save(update_fields=["need_quantity"])
    return Need.objects.create(
        order=order,
        order_line=line,
        product=line.product,
        dealer=order.dealer,
        legal_entity=order.legal_entity,
        quantity=Decimal(quantity),
    )
