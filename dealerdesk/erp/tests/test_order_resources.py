"""The order-side ERP resources, through the HTTP API: orders entered in the ERP, order
updates, answers to needs, shipments and documents."""

from __future__ import annotations

import base64
import datetime
import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

from conftest import Persona, World
from dealerdesk.core.models import Counter
from dealerdesk.core.services import counter_next
from dealerdesk.documents.models import Document
from dealerdesk.erp.models import ErpBatch
from dealerdesk.erp.registry import RESOURCES
from dealerdesk.erp.resources import orders as order_resources
from dealerdesk.events.models import OutboxEvent
from dealerdesk.orders.models import Need, Order, OrderLine, OrderStatusChange
from dealerdesk.orders.services import order_number
from dealerdesk.orders.tests.factories import order_create
from dealerdesk.shipments.models import Shipment

_keys = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj\n<</Type/Catalog>>\nendobj\n%%EOF\n"
ORDER_PATHS = ["orders", "order-updates", "need-answers", "shipments", "documents"]


def push(
    world: World, path: str, items: list[dict[str, Any]], key: str | None = None
) -> HttpResponse:
    response: HttpResponse = world.client_for(Persona.ERP_CLIENT).post(
        f"/api/erp/v1/{path}",
        {"items": items},
        content_type="application/json",
        headers={"Idempotency-Key": key or f"orders-test-{next(_keys)}"},
    )
    return response


def error_paths(response: HttpResponse) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {error["path"]: error["code"] for error in response.json()["errors"]}


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def erp_world(world: World) -> World:
    """The world with the ERP ids the ERP knows its objects by."""
    for obj, erp_id in [
        (world.a_main, "КА-000128"),
        (world.a_sub1, "КА-000129"),
        (world.b_main, "КА-000500"),
        (world.breaker, "MVA20-3-016-C"),
        (world.cable_product, "1101001"),
        (world.warehouse_msk, "WH-MSK"),
    ]:
        obj.erp_id = erp_id
        obj.save(update_fields=["erp_id"])
    return world


@pytest.fixture
def portal_order(erp_world: World) -> Order:
    """An order placed in the portal by dealer A's main legal entity, two lines."""
    order = order_create(
        legal_entity=erp_world.a_main,
        author=erp_world.user(Persona.EMPLOYEE_WITH_RIGHT),
        product=erp_world.breaker,
        quantity=10,
    )
    # Numbered as placing it would: the 123rd order, drawn from the same counter.
    Counter.objects.update_or_create(name="order", defaults={"value": 122})
    order.number = order_number(counter_next("order"))
    order.save(update_fields=["number"])
    line = order.lines.get()
    line.pk = None
    line.position = 2
    line.product = erp_world.cable_product
    line.code = erp_world.cable_product.code
    line.save()
    return order


def erp_order(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "ЗК-00-004512",
        "number": "ЗК-4512",
        "legal_entity_id": "КА-000128",
        "placed_at": "2025-03-14T11:20:00+03:00",
        "status": "confirmed",
        "lines": [
            {"product_id": "MVA20-3-016-C", "quantity": "40", "price": "412.80"},
            {
                "product_id": "1101001",
                "quantity": "500",
                "price": "85.50",
                "cancelled_quantity": "100",
                "cancel_reason": "Нет в наличии на складе Москва",
            },
        ],
        "delivery_method": "delivery",
        "delivery_address": "г. Москва, ул. Складская, д. 7",
        "comment": "Заказ принят по телефону",
    }
    item.update(changes)
    return item


@pytest.mark.parametrize("path", ORDER_PATHS)
def test_every_order_resource_is_registered_and_takes_an_empty_batch(
    world: World, path: str
) -> None:
    assert path in RESOURCES
    response = push(world, path, [])
    assert response.status_code == 200, response.content
    assert response.json()["received"] == 0


@pytest.mark.parametrize("path", ORDER_PATHS)
def test_the_documented_example_is_a_valid_batch(path: str) -> None:
    resource = RESOURCES[path]
    batch = resource.batch_model.model_validate(resource.example)
    assert batch.items  # type: ignore[attr-defined]


# --- orders ------------------------------------------------------------------------------------


