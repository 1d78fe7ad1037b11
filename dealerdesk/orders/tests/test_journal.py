from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import Persona, World
from dealerdesk.orders import services
from dealerdesk.orders.models import Order, OrderNote
from dealerdesk.orders.tests.factories import order_create


def journal(world: World, persona: Persona, **params: object) -> str:
    response = world.client_for(persona).get(reverse("orders:order_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def numbers_in(page: str, orders: list[Order]) -> list[str]:
    return [order.number for order in orders if f'data-order-id="{order.id}"' in page]


@pytest.fixture
def orders(world: World) -> dict[str, Order]:
    main = order_create(
        legal_entity=world.a_main,
        author=world.user(Persona.EMPLOYEE_WITH_RIGHT),
        product=world.breaker,
    )
    sub = order_create(
        legal_entity=world.a_sub1, author=world.user(Persona.SUBSIDIARY_USER), product=world.breaker
    )
    erp = services.order_erp_upsert(
        erp_id="erp-order-1",
        erp_number="ЗК-00042",
        legal_entity=world.a_main,
        placed_at=timezone.now() - datetime.timedelta(days=10),
        status_code="confirmed",
        lines=[
            services.ErpOrderLine(
                product=world.cable_product, quantity=Decimal(100), price=Decimal("80.00")
            )
        ],
    )
    foreign = order_create(legal_entity=world.b_main, author=None, product=world.breaker)
    return {"main": main, "sub": sub, "erp": erp, "foreign": foreign}


def test_main_entity_users_see_subsidiaries_orders_and_erp_orders(
    world: World, orders: dict[str, Order]
) -> None:
    every = list(orders.values())
    page = journal(world, Persona.EMPLOYEE_WITH_RIGHT)
    assert numbers_in(page, every) == [
        orders["main"].number,
        orders["sub"].number,
        orders["erp"].number,
    ]
    assert "ЗК-00042" in page
    assert "оформлен менеджером" in page  # the ERP order has no author in the portal


def test_subsidiary_users_see_only_their_own_orders(world: World, orders: dict[str, Order]) -> None:
    page = journal(world, Persona.SUBSIDIARY_USER)
    assert numbers_in(page, list(orders.values())) == [orders["sub"].number]


def test_other_dealers_see_none_of_them(world: World, orders: dict[str, Order]) -> None:
    page = journal(world, Persona.OTHER_DEALER)
    assert numbers_in(page, list(orders.values())) == [orders["foreign"].number]


def test_search_by_part_of_the_portal_or_erp_number(world: World, orders: dict[str, Order]) -> None:
    every = list(orders.values())
    by_erp = journal(world, Persona.SUPERUSER, number="00042")
    assert numbers_in(by_erp, every) == [orders["erp"].number]
    portal_part = orders["sub"].number[-4:]
    assert numbers_in(journal(world, Persona.SUPERUSER, number=portal_part), every) == [
        orders["sub"].number
    ]


def test_filters_by_status_entity_author_and_period(world: World, orders: dict[str, Order]) -> None:
    every = list(orders.values())
    confirmed = orders["erp"].status_id
    assert numbers_in(journal(world, Persona.SUPERUSER, status=confirmed), every) == [
        orders["erp"].number
    ]
    assert numbers_in(journal(world, Persona.SUPERUSER, entity=world.a_sub1.id), every) == [
        orders["sub"].number
    ]
    author = world.user(Persona.EMPLOYEE_WITH_RIGHT).id
    assert numbers_in(journal(world, Persona.SUPERUSER, author=author), every) == [
        orders["main"].number
    ]
    week_ago = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert orders["erp"].number not in numbers_in(
        journal(world, Persona.SUPERUSER, **{"from": week_ago}), every
    )
    assert numbers_in(journal(world, Persona.SUPERUSER, to=week_ago), every) == [
        orders["erp"].number
    ]


def test_sorting_by_date(world: World, orders: dict[str, Order]) -> None:
    visible = [orders["main"], orders["sub"], orders["erp"]]

    def listed(page: str) -> list[Order]:
        return sorted(visible, key=lambda order: page.index(f'data-order-id="{order.id}"'))

    assert listed(journal(world, Persona.SUPERUSER))[-1] == orders["erp"]  # ten days old
    assert listed(journal(world, Persona.SUPERUSER, sort="oldest"))[0] == orders["erp"]


def test_garbage_filters_are_ignored_not_fatal(world: World, orders: dict[str, Order]) -> None:
    page = journal(world, Persona.SUPERUSER, status="abc", entity="-1", to="31.02.2026", page="999")
    assert len(numbers_in(page, list(orders.values()))) == 3


def test_the_journal_pages_by_fifty(world: World) -> None:
    for _ in range(55):
        order_create(legal_entity=world.a_main, author=None, product=world.breaker)
    first = journal(world, Persona.SUPERUSER)
    second = journal(world, Persona.SUPERUSER, page=2)
    assert first.count('data-order-id="') == 50
    assert second.count('data-order-id="') == 5
    assert "1–50" in first or "1–50" in first.replace("\u2013", "–")


def test_the_authors_noted_orders_are_marked_for_the_author_only(
    world: World, orders: dict[str, Order]
) -> None:
    OrderNote.objects.create(
        order=orders["main"], author=world.user(Persona.EMPLOYEE_WITH_RIGHT), text="для объекта"
    )
    assert journal(world, Persona.EMPLOYEE_WITH_RIGHT).count('data-testid="note-marker"') == 1
    assert journal(world, Persona.SUPERUSER).count('data-testid="note-marker"') == 0


def test_export_holds_the_filtered_orders_and_defuses_formulas(
    world: World, orders: dict[str, Order]
) -> None:
    orders["main"].customer_reference = '=HYPERLINK("http://evil")'
    orders["main"].save()
    response = world.client_for(Persona.SUPERUSER).get(
        reverse("orders:order_export"), {"entity": world.a_main.id}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] in ("Номер", "Number")
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {orders["main"].number, orders["erp"].number}
    references = [row[9] for row in rows[1:] if row[0] == orders["main"].number]
    assert references == ['\'=HYPERLINK("http://evil")']


@pytest.mark.parametrize("count", [3, 30])
def test_the_journal_runs_a_fixed_number_of_queries(
    world: World, count: int, django_assert_num_queries
) -> None:
    for _ in range(count):
        order_create(
            legal_entity=world.a_main, author=world.user(Persona.SUPERUSER), product=world.breaker
        )
    client = world.client_for(Persona.SUPERUSER)
    # session, user, scope; count, page (with entity, author, status, delivery, note mark);
    # statuses, entities, authors (filters); header entities, supplier (footer)
    with django_assert_num_queries(10):
        client.get(reverse("orders:order_list"))
