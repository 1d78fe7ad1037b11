"""The pricing resources of the ERP API: price types, base prices and discounts, pushed through
HTTP and checked in the database and in what dealers are shown."""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings

from conftest import Persona, World
from dealerdesk.catalog.models import Product
from dealerdesk.catalog.tests.factories import ProductFactory
from dealerdesk.companies.models import LegalEntity
from dealerdesk.erp import resources
from dealerdesk.erp.batches import ApplyContext
from dealerdesk.erp.models import ErpBatch
from dealerdesk.erp.registry import RESOURCES, Applied
from dealerdesk.erp.resources.pricing import read_price_batch
from dealerdesk.erp.tests.pushing import answered_and_stored
from dealerdesk.pricing.models import BasePrice, Discount, PriceType
from dealerdesk.pricing.strategy import PricingStrategy

resources.load()
_keys = itertools.count(1)


def push(world: World, path: str, body: dict[str, Any], key: str | None = None) -> Any:
    client: Client = world.client_for(Persona.ERP_CLIENT)
    return client.post(
        f"/api/erp/v1/{path}",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key or f"pricing-{next(_keys)}"},
    )


def push_bytes(world: World, path: str, body: bytes) -> Any:
    return world.client_for(Persona.ERP_CLIENT).generic(
        "POST",
        f"/api/erp/v1/{path}",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": f"pricing-{next(_keys)}"},
    )


def error_paths(response: Any) -> dict[str, str]:
    return {error["path"]: error["code"] for error in response.json()["errors"]}


@pytest.fixture
def erp_world(world: World) -> World:
    """The world with the ERP ids the ERP knows its objects by."""
    for instance, erp_id in [
        (world.breaker, "P-BREAKER"),
        (world.cable_product, "P-CABLE"),
        (world.unpriced, "P-EASY9"),
        (world.archived, "P-OLD"),
        (world.base_prices, "PT-BASE"),
        (world.wholesale_prices, "PT-WHOLESALE"),
        (world.modular, "CAT-MODULAR"),
        (world.breakers, "CAT-BREAKERS"),
        (world.cable, "CAT-CABLE"),
        (world.dealer_a, "D-A"),
        (world.dealer_b, "D-B"),
        (world.a_main, "LE-A-MAIN"),
        (world.a_sub1, "LE-A-SUB1"),
    ]:
        instance.erp_id = erp_id
        instance.save(update_fields=["erp_id"])
    return world


def stored_prices(price_type: PriceType) -> dict[int, Decimal]:
    return dict(BasePrice.objects.filter(price_type=price_type).values_list("product_id", "amount"))


def strategy_for(entity: LegalEntity) -> PricingStrategy:
    fresh = LegalEntity.objects.select_related("price_type", "dealer", "dealer__price_type").get(
        id=entity.id
    )
    return PricingStrategy.for_legal_entity(fresh)


# --- Price types ------------------------------------------------------------------------------