def test_an_erp_order_appears_in_the_dealers_journal_with_its_total(erp_world: World) -> None:
    response = push(erp_world, "orders", [erp_order()])

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    order = Order.objects.get(erp_id="ЗК-00-004512")
    assert order.source == Order.Source.ERP
    assert order.erp_number == "ЗК-4512"
    assert order.legal_entity == erp_world.a_main
    assert order.dealer == erp_world.dealer_a
    assert order.status.code == "confirmed"
    assert order.delivery_method is not None
    assert order.delivery_method.code == "delivery"
    assert order.placed_at == datetime.datetime(2025, 3, 14, 8, 20, tzinfo=datetime.UTC)
    # 40 × 412.80 + (500 − 100) × 85.50, prices with VAT
    assert order.amount_with_vat == Decimal("50712.00")
    lines = list(order.lines.all())
    assert [(line.product_id, line.quantity) for line in lines] == [
        (erp_world.breaker.id, Decimal(40)),
        (erp_world.cable_product.id, Decimal(500)),
    ]
    assert lines[1].cancelled_quantity == Decimal(100)
    assert lines[1].cancel_reason == "Нет в наличии на складе Москва"
    assert not OutboxEvent.objects.exists()

    journal = erp_world.client_for(Persona.SUPERUSER).get(reverse("orders:order_list"))
    page = journal.content.decode()
    assert order.number in page
    assert "ЗК-4512" in page
    assert "50\u00a0712,00" in page
    foreign = erp_world.client_for(Persona.OTHER_DEALER).get(reverse("orders:order_list"))
    assert "ЗК-4512" not in foreign.content.decode()


def test_pushing_an_erp_order_again_updates_it(erp_world: World) -> None:
    assert push(erp_world, "orders", [erp_order()]).status_code == 200
    number = Order.objects.get().number

    changed = erp_order(
        status="shipped",
        lines=[{"product_id": "1101001", "quantity": "200", "price": "80.00"}],
    )
    response = push(erp_world, "orders", [changed])

    assert response.status_code == 200, response.content
    assert (response.json()["created"], response.json()["updated"]) == (0, 1)
    order = Order.objects.get()
    assert order.number == number
    assert order.status.code == "shipped"
    assert order.amount_with_vat == Decimal("16000.00")
    assert list(order.lines.values_list("product_id", "quantity")) == [
        (erp_world.cable_product.id, Decimal(200))
    ]
    history = OrderStatusChange.objects.filter(order=order)
    assert [change.status.code for change in history] == ["confirmed", "shipped"]
    assert not OutboxEvent.objects.exists()


def test_bad_erp_orders_are_reported_with_their_paths(erp_world: World) -> None:
    bad_lines = [
        {"product_id": "НЕТ-ТАКОГО", "quantity": "1", "price": "10.00"},
        {"product_id": "1101001", "quantity": "0", "price": "10.00"},
        {"product_id": "1101001", "quantity": "5", "price": "10.00", "cancelled_quantity": "6"},
    ]
    response = push(
        erp_world,
        "orders",
        [
            erp_order(id="A", legal_entity_id="КА-НЕТ"),
            erp_order(id="B", status="lost", delivery_method="teleport"),
            erp_order(id="C", lines=bad_lines),
        ],
    )

    assert error_paths(response) == {
        "items[0].legal_entity_id": "unknown_reference",
        "items[1].status": "unknown_reference",
        "items[1].delivery_method": "unknown_reference",
        "items[2].lines[0].product_id": "unknown_reference",
        "items[2].lines[1].quantity": "not_positive",
        "items[2].lines[2].cancelled_quantity": "exceeds_ordered",
    }
    assert not Order.objects.exists()


def test_a_negative_price_or_a_missing_field_is_refused_before_anything_is_read(
    erp_world: World,
) -> None:
    negative = erp_order()
    negative["lines"][0]["price"] = "-1.00"
    missing = erp_order()
    del missing["placed_at"]

    response = push(erp_world, "orders", [negative, missing])

    assert error_paths(response) == {
        "items[0].lines[0].price": "negative",
        "items[1].placed_at": "required",
    }
    assert not Order.objects.exists()


def test_an_erp_order_batch_with_one_bad_item_writes_nothing(erp_world: World) -> None:
    response = push(
        erp_world,
        "orders",
        [erp_order(id="GOOD-1"), erp_order(id="GOOD-2"), erp_order(id="BAD", status="lost")],
    )

    assert set(error_paths(response)) == {"items[2].status"}
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert ErpBatch.objects.get().status == ErpBatch.Status.REJECTED


