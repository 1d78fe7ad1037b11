"""The documents the ERP receives about orders: the one place their format is defined.

Amounts and quantities are strings (exact decimals); ids are given both as the portal's and
as the ERP's own (`erp_id`, null for objects created in the portal).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from dealerdesk.orders.models import Need, Order, OrderLine

ORDER_DOCUMENT_VERSION = 1


def _decimal(value: Decimal) -> str:
    return format(value, "f")


def order_document(order: Order, lines: Sequence[OrderLine]) -> dict[str, Any]:
    legal_entity = order.legal_entity
    dealer = order.dealer
    method = order.delivery_method
    return {
        "version": ORDER_DOCUMENT_VERSION,
        "id": order.id,
        "number": order.number,
        "erp_id": order.erp_id,
        "erp_number": order.erp_number,
        "source": order.source,
        "placed_at": order.placed_at.isoformat(),
        "status": order.status.code,
        "dealer": {"id": dealer.id, "erp_id": dealer.erp_id, "name": dealer.name},
        "legal_entity": {
            "id": legal_entity.id,
            "erp_id": legal_entity.erp_id,
            "name": legal_entity.name,
            "inn": legal_entity.inn,
            "kpp": legal_entity.kpp,
        },
        "author": (
            {"email": order.author.email, "name": order.author.full_name} if order.author else None
        ),
        "delivery": {
            "method": method.code if method else None,
            "kind": method.kind if method else None,
            "warehouse_erp_id": order.pickup_warehouse.erp_id if order.pickup_warehouse else None,
            "address": order.delivery_address,
        },
        "comment": order.comment,
        "customer_reference": order.customer_reference,
        "price_type_erp_id": order.price_type.erp_id if order.price_type else None,
        "currency": order.currency,
        "prices_include_vat": order.prices_include_vat,
        "amount_without_vat": _decimal(order.amount_without_vat),
        "vat_amount": _decimal(order.vat_amount),
        "amount_with_vat": _decimal(order.amount_with_vat),
        "lines": [
            {
                "position": line.position,
                "product_id": line.product_id,
                "product_erp_id": line.product.erp_id,
                "code": line.code,
                "name": line.name,
                "unit": line.unit,
                "quantity": _decimal(line.quantity),
                "need_quantity": _decimal(line.need_quantity),
                "base_price": _decimal(line.base_price),
                "discount_percent": _decimal(line.discount_percent),
                "price": _decimal(line.price),
                "amount": _decimal(line.amount),
                "vat_rate": _decimal(line.vat_rate),
                "vat_amount": _decimal(line.vat_amount),
            }
            for line in lines
        ],
    }


def need_document(need: Need, order: Order) -> dict[str, Any]:
    return {
        "version": ORDER_DOCUMENT_VERSION,
        "id": need.id,
        "order_id": order.id,
        "order_number": order.number,
        "order_position": need.order_line.position,
        "product_id": need.product_id,
        "product_erp_id": need.product.erp_id,
        "legal_entity_erp_id": need.legal_entity.erp_id,
        "quantity": _decimal(need.quantity),
        "status": need.status,
    }


def need_answer_document(need: Need) -> dict[str, Any]:
    """A need as the supplier's manager answered it: reserved in a supply, or dated."""
    supply = need.supply
    return {
        **need_document(need, need.order),
        "expected_date": need.expected_date.isoformat() if need.expected_date else None,
        "supply": (
            {
                "id": supply.id,
                "erp_id": supply.erp_id,
                "warehouse_erp_id": supply.warehouse.erp_id,
                "expected_date": supply.expected_date.isoformat(),
            }
            if supply is not None
            else None
        ),
        "comment": need.answer_comment,
        "answered_at": need.answered_at.isoformat() if need.answered_at else None,
        "answered_by": need.answered_by.email if need.answered_by else None,
    }