def test_price_types_are_created_and_changed_by_erp_id(erp_world: World) -> None:
    response = push(
        erp_world,
        "price-types",
        {
            "items": [
                {"id": "PT-BASE", "name": "Базовая розничная", "currency": "rub"},
                {"id": "PT-LARGE", "name": "Крупнооптовая", "includes_vat": False},
            ]
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    assert response.json()["updated"] == 1
    erp_world.base_prices.refresh_from_db()
    assert erp_world.base_prices.name == "Базовая розничная"
    large = PriceType.objects.get(erp_id="PT-LARGE")
    assert (large.name, large.currency, large.includes_vat) == ("Крупнооптовая", "RUB", False)

    again = push(
        erp_world,
        "price-types",
        {"items": [{"id": "PT-LARGE", "name": "Крупнооптовая", "includes_vat": False}]},
    )
    assert (again.json()["created"], again.json()["updated"]) == (0, 0)


def test_a_bad_price_type_batch_writes_nothing(erp_world: World) -> None:
    response = push(
        erp_world,
        "price-types",
        {
            "items": [
                {"id": "PT-NEW", "name": "Новая"},
                {"id": "PT-EUR", "name": "Евро", "currency": "EURO"},
                {"id": "PT-NONAME"},
                {"id": "PT-X", "name": "X", "discount": 5},
            ]
        },
    )

    assert response.status_code == 422
    assert error_paths(response) == {
        "items[1].currency": "string_pattern_mismatch",
        "items[2].name": "required",
        "items[3].discount": "unknown_field",
    }
    assert not PriceType.objects.filter(erp_id="PT-NEW").exists()


# --- Prices -----------------------------------------------------------------------------------


def test_pushed_prices_and_discounts_are_what_the_dealer_is_shown(erp_world: World) -> None:
    response = push(
        erp_world,
        "prices",
        {
            "items": [
                {"product_id": "P-BREAKER", "price_type_id": "PT-BASE", "amount": "1200.00"},
                {"product_id": "P-CABLE", "price_type_id": "PT-BASE", "amount": "85.50"},
                {"product_id": "P-EASY9", "price_type_id": "PT-BASE", "amount": "640.40"},
            ]
        },
    )
    assert response.status_code == 200, response.content
    # The cable's amount is unchanged: neither created nor updated.
    assert (response.json()["created"], response.json()["updated"]) == (1, 1)
    discount = push(
        erp_world,
        "discounts",
        {"items": [{"dealer_id": "D-A", "category_id": "CAT-BREAKERS", "percent": "25"}]},
    )
    assert discount.status_code == 200, discount.content

    prices = strategy_for(erp_world.a_main).prices_for(
        [erp_world.breaker, erp_world.cable_product, erp_world.unpriced]
    )
    breaker, cable, unpriced = (
        prices[erp_world.breaker.id],
        prices[erp_world.cable_product.id],
        prices[erp_world.unpriced.id],
    )
    assert breaker is not None
    assert cable is not None
    assert unpriced is not None
    # Dealer A's new 25% on breakers overrides its 10% on all modular equipment.
    assert (breaker.base, breaker.discount_percent, breaker.net) == (
        Decimal("1200.00"),
        Decimal("25.00"),
        Decimal("900.00"),
    )
    assert (unpriced.base, unpriced.net) == (Decimal("640.40"), Decimal("480.30"))
    assert (cable.base, cable.net) == (Decimal("85.50"), Decimal("85.50"))

    page = erp_world.client_for(Persona.SUPERUSER).get(f"/catalog/products/{erp_world.breaker.id}/")
    net = re.search(r'data-testid="net-price">([^<]*)<', page.content.decode())
    assert net is not None
    assert re.sub(r"\D", "", net.group(1)) == "90000"  # 900,00 whatever the separators


def test_a_full_snapshot_deletes_absent_prices_of_its_price_type_only(erp_world: World) -> None:
    response = push(
        erp_world,
        "prices",
        {
            "full_snapshot": True,
            "items": [
                {"product_id": "P-BREAKER", "price_type_id": "PT-BASE", "amount": "1000.00"},
                {"product_id": "P-EASY9", "price_type_id": "PT-BASE", "amount": "700.00"},
            ],
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["deleted"]) == (1, 0, 2)
    assert stored_prices(erp_world.base_prices) == {
        erp_world.breaker.id: Decimal("1000.00"),
        erp_world.unpriced.id: Decimal("700.00"),
    }
    # The wholesale list was not in the batch: it stays as it was.
    assert stored_prices(erp_world.wholesale_prices) == {erp_world.breaker.id: Decimal("900.00")}


def test_a_full_snapshot_changing_every_row_still_deletes_the_absent_prices(
    erp_world: World,
) -> None:
    # Every row changes a stored amount (nothing to create), and one stored price is absent.
    response = push(
        erp_world,
        "prices",
        {
            "full_snapshot": True,
            "items": [
                {"product_id": "P-BREAKER", "price_type_id": "PT-BASE", "amount": "1001.00"},
                {"product_id": "P-CABLE", "price_type_id": "PT-BASE", "amount": "86.00"},
                {"product_id": "P-BREAKER", "price_type_id": "PT-WHOLESALE", "amount": "901.00"},
            ],
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["deleted"]) == (0, 3, 1)
    assert stored_prices(erp_world.base_prices) == {
        erp_world.breaker.id: Decimal("1001.00"),
        erp_world.cable_product.id: Decimal("86.00"),
    }
    assert stored_prices(erp_world.wholesale_prices) == {erp_world.breaker.id: Decimal("901.00")}


def test_a_full_snapshot_of_the_whole_list_changed_and_extended_deletes_nothing(
    erp_world: World,
) -> None:
    items = [
        {"product_id": "P-BREAKER", "price_type_id": "PT-BASE", "amount": "1001.00"},
        {"product_id": "P-CABLE", "price_type_id": "PT-BASE", "amount": "90.00"},
        {"product_id": "P-OLD", "price_type_id": "PT-BASE", "amount": "11.00"},
        {"product_id": "P-EASY9", "price_type_id": "PT-BASE", "amount": "700.00"},  # new
    ]

    response = push(erp_world, "prices", {"full_snapshot": True, "items": items})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["deleted"]) == (1, 3, 0)
    assert stored_prices(erp_world.base_prices) == {
        erp_world.breaker.id: Decimal("1001.00"),
        erp_world.cable_product.id: Decimal("90.00"),
        erp_world.archived.id: Decimal("11.00"),
        erp_world.unpriced.id: Decimal("700.00"),
    }
    assert stored_prices(erp_world.wholesale_prices) == {erp_world.breaker.id: Decimal("900.00")}


def test_without_full_snapshot_absent_prices_stay(erp_world: World) -> None:
    response = push(
        erp_world,
        "prices",
        {"items": [{"product_id": "P-BREAKER", "price_type_id": "PT-BASE", "amount": "1.00"}]},
    )

    assert response.json()["deleted"] == 0
    assert len(stored_prices(erp_world.base_prices)) == 3


def test_a_batch_with_one_unknown_product_writes_nothing(erp_world: World) -> None:
    before = stored_prices(erp_world.base_prices)
    response = push(
        erp_world,
        "prices",
        {
            "full_snapshot": True,
            "items": [
                {"product_id": "P-BREAKER", "price_type_id": "PT-BASE", "amount": "1500.00"},
                {"product_id": "P-NOWHERE", "price_type_id": "PT-BASE", "amount": "10.00"},
                {"product_id": "P-EASY9", "price_type_id": "PT-BASE", "amount": "700.00"},
            ],
        },
    )

    assert response.status_code == 422
    assert error_paths(response) == {"items[1].product_id": "unknown_reference"}
    assert "P-NOWHERE" in response.json()["errors"][0]["message"]
    assert stored_prices(erp_world.base_prices) == before
    assert ErpBatch.objects.get().status == ErpBatch.Status.REJECTED


def test_unknown_price_types_and_pairs_given_twice_are_all_reported(erp_world: World) -> None:
    response = push(
        erp_world,
        "prices",
        {
            "items": [
                {"product_id": "P-BREAKER", "price_type_id": "PT-BASE", "amount": "1.00"},
                {"product_id": "P-CABLE", "price_type_id": "PT-RETAIL", "amount": "2.00"},
                {"product_id": "P-BREAKER", "price_type_id": "PT-BASE", "amount": "3.00"},
                {"product_id": "P-GHOST", "price_type_id": "PT-GHOST", "amount": "4.00"},
            ]
        },
    )

    assert response.status_code == 422
    assert error_paths(response) == {
        "items[1].price_type_id": "unknown_reference",
        "items[2]": "duplicate",
        "items[3].product_id": "unknown_reference",
        "items[3].price_type_id": "unknown_reference",
    }
    duplicate = next(e for e in response.json()["errors"] if e["code"] == "duplicate")
    assert "already given in items[0]" in duplicate["message"]
    assert stored_prices(erp_world.base_prices)[erp_world.breaker.id] == Decimal("1000.00")


def test_invalid_price_rows_are_rejected_before_anything_is_read(erp_world: World) -> None:
    response = push(
        erp_world,
        "prices",
        {
            "items": [
                {"product_id": "P-BREAKER", "price_type_id": "PT-BASE", "amount": "-1.00"},
                {"product_id": "P-CABLE", "amount": "2.00"},
                {"product_id": "P-EASY9", "price_type_id": "PT-BASE", "amount": "1.001"},
                {"id": "x", "product_id": "P-OLD", "price_type_id": "PT-BASE", "amount": "1"},
            ],
            "full_snapshot": "sometimes",
        },
    )

    assert response.status_code == 422
    assert error_paths(response) == {
        "items[0].amount": "negative",
        "items[1].price_type_id": "required",
        "items[2].amount": "too_precise",
        "items[3].id": "unknown_field",
        "full_snapshot": "not_a_boolean",
    }
    assert stored_prices(erp_world.base_prices)[erp_world.breaker.id] == Decimal("1000.00")


def test_a_replayed_price_batch_answers_the_same_and_writes_nothing(erp_world: World) -> None:
    body = {
        "full_snapshot": True,
        "items": [{"product_id": "P-BREAKER", "price_type_id": "PT-BASE", "amount": "1100.00"}],
    }
    first = push(erp_world, "prices", body, key="prices-once")
    assert first.json()["deleted"] == 2
    # Changed meanwhile (by a later batch, say): a replay must not put the old list back.
    BasePrice.objects.filter(product=erp_world.breaker, price_type=erp_world.base_prices).update(
        amount=Decimal("1234.00")
    )
    BasePrice.objects.create(
        product=erp_world.cable_product, price_type=erp_world.base_prices, amount=Decimal(90)
    )

    replay = push(erp_world, "prices", body, key="prices-once")

    assert replay.status_code == 200
    assert replay.json() == first.json()
    assert stored_prices(erp_world.base_prices) == {
        erp_world.breaker.id: Decimal("1234.00"),
        erp_world.cable_product.id: Decimal("90.00"),
    }
    assert ErpBatch.objects.count() == 1


# --- The shortcut for plainly valid price batches ------------------------------------------------


def _price_body(*rows: tuple[str, Any, Any], **options: Any) -> bytes:
    items = [
        {"product_id": product, "price_type_id": price_type, "amount": amount}
        for product, price_type, amount in rows
    ]
    return json.dumps({**options, "items": items}, ensure_ascii=False).encode()


SHORTCUT_CASES = {
    # Read by the shortcut: strings and JSON integers, ids with inner blanks and COPY's delimiters.
    "plain": (_price_body(("P-BREAKER", "PT-BASE", "1200.5"), ("P-CABLE", "PT-BASE", 0)), True),
    "snapshot": (
        _price_body(("P-EASY9", "PT-BASE", "999999999999.99"), full_snapshot=True),
        True,
    ),
    "copy-delimiters-in-ids": (
        _price_body(("P\\TAB\t1", "PT-BASE", "12"), ("P\\TAB\t1", "PT-WHOLESALE", "13")),
        True,
    ),
    "unknown-and-duplicated": (
        _price_body(
            ("P-BREAKER", "PT-BASE", "1"),
            ("P-NOWHERE", "PT-GHOST", "2"),
            ("P-BREAKER", "PT-BASE", "3"),
        ),
        True,
    ),
    # Left to the model, which accepts some and words the errors of the others.
    "id-with-blanks": (_price_body((" P-BREAKER", "PT-BASE\u00a0", "5.00")), False),
    "leading-zero": (_price_body(("P-BREAKER", "PT-BASE", "0012.30")), False),
    "json-float": (_price_body(("P-BREAKER", "PT-BASE", 12.5)), False),
    "exponent": (_price_body(("P-BREAKER", "PT-BASE", "1e3")), False),
    "negative": (_price_body(("P-BREAKER", "PT-BASE", "-1.00")), False),
    "too-precise": (_price_body(("P-BREAKER", "PT-BASE", "1.001")), False),
    "too-large": (_price_body(("P-BREAKER", "PT-BASE", 10**12)), False),
    "boolean-amount": (_price_body(("P-BREAKER", "PT-BASE", True)), False),
    "large-amount": (_price_body(("P-BREAKER", "PT-BASE", "123456789012.34")), True),
    "huge-amount": (_price_body(("P-BREAKER", "PT-BASE", "1234567890123")), False),
    "amount-without-decimals-after-the-point": (_price_body(("P-BREAKER", "PT-BASE", "5.")), False),
    "amount-without-whole-part": (_price_body(("P-BREAKER", "PT-BASE", ".5")), False),
    "two-points": (_price_body(("P-BREAKER", "PT-BASE", "1.2.3")), False),
    "empty-amount": (_price_body(("P-BREAKER", "PT-BASE", "")), False),
    "amount-with-blank": (_price_body(("P-BREAKER", "PT-BASE", "1 000")), False),
    "price-type-an-object": (_price_body(("P-BREAKER", {"id": "PT-BASE"}, "1")), False),
    "empty-id": (_price_body(("", "PT-BASE", "1")), False),
    "long-id": (_price_body(("P" * 81, "PT-BASE", "1")), False),
    "number-id": (_price_body((12345, "PT-BASE", "1")), False),
    "extra-field": (b'{"items": [{"product_id": "P-BREAKER", "price_type_id": "PT-BASE", '
                    b'"amount": "1", "note": "x"}]}', False),
    "missing-field": (b'{"items": [{"product_id": "P-BREAKER", "amount": "1"}]}', False),
    "item-not-an-object": (b'{"items": ["P-BREAKER"]}', False),
    "snapshot-not-a-boolean": (
        _price_body(("P-BREAKER", "PT-BASE", "1"), full_snapshot="yes"),
        False,
    ),
    "unknown-option": (_price_body(("P-BREAKER", "PT-BASE", "1"), replace=True), False),
    "no-items": (b'{"items": []}', False),
    "lone-surrogate": (b'{"items": [{"product_id": "\\ud800", "price_type_id": "PT-BASE", '
                       b'"amount": "1"}]}', False),
    "nul": (_price_body(("P-BREAKER\u0000", "PT-BASE", "1")), False),
    "truncated": (b'{"items": [{"product_id": "P-BREAKER"', False),
}  # fmt: skip


def _prices() -> set[Any]:
    return set(BasePrice.objects.values_list("product_id", "price_type_id", "amount"))


@pytest.mark.parametrize(("body", "read_by_shortcut"), SHORTCUT_CASES.values(), ids=SHORTCUT_CASES)
def test_a_price_batch_is_answered_and_applied_alike_with_or_without_the_shortcut(
    erp_world: World, monkeypatch: pytest.MonkeyPatch, body: bytes, read_by_shortcut: bool
) -> None:
    ProductFactory(erp_id="P\\TAB\t1")
    resource = RESOURCES["prices"]
    read = read_price_batch(body, resource.batch_model, 50_000)
    assert (read is not None) == read_by_shortcut

    with_shortcut = answered_and_stored(erp_world, "prices", body, _prices)
    monkeypatch.setattr(resource, "read_json", None)
    without_shortcut = answered_and_stored(erp_world, "prices", body, _prices)

    assert with_shortcut == without_shortcut


def test_the_shortcut_reads_rows_as_the_model_does(erp_world: World) -> None:
    body = _price_body(("P-A", "PT-BASE", "10.5"), ("P-B", "PT-RETAIL", 7), full_snapshot=True)

    batch = read_price_batch(body, RESOURCES["prices"].batch_model, 50_000)

    assert batch is not None
    assert batch.full_snapshot is True  # type: ignore[attr-defined]
    assert [row.model_dump() for row in batch.items] == [  # type: ignore[attr-defined]
        {"product_id": "P-A", "price_type_id": "PT-BASE", "amount": Decimal("10.5")},
        {"product_id": "P-B", "price_type_id": "PT-RETAIL", "amount": Decimal(7)},
    ]


@override_settings(ERP_BATCH_MAX_ITEMS=2)
def test_the_shortcut_leaves_a_batch_over_the_item_limit_to_the_limit_check(
    erp_world: World,
) -> None:
    body = _price_body(*[(f"P-{number}", "PT-BASE", "1") for number in range(3)])

    assert read_price_batch(body, RESOURCES["prices"].batch_model, 2) is None
    response = push_bytes(erp_world, "prices", body)

    assert response.status_code == 413
    assert "the limit is 2 items" in response.json()["message"]


def test_a_copy_delimiter_in_a_product_id_is_stored_as_sent(erp_world: World) -> None:
    product = ProductFactory(erp_id="P\\TAB\t1")

    response = push(
        erp_world,
        "prices",
        {"items": [{"product_id": "P\\TAB\t1", "price_type_id": "PT-BASE", "amount": "12.30"}]},
    )

    assert response.status_code == 200, response.content
    assert stored_prices(erp_world.base_prices)[product.id] == Decimal("12.30")


# --- Discounts --------------------------------------------------------------------------------


def discounts() -> set[tuple[int | None, int | None, int, Decimal]]:
    return set(
        Discount.objects.values_list("dealer_id", "legal_entity_id", "category_id", "percent")
    )


def test_discounts_are_created_changed_and_removed(erp_world: World) -> None:
    w = erp_world
    response = push(
        w,
        "discounts",
        {
            "items": [
                {"dealer_id": "D-A", "category_id": "CAT-MODULAR", "percent": "12.5"},  # changed
                {"dealer_id": "D-A", "category_id": "CAT-CABLE", "percent": "5"},  # new
                {"legal_entity_id": "LE-A-SUB1", "category_id": "CAT-BREAKERS", "percent": 0},
                {"dealer_id": "D-B", "category_id": "CAT-MODULAR", "delete": True},
                {"legal_entity_id": "LE-A-MAIN", "category_id": "CAT-CABLE", "delete": True},
            ]
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    # The last row removes a discount that does not exist: nothing to count.
    assert (body["created"], body["updated"], body["deleted"]) == (1, 1, 2)
    assert discounts() == {
        (w.dealer_a.id, None, w.modular.id, Decimal("12.50")),
        (w.dealer_a.id, None, w.cable.id, Decimal("5.00")),
    }
    # The subsidiary's own 20% on breakers is gone: it gets the dealer's 12.5% on modular.
    price = strategy_for(w.a_sub1).prices_for([w.breaker])[w.breaker.id]
    assert price is not None
    assert (price.discount_percent, price.net) == (Decimal("12.50"), Decimal("875.00"))


def test_a_full_discount_snapshot_replaces_the_listed_owners_discounts_only(
    erp_world: World,
) -> None:
    w = erp_world
    response = push(
        w,
        "discounts",
        {
            "full_snapshot": True,
            "items": [{"dealer_id": "D-A", "category_id": "CAT-CABLE", "percent": "7"}],
        },
    )

    assert response.status_code == 200, response.content
    assert (response.json()["created"], response.json()["deleted"]) == (1, 1)
    assert discounts() == {
        (w.dealer_a.id, None, w.cable.id, Decimal("7.00")),
        # Dealer A's legal entity and dealer B were not in the batch.
        (None, w.a_sub1.id, w.breakers.id, Decimal("20.00")),
        (w.dealer_b.id, None, w.modular.id, Decimal("3.00")),
    }


def test_bad_discount_rows_are_all_reported_and_nothing_is_written(erp_world: World) -> None:
    before = discounts()
    response = push(
        erp_world,
        "discounts",
        {
            "items": [
                {"dealer_id": "D-A", "category_id": "CAT-CABLE", "percent": "5"},
                {
                    "dealer_id": "D-A",
                    "legal_entity_id": "LE-A-MAIN",
                    "category_id": "CAT-CABLE",
                    "percent": "5",
                },
                {"category_id": "CAT-CABLE", "percent": "5"},
                {"dealer_id": "D-A", "category_id": "CAT-MODULAR", "percent": "100.01"},
                {"dealer_id": "D-A", "category_id": "CAT-MODULAR", "percent": "-1"},
                {"dealer_id": "D-A", "category_id": "CAT-MODULAR"},
                {"dealer_id": "D-A", "percent": "5"},
            ]
        },
    )

    assert response.status_code == 422
    assert error_paths(response) == {
        "items[1]": "invalid",
        "items[2]": "invalid",
        "items[3].percent": "too_big",
        "items[4].percent": "negative",
        "items[5]": "invalid",
        "items[6].category_id": "required",
    }
    assert discounts() == before


def test_unknown_owners_categories_and_repeated_keys_reject_the_batch(erp_world: World) -> None:
    before = discounts()
    response = push(
        erp_world,
        "discounts",
        {
            "items": [
                {"dealer_id": "D-A", "category_id": "CAT-CABLE", "percent": "5"},
                {"dealer_id": "D-NOBODY", "category_id": "CAT-CABLE", "percent": "5"},
                {"legal_entity_id": "LE-NONE", "category_id": "CAT-NONE", "percent": "5"},
                {"dealer_id": "D-A", "category_id": "CAT-CABLE", "percent": "6"},
            ]
        },
    )

    assert response.status_code == 422
    assert error_paths(response) == {
        "items[1].dealer_id": "unknown_reference",
        "items[2].legal_entity_id": "unknown_reference",
        "items[2].category_id": "unknown_reference",
        "items[3]": "duplicate",
    }
    assert discounts() == before


def test_a_replayed_discount_batch_writes_nothing(erp_world: World) -> None:
    body = {"items": [{"dealer_id": "D-A", "category_id": "CAT-CABLE", "percent": "5"}]}
    first = push(erp_world, "discounts", body, key="discounts-once")
    Discount.objects.filter(category=erp_world.cable).delete()

    replay = push(erp_world, "discounts", body, key="discounts-once")

    assert replay.json() == first.json()
    assert not Discount.objects.filter(category=erp_world.cable).exists()


# --- Dealers reading during an import -----------------------------------------------------------


def _dealer_reads(entity: LegalEntity, products: Sequence[Product]) -> set[Decimal | None]:
    """The base prices the dealer's strategy shows for the products, as a set of amounts."""
    prices = strategy_for(entity).prices_for(products)
    return {price.base if price else None for price in prices.values()}


@pytest.mark.django_db(transaction=True)
def test_dealers_reading_during_an_import_see_the_old_list_or_the_new_one(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.base_prices.erp_id = "PT-BASE"
    world.base_prices.save(update_fields=["erp_id"])
    products = [ProductFactory(erp_id=f"P-{number:04d}") for number in range(300)]
    BasePrice.objects.bulk_create(
        BasePrice(product=product, price_type=world.base_prices, amount=Decimal(100))
        for product in products
    )
    body = {
        "full_snapshot": True,
        "items": [
            {"product_id": product.erp_id, "price_type_id": "PT-BASE", "amount": "200.00"}
            for product in products
        ],
    }

    # The import stops after writing every row, before its transaction commits.
    written, release = threading.Event(), threading.Event()
    resource = RESOURCES["prices"]
    apply = resource.apply

    def apply_and_wait(context: ApplyContext, items: Sequence[Any]) -> Applied:
        applied = apply(context, items)
        written.set()
        release.wait(timeout=30)
        return applied

    monkeypatch.setattr(resource, "apply", apply_and_wait)
    answers: list[int] = []

    def run_import() -> None:
        try:
            answers.append(push(world, "prices", body).status_code)
        finally:
            written.set()  # never leave the reader waiting, whatever happened
            connection.close()

    before = _dealer_reads(world.a_main, products)
    importer = threading.Thread(target=run_import)
    importer.start()
    try:
        assert written.wait(timeout=30)
        during: list[set[Decimal | None]] = []
        locked: list[str] = []
        for _ in range(5):
            try:
                during.append(_dealer_reads(world.a_main, products))
            except OperationalError as error:
                # SQLite's in-memory test database locks the written tables until commit:
                # the reader gets nothing rather than a part of the new list.
                locked.append(str(error))
    finally:
        release.set()
        importer.join(timeout=60)
    after = _dealer_reads(world.a_main, products)

    assert answers == [200]
    assert before == {Decimal(100)}
    assert all(seen == {Decimal(100)} for seen in during), during
    assert len(during) + len(locked) == 5
    assert all("locked" in message for message in locked), locked
    if connection.vendor == "postgresql":
        assert len(during) == 5  # MVCC: readers are never blocked by the import
    assert after == {Decimal(200)}