def test_a_replayed_erp_order_batch_answers_the_same_and_writes_nothing(
    erp_world: World,
) -> None:
    first = push(erp_world, "orders", [erp_order()], key="order-replay")
    Order.objects.update(comment="changed in the portal meanwhile")
    second = push(erp_world, "orders", [erp_order()], key="order-replay")

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert Order.objects.get().comment == "changed in the portal meanwhile"
    assert ErpBatch.objects.count() == 1


def test_an_older_version_of_an_erp_order_is_skipped(erp_world: World) -> None:
    assert push(erp_world, "orders", [erp_order(version=5)]).status_code == 200
    response = push(erp_world, "orders", [erp_order(version=4, status="cancelled")])

    assert response.status_code == 200
    assert response.json()["skipped"][0]["id"] == "ЗК-00-004512"
    assert Order.objects.get().status.code == "confirmed"


# --- order updates -----------------------------------------------------------------------------


def test_an_order_update_sets_the_erp_number_and_cancels_a_line_shown_on_the_page(
    erp_world: World, portal_order: Order
) -> None:
    response = push(
        erp_world,
        "order-updates",
        [
            {
                "id": "B2B-000123",
                "erp_number": "ЗК-4513",
                "status": "confirmed",
                "status_comment": "Подтверждён, отгрузка 18.03",
                "lines": [
                    {
                        "position": 2,
                        "cancelled_quantity": "4",
                        "reason": "Снят с производства, предложена замена",
                    }
                ],
            }
        ],
    )

    assert response.status_code == 200, response.content
    assert response.json()["updated"] == 1
    portal_order.refresh_from_db()
    assert portal_order.erp_number == "ЗК-4513"
    assert portal_order.status.code == "confirmed"
    line = portal_order.lines.get(position=2)
    assert line.cancelled_quantity == Decimal(4)
    assert line.cancel_reason == "Снят с производства, предложена замена"
    assert portal_order.lines.get(position=1).cancelled_quantity == 0
    assert not OutboxEvent.objects.exists()

    page = (
        erp_world.client_for(Persona.SUPERUSER)
        .get(reverse("orders:order_detail", args=[portal_order.id]))
        .content.decode()
    )
    assert "ЗК-4513" in page
    assert "Снят с производства, предложена замена" in page
    assert "Подтверждён, отгрузка 18.03" in page


def test_an_order_update_finds_an_erp_order_by_its_erp_id_and_a_line_by_product(
    erp_world: World,
) -> None:
    assert push(erp_world, "orders", [erp_order()]).status_code == 200

    response = push(
        erp_world,
        "order-updates",
        [
            {
                "id": "ЗК-00-004512",
                "status": "assembling",
                "lines": [
                    {"product_id": "MVA20-3-016-C", "cancelled_quantity": "40", "reason": "Брак"}
                ],
            }
        ],
    )

    assert response.status_code == 200, response.content
    order = Order.objects.get()
    assert order.status.code == "assembling"
    assert order.erp_number == "ЗК-4512"  # omitted: unchanged
    line = order.lines.get(product=erp_world.breaker)
    assert (line.cancelled_quantity, line.cancel_reason) == (Decimal(40), "Брак")
    assert not OutboxEvent.objects.exists()


def test_cancelling_more_than_ordered_is_an_item_error_and_changes_nothing(
    erp_world: World, portal_order: Order
) -> None:
    response = push(
        erp_world,
        "order-updates",
        [
            {
                "id": "B2B-000123",
                "erp_number": "ЗК-4513",
                "status": "cancelled",
                "lines": [{"position": 1, "cancelled_quantity": "11", "reason": "Нет"}],
            }
        ],
    )

    assert error_paths(response) == {"items[0].lines[0].cancelled_quantity": "exceeds_ordered"}
    portal_order.refresh_from_db()
    assert (portal_order.erp_number, portal_order.status.code) == ("", "new")
    assert not portal_order.lines.filter(cancelled_quantity__gt=0).exists()


