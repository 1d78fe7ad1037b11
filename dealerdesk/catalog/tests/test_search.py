from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from dealerdesk.catalog.models import Product
from dealerdesk.catalog.search import (
    drop_search_index,
    ensure_search_index,
    search_product_ids,
)
from dealerdesk.catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def products() -> dict[str, Product]:
    rows = {
        "exact": ("MVA20-3-016-C", "Автоматический выключатель ВА47-29 3P 16А C 4,5кА IEK"),
        "prefix": ("MVA20-3-016-C-PRO", "Автоматический выключатель ВА47-29 3P 16А C PRO IEK"),
        "longer": ("MVA20-3-016-C-PRO-EXTRA", "Автомат ВА47-29 3P 16А специальный"),
        "contains": ("XMVA20-3-016-C", "Выключатель с другим кодом"),
        "lamp": ("LLE-T8-18W", "Лампа светодиодная ёлочная T8 18Вт"),
        "cable": ("1101001", "Кабель ВВГнг(А)-LS 3х2,5 ок(N,PE) 0,66кВ"),
        "panel": ("DPO4001", "Светильник ДПО 4001 36Вт 4000К IP20 валютный"),
        "percent": ("A%B_1", "Проверка спецсимволов 100% мощности"),
    }
    return {key: ProductFactory(code=code, name=name) for key, (code, name) in rows.items()}


def test_exact_code_ranks_first_then_prefix_then_contains(products: dict[str, Product]) -> None:
    found = search_product_ids("mva20-3-016-c")
    assert found[:4] == [
        products["exact"].id,
        products["prefix"].id,
        products["longer"].id,
        products["contains"].id,
    ]


def test_name_substring_is_case_insensitive_for_cyrillic(products: dict[str, Product]) -> None:
    assert search_product_ids("ВВГНГ") == [products["cable"].id]
    assert search_product_ids("ввгнг") == [products["cable"].id]


def test_yo_and_ye_are_the_same_letter(products: dict[str, Product]) -> None:
    assert search_product_ids("елочная") == [products["lamp"].id]
    assert search_product_ids("ЁЛОЧНАЯ") == [products["lamp"].id]


def test_every_word_must_match_somewhere(products: dict[str, Product]) -> None:
    assert set(search_product_ids("ва47 pro")) == {products["prefix"].id, products["longer"].id}
    assert search_product_ids("ва47 специальный") == [products["longer"].id]
    assert set(search_product_ids("ва47 16а")) == {
        products["exact"].id,
        products["prefix"].id,
        products["longer"].id,
    }


def test_one_or_two_characters_match_code_prefixes_only(products: dict[str, Product]) -> None:
    assert search_product_ids("ll") == [products["lamp"].id]
    assert search_product_ids("т8") == []  # in a name, but too short for an infix search


def test_code_with_spaces_and_lower_case_is_found(products: dict[str, Product]) -> None:
    assert search_product_ids("  dpo 4001 ")[0] == products["panel"].id


def test_wrong_keyboard_layout_still_finds_products(products: dict[str, Product]) -> None:
    # "dfk.nysq" is "валютный" typed with the Latin layout on
    assert search_product_ids("dfk.nysq") == [products["panel"].id]


def test_like_wildcards_in_the_query_are_literal(products: dict[str, Product]) -> None:
    ProductFactory(code="AXBY1", name="Другой товар")
    # As a LIKE pattern "a%b_" would also match "axby1".
    assert search_product_ids("a%b_") == [products["percent"].id]


def test_separators_in_codes_and_sizes_are_optional(products: dict[str, Product]) -> None:
    assert search_product_ids("3016c")[:1] == [products["exact"].id]
    assert search_product_ids("016-C")[:1] == [products["exact"].id]
    assert products["cable"].id in search_product_ids("3х2,5")
    assert products["cable"].id in search_product_ids("3х25")


def test_archived_products_are_never_found(products: dict[str, Product]) -> None:
    products["cable"].is_active = False
    products["cable"].save()
    assert search_product_ids("ввгнг") == []
    assert search_product_ids("1101001") == []


def test_renamed_product_is_found_by_its_new_name(products: dict[str, Product]) -> None:
    products["cable"].name = "Кабель NYM 3х1,5"
    products["cable"].save()
    assert search_product_ids("nym") == [products["cable"].id]
    assert search_product_ids("ввгнг") == []


def test_result_count_is_capped(products: dict[str, Product]) -> None:
    for number in range(30):
        ProductFactory(code=f"BULK-{number:03d}", name="Стяжка кабельная")
    assert len(search_product_ids("стяжка", limit=20)) == 20
    assert len(search_product_ids("bulk", limit=20)) == 20


def test_empty_and_blank_queries_find_nothing(products: dict[str, Product]) -> None:
    assert search_product_ids("") == []
    assert search_product_ids("   ") == []


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        ("ва47 16а", 2),  # code prefix, then every word anywhere
        ("dfk.nysq", 4),  # nothing found: the same again in the other keyboard layout
        ("mv", 1),  # too short for the infix index: code prefix only
    ],
)
def test_search_runs_a_fixed_number_of_queries(
    products: dict[str, Product], query: str, queries: int
) -> None:
    with CaptureQueriesContext(connection) as captured:
        search_product_ids(query)
    assert len(captured) == queries


def test_index_is_rebuilt_when_it_was_lost(products: dict[str, Product]) -> None:
    drop_search_index()
    assert ensure_search_index() is True
    assert search_product_ids("ввгнг") == [products["cable"].id]
    assert ensure_search_index() is False


@settings(max_examples=200, deadline=None)
@given(query=st.text(max_size=120))
def test_any_text_is_a_valid_query(query: str) -> None:
    result = search_product_ids(query)
    assert isinstance(result, list)
    assert len(result) <= 20
