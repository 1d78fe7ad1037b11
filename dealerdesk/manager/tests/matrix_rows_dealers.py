"""Who may open the manager's dealer pages and claims (merged into the matrix by
`manager/tests/matrix_rows.py`).

Staff only: dealers, whatever their rights, are refused. The matrix's MANAGER has no dealers
assigned and so sees every dealer; the probes assign them dealer B alone, after which dealer
A's objects answer the same 404 as missing ones.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import Persona, World
from dealerdesk.orders.models import Order
from dealerdesk.orders.services import order_line_cancel
from dealerdesk.orders.tests.factories import order_create
from dealerdesk.shipments.models import Claim, Shipment
from dealerdesk.shipments.services import claim_file
from dealerdesk.shipments.tests.factories import shipment_for
from dealerdesk.tenancy.tests.matrix import REDIRECT, Probe, Row, staff_page


def a_order(world: World) -> Order:
    return order_create(
        legal_entity=world.a_main,
        author=world.user(Persona.EMPLOYEE_WITH_RIGHT),
        product=world.breaker,
    )


def a_shipment(world: World) -> Shipment:
    return shipment_for(a_order(world))


def a_claim(world: World) -> Claim:
    upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    return claim_file(
        user=world.user(Persona.SUPERUSER),
        shipment_line=a_shipment(world).lines.get(),
        reason="defect",
        quantity=Decimal(1),
        description="брак",
        attachments=[upload],
    )


def _dealer_a(world: World) -> list[Any]:
    return [world.dealer_a.id]


def _order(world: World) -> list[Any]:
    return [a_order(world).id]


def _order_with_cancellation(world: World) -> list[Any]:
    order = a_order(world)
    order_line_cancel(line=order.lines.get(), quantity=Decimal(1), reason="нет у производителя")
    return [order.id]


def _shipment(world: World) -> list[Any]:
    return [a_shipment(world).id]


def _document(world: World) -> list[Any]:
    return [a_order(world).documents.get().id]


def _claim(world: World) -> list[Any]:
    return [a_claim(world).id]


def _attachment(world: World) -> list[Any]:
    return [a_claim(world).attachments.get().id]


ROWS: dict[str, Row] = {
    "manager:dealer_list": Row(staff_page(), data=lambda w: {"q": "Электро"}),
    "manager:dealer_detail": Row(staff_page(), args=_dealer_a),
    "manager:dealer_block": Row(
        staff_page(manager=REDIRECT, head_manager=REDIRECT),
        method="post",
        args=_dealer_a,
        data=lambda w: {"blocked": "1"},
    ),
    "manager:order_detail": Row(staff_page(), args=_order),
    "manager:order_cancelled_items": Row(staff_page(), args=_order_with_cancellation),
    "manager:shipment_detail": Row(staff_page(), args=_shipment),
    "manager:document_download": Row(staff_page(), args=_document),
    "manager:claim_list": Row(staff_page(), data=lambda w: {"status": "open"}),
    "manager:claim_detail": Row(staff_page(), args=_claim),
    "manager:claim_status": Row(
        staff_page(manager=REDIRECT, head_manager=REDIRECT),
        method="post",
        args=_claim,
        data=lambda w: {"status": "in_review", "comment": "Проверяем"},
    ),
    "manager:claim_comment": Row(
        staff_page(manager=REDIRECT, head_manager=REDIRECT),
        method="post",
        args=_claim,
        data=lambda w: {"comment": "Пришлите фото маркировки"},
    ),
    "manager:claim_attachment_download": Row(staff_page(), args=_attachment),
}


def _for_manager_of_b(build: Callable[[World], list[Any]]) -> Callable[[World], list[Any]]:
    """Dealer A's object, asked for by a manager who looks after dealer B only."""

    def probe(world: World) -> list[Any]:
        world.dealer_b.managers.add(world.user(Persona.MANAGER))
        return build(world)

    return probe


_OBJECT_PAGES: list[tuple[str, Callable[[World], list[Any]]]] = [
    ("manager:dealer_detail", _dealer_a),
    ("manager:order_detail", _order),
    ("manager:order_cancelled_items", _order_with_cancellation),
    ("manager:shipment_detail", _shipment),
    ("manager:document_download", _document),
    ("manager:claim_detail", _claim),
    ("manager:claim_attachment_download", _attachment),
]

PROBES: list[Probe] = [
    *((name, Persona.MANAGER, _for_manager_of_b(build)) for name, build in _OBJECT_PAGES),
    *((name, Persona.HEAD_MANAGER, lambda w: [999_999]) for name, _build in _OBJECT_PAGES),
]
