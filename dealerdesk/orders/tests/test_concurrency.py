"""Two tabs, two clicks, one draft: concurrent edits on PostgreSQL row locks.

These run real threads with their own database connections against committed data, so they
need a database server; SQLite (one writer at a time by design) is not what they examine.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, connections

from conftest import Persona, World, build_world
from dealerdesk.catalog.models import Warehouse
from dealerdesk.orders import services
from dealerdesk.orders.models import DeliveryMethod, DraftLine, DraftOrder, Order
from dealerdesk.tenancy.selectors import scope_for_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_world() -> World:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is examined on PostgreSQL")
    return build_world()


def run_together(jobs: list[Callable[[], object]]) -> list[object]:
    """Start every job at the same moment in its own thread; results or raised exceptions."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def worker(index: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # collected and asserted on by the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_additions_to_one_draft_are_all_kept(shared_world: World) -> None:
    user = shared_world.user(Persona.EMPLOYEE_WITH_RIGHT)

    def add_one() -> object:
        return services.draft_add(
            scope=scope_for_user(user),
            user=user,
            product_id=shared_world.breaker.id,
            quantity=Decimal(1),
        )

    results = run_together([add_one] * 8)
    assert [type(result) for result in results] == [services.AddResult] * 8
    assert DraftOrder.objects.filter(user=user).count() == 1
    assert DraftLine.objects.get().quantity == Decimal(8)
    assert DraftOrder.objects.get().version == 8


def test_two_tabs_setting_a_quantity_never_lose_an_update(shared_world: World) -> None:
    user = shared_world.user(Persona.EMPLOYEE_WITH_RIGHT)
    services.draft_add(
        scope=scope_for_user(user),
        user=user,
        product_id=shared_world.breaker.id,
        quantity=Decimal(5),
    )
    line = DraftLine.objects.get()

    def set_to(quantity: int) -> Callable[[], object]:
        return lambda: services.draft_line_set_quantity(
            scope=scope_for_user(user),
            user=user,
            line_id=line.id,
            quantity=Decimal(quantity),
            expected=Decimal(5),  # both tabs were showing 5
        )

    results = run_together([set_to(7), set_to(9)])
    conflicts = [result for result in results if isinstance(result, services.CartConflictError)]
    applied = [result for result in results if isinstance(result, services.AddResult)]
    assert len(conflicts) == 1
    assert len(applied) == 1
    line.refresh_from_db()
    assert line.quantity == applied[0].total  # the one that won; the other was told, not lost
    assert conflicts[0].current_quantity == line.quantity


def test_a_double_click_on_place_order_creates_one_order(shared_world: World) -> None:
    user = shared_world.user(Persona.EMPLOYEE_WITH_RIGHT)
    services.draft_add(
        scope=scope_for_user(user),
        user=user,
        product_id=shared_world.breaker.id,
        quantity=Decimal(2),
    )
    form = services.Checkout(
        delivery_method_id=DeliveryMethod.objects.get(code="pickup").id,
        pickup_warehouse_id=Warehouse.objects.get(name="Москва").id,
        delivery_address="",
        comment="",
        customer_reference="",
        submission_key=uuid.uuid4(),
        cart_version=DraftOrder.objects.get().version,
    )

    def place() -> object:
        return services.order_submit(scope=scope_for_user(user), user=user, checkout=form)

    results = run_together([place, place, place])
    assert all(isinstance(result, Order) for result in results), results
    assert len({result.pk for result in results}) == 1  # type: ignore[union-attr]
    assert Order.objects.count() == 1
    assert not DraftLine.objects.exists()
