from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from dealerdesk.orders.models import Order
from dealerdesk.shipments.models import Shipment
from dealerdesk.shipments.services import ShipmentLineData, shipment_upsert


def shipment_for(order: Order, *, number: str = "", quantity: Decimal | None = None) -> Shipment:
    """Ship every line of an order (or `quantity` of each), as the ERP would report it."""
    lines = [
        ShipmentLineData(
            product=line.product,
            quantity=quantity or line.quantity,
            price=line.price,
            order_line=line,
        )
        for line in order.lines.select_related("product")
    ]
    return shipment_upsert(
        erp_id=f"shipment-{order.id}-{number or 'a'}",
        number=number or f"РН-{order.id:05d}",
        shipped_at=timezone.now(),
        legal_entity=order.legal_entity,
        order=order,
        lines=lines,
    )