def test_bad_order_updates_are_reported_with_their_paths(
    erp_world: World, portal_order: Order
) -> None:
    response = push(
        erp_world,
        "order-updates",
        [
            {"id": "B2B-000123", "erp_number": "ЗК-1", "status": "confirmed"},  # good alone
            {"id": "B2B-999999", "status": "confirmed"},
            {"id": "B2B-000123", "status": "lost"},
            {
                "id": "B2B-000123",
                "status": "confirmed",
                "lines": [
                    {"position": 7, "cancelled_quantity": "1", "reason": "Нет"},
                    {"product_id": "НЕТ-ТАКОГО", "cancelled_quantity": "1", "reason": "Нет"},
                ],
            },
        ],
    )

    assert error_paths(response) == {
        "items[1].id": "unknown_reference",
        "items[2].status": "unknown_reference",
        "items[3].lines[0]": "unknown_reference",
        "items[3].lines[1]": "unknown_reference",
    }
    portal_order.refresh_from_db()
    assert (portal_order.erp_number, portal_order.status.code) == ("", "new")
    assert not OrderStatusChange.objects.filter(order=portal_order).exists()


def test_an_order_update_line_needs_one_reference_a_reason_and_no_negative_quantity(
    erp_world: World, portal_order: Order
) -> None:
    response = push(
        erp_world,
        "order-updates",
        [
            {
                "id": "B2B-000123",
                "status": "confirmed",
                "lines": [
                    {"cancelled_quantity": "1", "reason": "Нет"},
                    {"position": 1, "cancelled_quantity": "1"},
                    {"position": 1, "cancelled_quantity": "-1", "reason": "Нет"},
                ],
            }
        ],
    )

    assert error_paths(response) == {
        "items[0].lines[0]": "invalid",
        "items[0].lines[1]": "invalid",
        "items[0].lines[2].cancelled_quantity": "negative",
    }
    assert Order.objects.get().status.code == "new"


def test_an_order_update_works_in_xml(erp_world: World, portal_order: Order) -> None:
    body = (
        "<batch><items><item><id>B2B-000123</id><erp_number>ЗК-9</erp_number>"
        "<status>ready</status><lines><item><position>1</position>"
        "<cancelled_quantity>2</cancelled_quantity><reason>Пересорт</reason></item></lines>"
        "</item></items></batch>"
    )
    response = erp_world.client_for(Persona.ERP_CLIENT).post(
        "/api/erp/v1/order-updates",
        body.encode(),
        content_type="application/xml",
        headers={"Idempotency-Key": "order-update-xml"},
    )

    assert response.status_code == 200, response.content
    portal_order.refresh_from_db()
    assert (portal_order.erp_number, portal_order.status.code) == ("ЗК-9", "ready")
    assert portal_order.lines.get(position=1).cancel_reason == "Пересорт"


# --- need answers ------------------------------------------------------------------------------


@pytest.fixture
def need(portal_order: Order) -> Need:
    line = portal_order.lines.get(position=1)
    line.need_quantity = Decimal(6)
    line.save(update_fields=["need_quantity"])
    return Need.objects.create(
        order=portal_order,
        order_line=line,
        product=line.product,
        dealer=portal_order.dealer,
        legal_entity=portal_order.legal_entity,
        quantity=Decimal(6),
    )


def test_a_need_answer_is_stored_and_shown_on_the_order_page(erp_world: World, need: Need) -> None:
    response = push(
        erp_world,
        "need-answers",
        [
            {
                "id": str(need.id),
                "expected_date": "2025-03-28",
                "answer": "Поставка с завода IEK, приход на склад Москва",
            }
        ],
    )

    assert response.status_code == 200, response.content
    assert response.json()["updated"] == 1
    need.refresh_from_db()
    assert need.status == Need.Status.DATED
    assert need.expected_date == datetime.date(2025, 3, 28)
    assert need.answer_comment == "Поставка с завода IEK, приход на склад Москва"
    assert need.answered_at is not None
    assert not OutboxEvent.objects.exists()
    page = (
        erp_world.client_for(Persona.SUPERUSER)
        .get(reverse("orders:order_detail", args=[need.order_id]))
        .content.decode()
    )
    assert "Поставка с завода IEK, приход на склад Москва" in page
    assert "28.03.2025" in page

    response = push(
        erp_world, "need-answers", [{"id": str(need.id), "status": "reserved", "answer": "Резерв"}]
    )
    assert response.status_code == 200, response.content
    need.refresh_from_db()
    assert (need.status, need.expected_date, need.answer_comment) == ("reserved", None, "Резерв")


