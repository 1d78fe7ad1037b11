from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Persona, World
from dealerdesk.catalog.tests.factories import ProductFactory, StockFactory
from dealerdesk.pricing.tests.factories import BasePriceFactory

NBSP = "\u00a0"


def rub(text: str) -> str:
    """How the Russian interface prints an amount: `1 234,56 ₽` with non-breaking spaces."""
    return text.replace(" ", NBSP)


def page_text(client: Client, url: str, **params: object) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_two_legal_entities_of_one_dealer_see_different_prices(world: World) -> None:
    # given the superuser of dealer A, acting for the main entity
    client = world.client_for(Persona.SUPERUSER)
    url = reverse("catalog:product_detail", args=[world.breaker.id])
    main_page = page_text(client, url)
    # when switching to subsidiary 1, which has its own 20% discount on breakers
    client.post(reverse("tenancy:legal_entity_switch"), {"legal_entity": world.a_sub1.id})
    sub_page = page_text(client, url)
    # then
    assert rub("900,00 ₽") in main_page
    assert rub("800,00 ₽") in sub_page
    assert rub("900,00 ₽") not in sub_page


def test_product_page_shows_base_price_discount_and_its_source(world: World) -> None:
    text = page_text(
        world.client_for(Persona.MAIN_ENTITY_USER),
        reverse("catalog:product_detail", args=[world.breaker.id]),
    )
    assert rub("1 000,00 ₽") in text  # base price
    assert f"10{NBSP}%" in text
    assert "Модульное оборудование" in text  # the category the discount comes from


def test_product_page_shows_stock_per_warehouse_with_update_time(world: World) -> None:
    text = page_text(
        world.client_for(Persona.EMPLOYEE_WITH_RIGHT),
        reverse("catalog:product_detail", args=[world.breaker.id]),
    )
    assert re.search(r"Москва</td><td[^>]*>120<", text)
    assert re.search(r"Санкт-Петербург</td><td[^>]*>35<", text)
    assert 'data-testid="stock-total">155' in text
    assert "обновлено" in text
    assert "500" in text  # the incoming supply


def test_product_page_lists_documentation_downloads(world: World) -> None:
    client = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)
    text = page_text(client, reverse("catalog:product_detail", args=[world.breaker.id]))
    download_url = reverse("catalog:product_document_download", args=[world.document.id])
    assert download_url in text
    response = client.get(download_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test datasheet"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"


def test_employee_without_the_price_right_sees_no_prices(world: World) -> None:
    client = world.client_for(Persona.EMPLOYEE_WITHOUT_RIGHT)
    detail = page_text(client, reverse("catalog:product_detail", args=[world.breaker.id]))
    listing = page_text(client, reverse("catalog:product_list"))
    suggestions = page_text(client, reverse("catalog:search_suggestions"), q="ва47")
    for text in (detail, listing, suggestions):
        assert "₽" not in text
    assert "MVA20-3-016-C" in suggestions


def test_product_list_filters_by_category_subtree(world: World) -> None:
    client = world.client_for(Persona.SUPERUSER)
    text = page_text(client, reverse("catalog:category", args=[world.modular.id]))
    assert "MVA20-3-016-C" in text  # two levels down
    assert "EZ9F34316" in text
    assert "1101001" not in text  # cable is another branch
    assert "OLD-001" not in text  # archived


def test_product_list_filters_by_brand_and_stock(world: World) -> None:
    client = world.client_for(Persona.SUPERUSER)
    in_stock = page_text(client, reverse("catalog:product_list"), stock="1")
    assert "MVA20-3-016-C" in in_stock
    assert "1101001" not in in_stock
    other_brand = ProductFactory(code="ABB-1", brand__name="ABB")
    by_brand = page_text(client, reverse("catalog:product_list"), brand=other_brand.brand_id)
    assert "ABB-1" in by_brand
    assert "MVA20-3-016-C" not in by_brand


def test_product_list_pages_without_counting(world: World) -> None:
    for number in range(55):
        ProductFactory(code=f"PAGE-{number:03d}")
    client = world.client_for(Persona.SUPERUSER)
    first = page_text(client, reverse("catalog:product_list"))
    second = page_text(client, reverse("catalog:product_list"), page=2)
    assert 'rel="next"' in first
    assert "1101001" in first  # codes sort: digits first
    assert "PAGE-054" not in first
    assert "PAGE-054" in second
    assert second.count('data-product-id="') == 58 - 50  # 55 + 3 active fixtures - 50


def test_product_list_with_a_query_shows_ranked_matches(world: World) -> None:
    text = page_text(world.client_for(Persona.SUPERUSER), reverse("catalog:product_list"), q="ва47")
    assert "MVA20-3-016-C" in text
    assert "<mark>" in text


def test_search_suggestions_carry_net_price_and_stock_of_the_current_entity(world: World) -> None:
    client = world.client_for(Persona.SUBSIDIARY_USER)
    text = page_text(client, reverse("catalog:search_suggestions"), q="mva20")
    assert f'data-product-id="{world.breaker.id}"' in text
    assert rub("800,00 ₽") in text
    assert "155" in text


def test_search_suggestions_say_so_when_nothing_matches(world: World) -> None:
    text = page_text(
        world.client_for(Persona.SUPERUSER), reverse("catalog:search_suggestions"), q="zzzzzz"
    )
    assert "Ничего не найдено" in text


def test_english_interface_is_selectable(world: World) -> None:
    client = world.client_for(Persona.SUPERUSER)
    assert "Каталог" in page_text(client, reverse("catalog:product_list"))
    client.post(reverse("language_set"), {"language": "en", "next": "/catalog/"})
    english = page_text(client, reverse("catalog:product_list"))
    assert "Catalog" in english
    assert "1,000.00" in english or "900.00" in english
    assert (
        world.user(Persona.SUPERUSER).__class__.objects.get(email="boss@a.example").language == "en"
    )


@pytest.mark.parametrize("count", [5, 40])
def test_product_list_runs_a_fixed_number_of_queries(
    world: World, count: int, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for number in range(count):
        product = ProductFactory(code=f"Q-{number:03d}", category=world.breakers_series)
        BasePriceFactory(product=product, price_type=world.base_prices, amount=Decimal(10))
        StockFactory(product=product, warehouse=world.warehouse_msk)
    client = world.client_for(Persona.MAIN_ENTITY_USER)
    # session, user, scope, category, page (with categories), sidebar, breadcrumbs, children,
    # brands, header entities; strategy: entity, settings, prices, discounts, stock, incoming
    with django_assert_num_queries(16):
        client.get(reverse("catalog:category", args=[world.modular.id]))


def test_search_suggestions_run_a_fixed_number_of_queries(
    world: World, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for number in range(25):
        ProductFactory(code=f"MVA20-9-{number:03d}", category=world.breakers_series)
    client = world.client_for(Persona.MAIN_ENTITY_USER)
    client.get(reverse("catalog:search_suggestions"), {"q": "warmup"})

    searching = 2  # code prefix, then every word anywhere
    # session, user, scope, search, products, strategy (entity, settings, prices, discounts,
    # stock, incoming)
    with django_assert_num_queries(3 + searching + 1 + 6):
        client.get(reverse("catalog:search_suggestions"), {"q": "mva20"})
