"""The needs queue (F5): managers answer what stock did not cover, by reserving it in an
incoming supply or by giving a delivery date; the dealer sees the answer, the ERP gets it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from conftest import Persona, World
from dealerdesk.catalog.models import IncomingSupply
from dealerdesk.catalog.tests.factories import IncomingSupplyFactory
from dealerdesk.events.models import OutboxEvent
from dealerdesk.orders.models import Need, Order
from dealerdesk.orders.services import NeedAnswer, needs_erp_answer
from dealerdesk.orders.tests.factories import need_create, order_create


def an_order_with_need(world: World, *, entity_of: str = "a", need: int = 30) -> Order:
    legal_entity = world.a_main if entity_of == "a" else world.b_main
    author = world.user(Persona.EMPLOYEE_WITH_RIGHT if entity_of == "a" else Persona.OTHER_DEALER)
    order = order_create(
        legal_entity=legal_entity, author=author, product=world.breaker, quantity=need + 10
    )
    need_create(order, need)
    return order


def the_supply(world: World) -> IncomingSupply:
    # The world's 500 breakers expected in Moscow.
    return IncomingSupply.objects.get(product=world.breaker, warehouse=world.warehouse_msk)


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_the_queue_lists_open_needs_with_product_dealer_entity_order_and_quantity(
    world: World,
) -> None:
    order = an_order_with_need(world, need=30)
    an_order_with_need(world, entity_of="b", need=7)

    page = world.client_for(Persona.MANAGER).get("/manager/needs/")

    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="need"') == 2
    assert order.number in html
    assert world.breaker.code in html
    assert world.dealer_a.name in html
    assert world.dealer_b.name in html
    assert escape(world.a_main.name) in html
    assert "500 free" in html  # the supply offered with its free quantity


def test_the_queue_filters_by_dealer_product_and_state(world: World) -> None:
    a_order = an_order_with_need(world)
    b_order = an_order_with_need(world, entity_of="b")
    manager = world.client_for(Persona.MANAGER)

    by_dealer = manager.get("/manager/needs/", {"dealer": world.dealer_b.id}).content.decode()
    assert b_order.number in by_dealer
    assert a_order.number not in by_dealer

    by_order = manager.get("/manager/needs/", {"q": a_order.number}).content.decode()
    assert a_order.number in by_order
    assert b_order.number not in by_order

    answered = manager.get("/manager/needs/", {"state": "answered"}).content.decode()
    assert 'data-testid="need"' not in answered


def test_the_queue_sorts_newest_first_on_request(world: World) -> None:
    older = an_order_with_need(world)
    Need.objects.filter(order=older).update(created_at=timezone.now() - datetime.timedelta(days=3))
    newer = an_order_with_need(world, entity_of="b")
    manager = world.client_for(Persona.MANAGER)

    oldest_first = manager.get("/manager/needs/").content.decode()
    newest_first = manager.get("/manager/needs/", {"sort": "newest"}).content.decode()

    assert oldest_first.index(older.number) < oldest_first.index(newer.number)
    assert newest_first.index(newer.number) < newest_first.index(older.number)
    waiting = manager.get("/manager/needs/", {"older": 2}).content.decode()
    assert older.number in waiting
    assert newer.number not in waiting


def test_the_queue_is_read_in_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    for _ in range(12):
        an_order_with_need(world, need=2)
    manager = world.client_for(Persona.MANAGER)
    manager.get("/manager/needs/")  # warm the session

    with django_assert_max_num_queries(12):  # type: ignore[operator]
        page = manager.get("/manager/needs/")

    assert page.content.decode().count('data-testid="need"') == 12


def test_reserving_a_need_in_a_supply_answers_it_for_the_dealer_and_the_erp(
    world: World,
) -> None:
    order = an_order_with_need(world, need=30)
    need = order.needs.get()
    supply = the_supply(world)

    response = world.client_for(Persona.MANAGER).post(
        f"/manager/needs/{need.id}/reserve/",
        {"supply": supply.id, "comment": "Зарезервировано в поставке"},
    )

    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == Need.Status.RESERVED
    assert need.supply_id == supply.id
    assert need.expected_date == supply.expected_date
    assert need.answered_by == world.user(Persona.MANAGER)
    event = OutboxEvent.objects.get(kind=OutboxEvent.Kind.NEED_ANSWERED)
    assert event.payload["id"] == need.id
    assert event.payload["status"] == "reserved"
    assert event.payload["quantity"] == "30.000"
    assert event.payload["supply"]["id"] == supply.id
    assert event.payload["expected_date"] == supply.expected_date.isoformat()
    assert event.payload["comment"] == "Зарезервировано в поставке"

    dealer_page = world.client_for(Persona.EMPLOYEE_WITH_RIGHT).get(f"/orders/{order.id}/")
    html = dealer_page.content.decode()
    assert supply.expected_date.strftime("%d.%m.%Y") in html
    assert "Зарезервировано в поставке" in html


def test_a_supply_is_never_reserved_beyond_its_quantity(world: World) -> None:
    first = an_order_with_need(world, need=300).needs.get()
    second = an_order_with_need(world, entity_of="b", need=300).needs.get()
    supply = the_supply(world)
    manager = world.client_for(Persona.MANAGER)

    manager.post(f"/manager/needs/{first.id}/reserve/", {"supply": supply.id})
    refused = manager.post(
        f"/manager/needs/{second.id}/reserve/", {"supply": supply.id}, follow=True
    )

    second.refresh_from_db()
    assert second.status == Need.Status.OPEN
    assert second.supply_id is None
    assert "has 200 free, the need is 300" in refused.content.decode()
    assert OutboxEvent.objects.filter(kind=OutboxEvent.Kind.NEED_ANSWERED).count() == 1


def test_moving_a_reservation_to_another_supply_frees_the_first(world: World) -> None:
    need = an_order_with_need(world, need=400).needs.get()
    first = the_supply(world)
    later = IncomingSupplyFactory(
        product=world.breaker, warehouse=world.warehouse_spb, quantity=Decimal(400)
    )
    other = an_order_with_need(world, entity_of="b", need=450).needs.get()
    manager = world.client_for(Persona.MANAGER)

    manager.post(f"/manager/needs/{need.id}/reserve/", {"supply": first.id})
    manager.post(f"/manager/needs/{need.id}/reserve/", {"supply": later.id})
    manager.post(f"/manager/needs/{other.id}/reserve/", {"supply": first.id})

    need.refresh_from_db()
    other.refresh_from_db()
    assert need.supply_id == later.id
    assert other.supply_id == first.id


def test_a_supply_of_another_product_is_refused(world: World) -> None:
    need = an_order_with_need(world).needs.get()
    cable_supply = IncomingSupplyFactory(product=world.cable_product, warehouse=world.warehouse_msk)

    page = world.client_for(Persona.MANAGER).post(
        f"/manager/needs/{need.id}/reserve/", {"supply": cable_supply.id}, follow=True
    )

    need.refresh_from_db()
    assert need.status == Need.Status.OPEN
    assert f"Choose an incoming supply of {world.breaker.code}" in page.content.decode()


def test_needs_answered_at_once_with_a_delivery_date(world: World) -> None:
    first = an_order_with_need(world).needs.get()
    second = an_order_with_need(world, entity_of="b").needs.get()
    date = in_days(14)

    world.client_for(Persona.MANAGER).post(
        "/manager/needs/answer/",
        {
            "action": "date",
            "needs": [first.id, second.id],
            "expected_date": date.isoformat(),
            "comment": "Ожидаем с завода",
        },
    )

    for need in (first, second):
        need.refresh_from_db()
        assert need.status == Need.Status.DATED
        assert need.expected_date == date
        assert need.answer_comment == "Ожидаем с завода"
    assert OutboxEvent.objects.filter(kind=OutboxEvent.Kind.NEED_ANSWERED).count() == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"action": "date"}, "Give the date the goods are expected."),
        ({"action": "date", "expected_date": "2001-01-01"}, "cannot be in the past"),
        ({"action": "nearest_supply", "needs": []}, "Tick the needs to answer."),
        ({"action": "explode"}, "Select a valid choice"),
    ],
)
def test_a_bad_bulk_answer_is_explained_and_changes_nothing(
    world: World, fields: dict[str, object], message: str
) -> None:
    need = an_order_with_need(world).needs.get()
    data: dict[str, object] = {"needs": [need.id], **fields}

    page = world.client_for(Persona.MANAGER).post("/manager/needs/answer/", data, follow=True)

    assert message in page.content.decode()
    need.refresh_from_db()
    assert need.status == Need.Status.OPEN
    assert not OutboxEvent.objects.filter(kind=OutboxEvent.Kind.NEED_ANSWERED).exists()


def test_the_nearest_supply_with_room_is_chosen_and_the_rest_reported(world: World) -> None:
    soon = IncomingSupplyFactory(
        product=world.breaker,
        warehouse=world.warehouse_spb,
        quantity=Decimal(50),
        expected_date=in_days(2),
    )
    small = an_order_with_need(world, need=40).needs.get()
    large = an_order_with_need(world, need=450).needs.get()
    too_large = an_order_with_need(world, entity_of="b", need=100).needs.get()

    page = world.client_for(Persona.MANAGER).post(
        "/manager/needs/answer/",
        {"action": "nearest_supply", "needs": [small.id, large.id, too_large.id]},
        follow=True,
    )

    for need in (small, large, too_large):
        need.refresh_from_db()
    assert small.supply_id == soon.id
    assert large.supply_id == the_supply(world).id
    assert too_large.status == Need.Status.OPEN  # 500 - 450 = 50 left, the need is 100
    html = page.content.decode()
    assert "2 needs reserved in the nearest supply." in html
    assert f"No incoming supply has room for: {world.breaker.code}" in html


def test_a_manager_assigned_to_other_dealers_neither_sees_nor_answers_the_need(
    world: World,
) -> None:
    a_need = an_order_with_need(world).needs.get()
    b_order = an_order_with_need(world, entity_of="b")
    manager = world.user(Persona.MANAGER)
    world.dealer_b.managers.add(manager)
    client = world.client_for(Persona.MANAGER)

    queue = client.get("/manager/needs/").content.decode()
    reserve = client.post(f"/manager/needs/{a_need.id}/reserve/", {"supply": the_supply(world).id})
    bulk = client.post(
        "/manager/needs/answer/",
        {"action": "date", "needs": [a_need.id], "expected_date": in_days(5).isoformat()},
        follow=True,
    )

    assert b_order.number in queue
    assert a_need.order.number not in queue
    assert reserve.status_code == 404
    assert "Select a valid choice" in bulk.content.decode()
    a_need.refresh_from_db()
    assert a_need.status == Need.Status.OPEN


def test_the_head_manager_sees_every_dealer_even_when_assigned_some(world: World) -> None:
    a_order = an_order_with_need(world)
    head = world.user(Persona.HEAD_MANAGER)
    world.dealer_b.managers.add(head)

    queue = world.client_for(Persona.HEAD_MANAGER).get("/manager/needs/").content.decode()

    assert a_order.number in queue


def test_an_erp_date_frees_the_reservation_made_in_the_portal(world: World) -> None:
    need = an_order_with_need(world, need=30).needs.get()
    world.client_for(Persona.MANAGER).post(
        f"/manager/needs/{need.id}/reserve/", {"supply": the_supply(world).id}
    )
    need.refresh_from_db()

    needs_erp_answer(
        answers=[NeedAnswer(need=need, status=Need.Status.DATED, expected_date=in_days(30))],
        answered_at=timezone.now(),
    )

    need.refresh_from_db()
    assert need.status == Need.Status.DATED
    assert need.supply_id is None


def page(client: Client, url_name: str) -> str:
    return client.get(reverse(url_name)).content.decode()


def test_a_supply_the_erp_lowered_below_its_reservations_is_flagged_until_resolved(
    world: World,
) -> None:
    from dealerdesk.orders.services import need_reserve, needs_date

    need = an_order_with_need(world, need=300).needs.get()
    manager = world.user(Persona.MANAGER)
    need_reserve(need=need, supply_id=the_supply(world).id, by_user=manager)
    client = world.client_for(Persona.MANAGER)
    assert 'data-testid="overbooked-supplies"' not in page(client, "manager:dashboard")

    # The ERP now expects 200 breakers instead of 500.
    IncomingSupply.objects.filter(id=the_supply(world).id).update(quantity=Decimal(200))

    for url_name in ("manager:dashboard", "manager:need_list"):
        html = page(client, url_name)
        warning = html.split('data-testid="overbooked-supplies"')[1].split("</div>\n</div>")[0]
        assert world.breaker.code in warning
        assert "brings 200 шт, reserved 300 шт (100 too many)" in warning, warning
        assert f"q={world.breaker.code}" in warning
    # A manager looking after dealer B only has no reservation there: nothing to act on.
    world.dealer_b.managers.add(manager)
    assert 'data-testid="overbooked-supplies"' not in page(client, "manager:dashboard")
    world.dealer_b.managers.remove(manager)

    # The manager gives the dealer a date instead: the supply holds nothing more than it brings.
    needs_date(
        needs=[Need.objects.get(id=need.id)], expected_date=in_days(20), comment="", by_user=manager
    )
    assert 'data-testid="overbooked-supplies"' not in page(client, "manager:need_list")