def test_bad_need_answers_are_reported_and_change_nothing(erp_world: World, need: Need) -> None:
    response = push(
        erp_world,
        "need-answers",
        [
            {"id": str(need.id), "status": "closed", "answer": "Снят с производства"},
            {"id": "999999", "status": "closed"},
            {"id": "потребность-1", "status": "closed"},
        ],
    )
    assert error_paths(response) == {
        "items[1].id": "unknown_reference",
        "items[2].id": "unknown_reference",
    }

    response = push(
        erp_world,
        "need-answers",
        [
            {"id": str(need.id), "status": "dated"},
            {"id": str(need.id), "status": "open", "expected_date": "2025-03-28"},
        ],
    )
    assert error_paths(response) == {"items[0]": "invalid", "items[1].status": "not_allowed"}
    need.refresh_from_db()
    assert (need.status, need.answer_comment, need.answered_at) == (Need.Status.OPEN, "", None)


# --- shipments ---------------------------------------------------------------------------------


def shipment(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "РТУ-00-001877",
        "number": "РТУ-1877",
        "shipped_at": "2025-03-18T09:40:00+03:00",
        "legal_entity_id": "КА-000128",
        "order_id": "B2B-000123",
        "warehouse_id": "WH-MSK",
        "lines": [
            {"product_id": "MVA20-3-016-C", "quantity": "6", "price": "412.80", "order_line": 1},
            {"product_id": "1101001", "quantity": "2.5", "price": "85.50"},
        ],
    }
    item.update(changes)
    return item


def test_a_shipment_is_stored_with_its_order_warehouse_and_order_lines(
    erp_world: World, portal_order: Order
) -> None:
    response = push(erp_world, "shipments", [shipment()])

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    stored = Shipment.objects.get(erp_id="РТУ-00-001877")
    assert (stored.number, stored.order, stored.warehouse) == (
        "РТУ-1877",
        portal_order,
        erp_world.warehouse_msk,
    )
    assert stored.legal_entity == erp_world.a_main
    assert stored.dealer == erp_world.dealer_a
    assert stored.amount_with_vat == Decimal("2690.55")  # 6 × 412.80 + 2.5 × 85.50
    lines = list(stored.lines.all())
    assert lines[0].order_line == portal_order.lines.get(position=1)
    assert (lines[1].product, lines[1].quantity, lines[1].order_line) == (
        erp_world.cable_product,
        Decimal("2.5"),
        None,
    )
    assert not OutboxEvent.objects.exists()

    again = push(
        erp_world,
        "shipments",
        [
            shipment(
                order_id=None, warehouse_id=None, lines=[{"product_id": "1101001", "quantity": "3"}]
            )
        ],
    )
    assert again.status_code == 200, again.content
    assert (again.json()["created"], again.json()["updated"]) == (0, 1)
    stored.refresh_from_db()
    assert (stored.order, stored.warehouse) == (None, None)
    assert list(stored.lines.values_list("quantity", flat=True)) == [Decimal(3)]


def test_bad_shipments_are_reported_and_nothing_is_written(
    erp_world: World, portal_order: Order
) -> None:
    response = push(
        erp_world,
        "shipments",
        [
            shipment(id="S-1"),  # good on its own
            shipment(id="S-2", legal_entity_id="КА-НЕТ"),
            shipment(id="S-3", legal_entity_id="КА-000500"),  # the order is dealer A's
            shipment(id="S-4", order_id="B2B-999999", warehouse_id="WH-НЕТ"),
            shipment(
                id="S-5",
                lines=[
                    {"product_id": "НЕТ-ТАКОГО", "quantity": "1"},
                    {"product_id": "1101001", "quantity": "0"},
                    {"product_id": "1101001", "quantity": "1", "order_line": 9},
                    {"product_id": "1101001", "quantity": "1", "order_line": 1},
                ],
            ),
            shipment(
                id="S-6",
                order_id=None,
                lines=[{"product_id": "1101001", "quantity": "1", "order_line": 1}],
            ),
        ],
    )

    assert error_paths(response) == {
        "items[1].legal_entity_id": "unknown_reference",
        "items[2].order_id": "other_legal_entity",
        "items[3].order_id": "unknown_reference",
        "items[3].warehouse_id": "unknown_reference",
        "items[4].lines[0].product_id": "unknown_reference",
        "items[4].lines[1].quantity": "not_positive",
        "items[4].lines[2].order_line": "unknown_reference",
        "items[4].lines[3].order_line": "other_product",
        "items[5].lines[0].order_line": "no_order",
    }
    assert not Shipment.objects.exists()


