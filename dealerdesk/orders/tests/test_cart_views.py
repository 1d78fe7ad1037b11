from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import Persona, World
from dealerdesk.catalog.models import Product
from dealerdesk.catalog.tests.factories import ProductFactory, StockFactory
from dealerdesk.orders.models import DraftLine
from dealerdesk.orders.tests.factories import draft_line_create
from dealerdesk.pricing.tests.factories import BasePriceFactory

HTMX = {"HX-Request": "true"}


def many_products(world: World, count: int) -> list[int]:
    ids = []
    for number in range(count):
        product = ProductFactory(code=f"BULK-{number:04d}", category=world.breakers_series)
        BasePriceFactory(product=product, price_type=world.base_prices, amount=Decimal(10))
        StockFactory(product=product, warehouse=world.warehouse_msk, quantity=Decimal(5))
        ids.append(product.id)
    return ids


@pytest.mark.parametrize("count", [3, 60])
def test_the_cart_page_runs_a_fixed_number_of_queries(
    world: World, count: int, django_assert_num_queries
) -> None:
    user = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    for product in Product.objects.filter(id__in=many_products(world, count)):
        draft_line_create(user=user, legal_entity=world.a_main, product=product)
    client = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)
    # session, user, scope; draft, supplier settings, lines with products and categories;
    # strategy: entity, prices, discounts, stock, incoming; legal entity, delivery methods,
    # warehouses; header legal entities
    with django_assert_num_queries(15):
        response = client.get(reverse("orders:cart"))
    assert response.content.decode().count('data-line-id="') == count


@pytest.mark.parametrize("count", [3, 60])
def test_the_paste_preview_runs_a_fixed_number_of_queries(
    world: World, count: int, django_assert_num_queries
) -> None:
    many_products(world, count)
    text = "\n".join(f"BULK-{number:04d}\t2" for number in range(count)) + "\nNOPE-1 1"
    client = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)
    # session, user, scope; draft; codes; strategy: entity, settings, prices, discounts,
    # category paths, stock, incoming
    with django_assert_num_queries(12):
        response = client.post(reverse("orders:paste_preview"), {"text": text}, headers=HTMX)
    body = response.content.decode()
    assert body.count('data-outcome="matched"') == 0  # matched lines are listed by product
    assert body.count('data-outcome="unknown"') == 1


def test_quick_add_answers_with_the_new_row_and_fresh_totals(world: World) -> None:
    client = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)
    first = client.post(
        reverse("orders:cart_add"), {"product": world.breaker.id, "quantity": "2"}, headers=HTMX
    ).content.decode()
    assert 'hx-swap-oob="beforeend:#cart-lines-body"' in first
    assert 'data-testid="total-with-vat">1\u00a0800,00\u00a0₽' in first
    again = client.post(
        reverse("orders:cart_add"), {"product": world.breaker.id, "quantity": "1"}, headers=HTMX
    ).content.decode()
    line = DraftLine.objects.get()
    assert f'<tr id="line-{line.id}"' in again
    assert "beforeend" not in again
    assert line.quantity == Decimal(3)


def test_quick_add_without_a_product_explains_itself(world: World) -> None:
    client = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)
    response = client.post(reverse("orders:cart_add"), {"quantity": "2"}, headers=HTMX)
    assert response.status_code == 422
    assert "Сначала выберите товар." in response.content.decode()
    assert not DraftLine.objects.exists()


def test_a_stale_quantity_change_is_answered_with_the_current_quantity(world: World) -> None:
    line = draft_line_create(
        user=world.user(Persona.EMPLOYEE_WITH_RIGHT),
        legal_entity=world.a_main,
        product=world.breaker,
        quantity=9,
    )
    client = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)
    response = client.post(
        reverse("orders:cart_line_quantity", args=[line.id]),
        {"quantity": "4", "expected": "2"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert "изменили в другом окне: теперь 9" in body
    assert 'value="9"' in body
    line.refresh_from_db()
    assert line.quantity == Decimal(9)


@pytest.mark.parametrize("bad", ["abc", "", "-5", "0"])
def test_bad_quantities_in_the_cart_never_fail(world: World, bad: str) -> None:
    line = draft_line_create(
        user=world.user(Persona.EMPLOYEE_WITH_RIGHT),
        legal_entity=world.a_main,
        product=world.breaker,
    )
    response = world.client_for(Persona.EMPLOYEE_WITH_RIGHT).post(
        reverse("orders:cart_line_quantity", args=[line.id]), {"quantity": bad}, headers=HTMX
    )
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == Decimal(1)


def test_the_cart_filter_returns_matching_lines_only(world: World) -> None:
    user = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    for product in (world.breaker, world.cable_product):
        draft_line_create(user=user, legal_entity=world.a_main, product=product)
    response = world.client_for(Persona.EMPLOYEE_WITH_RIGHT).get(
        reverse("orders:cart_lines"), {"q": "кабель"}, headers=HTMX
    )
    body = response.content.decode()
    assert f'data-product-id="{world.cable_product.id}"' in body
    assert f'data-product-id="{world.breaker.id}"' not in body


def test_an_xlsx_upload_previews_and_fills_the_paste_box(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dealerdesk.orders.tests.test_paste import workbook

    data = workbook([["Артикул", "Кол-во"], ["MVA20-3-016-C", 4], ["NOPE-9", 1]]).getvalue()
    upload = SimpleUploadedFile(
        "order.xlsx",
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response = world.client_for(Persona.EMPLOYEE_WITH_RIGHT).post(
        reverse("orders:paste_preview"), {"file": upload}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "MVA20-3-016-C\t4\nNOPE-9\t1</textarea>" in body
    assert 'name="code_column"' in body
    assert not DraftLine.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("order.xlsx", b"this is plain text, not a workbook")
    response = world.client_for(Persona.EMPLOYEE_WITH_RIGHT).post(
        reverse("orders:paste_preview"), {"file": upload}, headers=HTMX
    )
    assert response.status_code == 422
    assert "не книга .xlsx" in response.content.decode()
