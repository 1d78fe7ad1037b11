"""Two managers reserving in one supply at the same moment (F5): the reserved quantity never
exceeds what the supply brings. Real threads with their own PostgreSQL connections; SQLite
(one writer at a time by design) is not what this examines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from conftest import Persona, World, build_world
from dealerdesk.catalog.models import IncomingSupply
from dealerdesk.orders import services
from dealerdesk.orders.models import Need
from dealerdesk.orders.tests.factories import need_create, order_create
from dealerdesk.orders.tests.test_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_world() -> World:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is examined on PostgreSQL")
    return build_world()


def needs_of(world: World, quantities: list[int]) -> list[Need]:
    needs = []
    for index, quantity in enumerate(quantities):
        entity = world.a_main if index % 2 == 0 else world.b_main
        order = order_create(
            legal_entity=entity, author=None, product=world.breaker, quantity=quantity
        )
        needs.append(need_create(order, quantity))
    return needs


def test_two_managers_cannot_both_take_the_last_of_a_supply(shared_world: World) -> None:
    supply = IncomingSupply.objects.get(product=shared_world.breaker)  # 500
    first, second = needs_of(shared_world, [300, 300])
    managers = [shared_world.user(Persona.MANAGER), shared_world.user(Persona.HEAD_MANAGER)]

    results = run_together(
        [
            lambda need=need, manager=manager: services.need_reserve(
                need=need, supply_id=supply.id, by_user=manager
            )
            for need, manager in zip([first, second], managers, strict=True)
        ]
    )

    assert sorted(type(result).__name__ for result in results) == ["Need", "ValidationError"]
    reserved = Need.objects.filter(supply=supply, status=Need.Status.RESERVED)
    assert reserved.count() == 1
    assert reserved.aggregate(total=Sum("quantity"))["total"] == Decimal(300)


def test_many_managers_reserving_at_once_never_overbook(shared_world: World) -> None:
    supply = IncomingSupply.objects.get(product=shared_world.breaker)  # 500
    needs = needs_of(shared_world, [120] * 6)  # 720 asked of 500
    manager = shared_world.user(Persona.MANAGER)

    results = run_together(
        [
            lambda need=need: services.needs_reserve_in_nearest_supply(
                needs=[need], by_user=manager
            )
            for need in needs
        ]
    )

    assert not [result for result in results if isinstance(result, Exception)]
    total = Need.objects.filter(supply=supply, status=Need.Status.RESERVED).aggregate(
        total=Sum("quantity")
    )["total"]
    assert total == Decimal(480)  # four of the six fit; the rest stay open
    assert Need.objects.filter(status=Need.Status.OPEN).count() == 2
    assert not isinstance(results[0], ValidationError)