def test_a_shipment_with_a_negative_quantity_or_without_lines_is_refused(
    erp_world: World, portal_order: Order
) -> None:
    response = push(
        erp_world,
        "shipments",
        [
            shipment(lines=[{"product_id": "1101001", "quantity": "-1"}]),
            shipment(id="S-2", lines=[]),
        ],
    )

    paths = error_paths(response)
    assert paths["items[0].lines[0].quantity"] == "negative"
    assert "items[1].lines" in paths
    assert not Shipment.objects.exists()


# --- documents ---------------------------------------------------------------------------------


def document(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "УПД-00-001877",
        "type": "upd",
        "title": "УПД № 1877 от 18.03.2025",
        "number": "1877",
        "date": "2025-03-18",
        "legal_entity_id": "КА-000128",
        "order_id": "B2B-000123",
        "file_name": "УПД-1877.pdf",
        "content_base64": base64.encodebytes(PDF).decode(),  # with line breaks, as 1C sends
    }
    item.update(changes)
    return item


def test_a_document_is_attached_and_only_the_entitys_dealer_downloads_it(
    erp_world: World, portal_order: Order
) -> None:
    response = push(erp_world, "documents", [document()])

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    stored = Document.objects.get(erp_id="УПД-00-001877")
    assert (stored.type.code, stored.order, stored.legal_entity) == (
        "upd",
        portal_order,
        erp_world.a_main,
    )
    assert (stored.number, stored.date, stored.file_size) == (
        "1877",
        datetime.date(2025, 3, 18),
        len(PDF),
    )
    assert stored.content_type == "application/pdf"
    assert not OutboxEvent.objects.exists()

    url = reverse("documents:download", args=[stored.id])
    download = erp_world.client_for(Persona.SUPERUSER).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert erp_world.client_for(Persona.OTHER_DEALER).get(url).status_code == 404

    replaced = push(
        erp_world,
        "documents",
        [document(file_name="upd.txt", content_base64=base64.b64encode(b"text").decode())],
    )
    assert replaced.status_code == 200, replaced.content
    assert (replaced.json()["created"], replaced.json()["updated"]) == (0, 1)
    stored.refresh_from_db()
    assert (stored.file_name, stored.file_size, stored.content_type) == ("upd.txt", 4, "text/plain")


def test_a_document_of_a_shipment_is_attached(erp_world: World, portal_order: Order) -> None:
    assert push(erp_world, "shipments", [shipment()]).status_code == 200

    response = push(erp_world, "documents", [document(order_id=None, shipment_id="РТУ-00-001877")])

    assert response.status_code == 200, response.content
    assert Document.objects.get(erp_id="УПД-00-001877").shipment == Shipment.objects.get()


def test_bad_documents_are_reported_and_no_file_is_stored(
    erp_world: World, portal_order: Order, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(order_resources, "MAX_DOCUMENT_BYTES", 1000)
    documents_before = Document.objects.count()  # the portal order's invoice
    files_before = stored_files()

    response = push(
        erp_world,
        "documents",
        [
            document(id="D-1"),  # good on its own
            document(id="D-2", content_base64="это не base64!"),
            document(id="D-3", content_base64=base64.b64encode(b"<html>").decode()),
            document(id="D-4", type="passport", legal_entity_id="КА-НЕТ"),
            document(id="D-5", legal_entity_id="КА-000500"),
            document(id="D-6", order_id=None, shipment_id="РТУ-НЕТ"),
            document(
                id="D-7", file_name="a.bin", content_base64=base64.b64encode(b"x" * 1001).decode()
            ),
            document(id="D-8", content_base64=""),
        ],
    )

    assert error_paths(response) == {
        "items[1].content_base64": "not_base64",
        "items[2].content_base64": "not_a_pdf",
        "items[3].type": "unknown_reference",
        "items[3].legal_entity_id": "unknown_reference",
        "items[4].order_id": "other_legal_entity",
        "items[5].shipment_id": "unknown_reference",
        "items[6].content_base64": "too_large",
        "items[7].content_base64": "empty",
    }
    assert Document.objects.count() == documents_before
    assert stored_files() == files_before


def test_a_document_without_a_file_name_or_date_is_refused(erp_world: World) -> None:
    missing = document(order_id=None)
    del missing["date"]
    response = push(erp_world, "documents", [missing, document(id="D-2", file_name="")])

    assert error_paths(response) == {
        "items[0].date": "required",
        "items[1].file_name": "empty",
    }
    assert not Document.objects.filter(erp_id__isnull=False).exists()
