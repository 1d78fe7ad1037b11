"""The outbox as the ERP pulls it: after a cursor, at least once, acknowledged per client."""

from __future__ import annotations

import uuid
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from conftest import Persona, World
from dealerdesk.catalog.models import Warehouse
from dealerdesk.erp.models import ErpClient
from dealerdesk.events.models import OutboxEvent
from dealerdesk.events.services import event_record
from dealerdesk.orders import services as orders
from dealerdesk.orders.models import DeliveryMethod, Order
from dealerdesk.tenancy.selectors import scope_for_user

EVENTS = "/api/erp/v1/events"


def record(count: int) -> list[int]:
    with transaction.atomic():
        return [
            event_record(
                kind=OutboxEvent.Kind.CLAIM_FILED,
                aggregate_type="claim",
                aggregate_id=number,
                payload={"number": number},
            ).id
            for number in range(count)
        ]


def pull(client: Client, **query: Any) -> dict[str, Any]:
    response = client.get(EVENTS, query)
    assert response.status_code == 200, response.content
    return response.json()


def ack(client: Client, cursor: int) -> Any:
    return client.post(f"{EVENTS}/ack", {"cursor": cursor}, content_type="application/json")


def cursors(page: dict[str, Any]) -> list[int]:
    return [event["cursor"] for event in page["events"]]


@pytest.fixture
def erp(world: World) -> Client:
    return world.client_for(Persona.ERP_CLIENT)


def place_order(world: World) -> Order:
    user = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    for product, quantity in ((world.breaker, "200"), (world.cable_product, "10")):
        orders.draft_add(
            scope=scope_for_user(user), user=user, product_id=product.id, quantity=Decimal(quantity)
        )
    draft = orders.DraftOrder.objects.get(user=user)
    return orders.order_submit(
        scope=scope_for_user(user),
        user=user,
        checkout=orders.Checkout(
            delivery_method_id=DeliveryMethod.objects.get(code="pickup").id,
            pickup_warehouse_id=Warehouse.objects.get(name="Москва").id,
            delivery_address="",
            comment="Для объекта на Лесной",
            customer_reference="PO-4471",
            submission_key=uuid.uuid4(),
            cart_version=draft.version,
        ),
    )


def test_an_order_placed_in_the_portal_is_served_with_its_lines_and_totals(
    world: World, erp: Client
) -> None:
    order = place_order(world)

    page = pull(erp)

    placed = [event for event in page["events"] if event["kind"] == "order.placed"]
    assert len(placed) == 1
    event = placed[0]
    assert event["aggregate_type"] == "order"
    assert event["aggregate_id"] == str(order.id)
    payload = event["payload"]
    assert payload["number"] == order.number
    assert payload["legal_entity"]["inn"] == world.a_main.inn
    assert (
        Decimal(payload["amount_without_vat"]),
        Decimal(payload["vat_amount"]),
        Decimal(payload["amount_with_vat"]),
    ) == (order.amount_without_vat, order.vat_amount, order.amount_with_vat)
    lines = order.lines.order_by("position")
    assert [
        (
            line["position"],
            line["code"],
            Decimal(line["quantity"]),
            Decimal(line["price"]),
            Decimal(line["amount"]),
            Decimal(line["vat_amount"]),
        )
        for line in payload["lines"]
    ] == [
        (line.position, line.code, line.quantity, line.price, line.amount, line.vat_amount)
        for line in lines
    ]
    assert len(payload["lines"]) == 2
    assert sum(Decimal(line["amount"]) for line in payload["lines"]) == order.amount_with_vat
    assert {event["kind"] for event in page["events"]} == {"order.placed", "need.raised"}


def test_an_event_is_written_in_the_transaction_of_its_change(world: World, erp: Client) -> None:
    seen_inside: list[bool] = []

    def place_then_fail() -> None:
        with transaction.atomic():
            place_order(world)
            seen_inside.append(OutboxEvent.objects.filter(kind="order.placed").exists())
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError, match="rolled back"):
        place_then_fail()

    assert seen_inside == [True]

    assert not Order.objects.exists()
    assert pull(erp)["events"] == []
    order = place_order(world)
    assert [e["aggregate_id"] for e in pull(erp)["events"] if e["kind"] == "order.placed"] == [
        str(order.id)
    ]


def test_unacknowledged_events_are_served_again_with_stable_ids(world: World, erp: Client) -> None:
    record(3)

    first = pull(erp)
    second = pull(erp)

    assert len(first["events"]) == 3
    assert first == second
    assert len({event["id"] for event in first["events"]}) == 3
    assert all(uuid.UUID(event["id"]) for event in first["events"])
    assert [str(e) for e in OutboxEvent.objects.values_list("event_id", flat=True)] == [
        event["id"] for event in first["events"]
    ]


def test_after_an_ack_reading_starts_after_the_acknowledged_cursor(
    world: World, erp: Client
) -> None:
    ids = record(5)

    answer = ack(erp, ids[2])

    assert answer.status_code == 200
    assert answer.json() == {"acknowledged": ids[2], "pending": 2}
    assert cursors(pull(erp)) == ids[3:]
    assert cursors(pull(erp)) == ids[3:]  # reading moves nothing
    # an explicit `after` still reads anything, e.g. to re-fetch after a restore
    assert cursors(pull(erp, after=0)) == ids
    assert ErpClient.objects.get().acknowledged_event_id == ids[2]


def test_acknowledging_an_older_cursor_does_not_move_back(world: World, erp: Client) -> None:
    ids = record(4)
    ack(erp, ids[2])

    again = ack(erp, ids[0])

    assert again.status_code == 200
    assert again.json()["acknowledged"] == ids[2]
    assert cursors(pull(erp)) == [ids[3]]
    assert ErpClient.objects.get().acknowledged_event_id == ids[2]


def test_acknowledging_beyond_the_newest_event_is_422(world: World, erp: Client) -> None:
    ids = record(2)

    answer = ack(erp, ids[-1] + 1)

    assert answer.status_code == 422
    assert answer.json()["code"] == "cursor_ahead"
    assert ErpClient.objects.get().acknowledged_event_id == 0
    assert ack(erp, ids[-1]).status_code == 200


@pytest.mark.parametrize(
    ("body", "path", "code"),
    [
        ({"cursor": -1}, "cursor", "negative"),
        ({"cursor": "x"}, "cursor", "not_an_integer"),
        ({}, "cursor", "required"),
        ({"cursor": 1, "extra": 1}, "extra", "unknown_field"),
        ({"cursor": 2**63}, "cursor", "too_big"),
    ],
    ids=["negative", "text", "missing", "extra", "huge"],
)
def test_a_malformed_ack_is_422_with_the_codes_of_a_batch(
    world: World, erp: Client, body: dict[str, Any], path: str, code: str
) -> None:
    record(1)

    answer = erp.post(f"{EVENTS}/ack", body, content_type="application/json")

    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_request"
    assert [(e["path"], e["code"]) for e in answer.json()["errors"]] == [(path, code)]
    assert answer.json()["errors"][0]["message"] in answer.json()["message"]
    assert ErpClient.objects.get().acknowledged_event_id == 0


def test_an_ack_that_is_not_json_is_400_in_the_error_shape(world: World, erp: Client) -> None:
    answer = erp.post(f"{EVENTS}/ack", b"{cursor", content_type="application/json")

    assert answer.status_code == 400
    assert set(answer.json()) == {"code", "message", "errors"}


def test_limit_bounds_the_page_and_has_more_and_next_cursor_say_where_to_go_on(
    world: World, erp: Client
) -> None:
    ids = record(5)

    first = pull(erp, limit=2)
    second = pull(erp, after=first["next_cursor"], limit=2)
    third = pull(erp, after=second["next_cursor"], limit=2)
    end = pull(erp, after=third["next_cursor"], limit=2)

    assert (cursors(first), first["has_more"], first["next_cursor"]) == (ids[:2], True, ids[1])
    assert (cursors(second), second["has_more"]) == (ids[2:4], True)
    assert (cursors(third), third["has_more"], third["next_cursor"]) == ([ids[4]], False, ids[4])
    assert end == {"events": [], "next_cursor": ids[4], "has_more": False}
    assert cursors(pull(erp, limit=5)) == ids
    assert pull(erp, limit=5)["has_more"] is False


@pytest.mark.parametrize(
    "query",
    [{"limit": 0}, {"limit": 1001}, {"limit": "many"}, {"after": -1}, {"after": 2**63}],
    ids=["zero", "over-max", "text", "negative-after", "huge-after"],
)
def test_an_out_of_range_query_is_422(world: World, erp: Client, query: dict[str, Any]) -> None:
    record(1)

    answer = erp.get(EVENTS, query)

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["path"] == next(iter(query))


def test_a_full_page_has_the_maximum_and_says_more(world: World, erp: Client) -> None:
    with transaction.atomic():
        OutboxEvent.objects.bulk_create(
            OutboxEvent(kind="claim.filed", aggregate_type="claim", aggregate_id=str(n), payload={})
            for n in range(1001)
        )

    page = pull(erp, limit=1000)

    assert len(page["events"]) == 1000
    assert page["has_more"] is True
    assert len(pull(erp, after=page["next_cursor"], limit=1000)["events"]) == 1


def test_two_erp_clients_have_independent_cursors(world: World, erp: Client) -> None:
    out = StringIO()
    call_command("erp_client_create", "SAP", stdout=out)
    sap = Client(headers={"Authorization": f"Bearer {out.getvalue().split()[-1]}"})
    ids = record(3)

    assert ack(erp, ids[1]).status_code == 200

    assert cursors(pull(erp)) == [ids[2]]
    assert cursors(pull(sap)) == ids
    assert ack(sap, ids[0]).json() == {"acknowledged": ids[0], "pending": 2}
    assert cursors(pull(erp)) == [ids[2]]
    assert cursors(pull(sap)) == ids[1:]
