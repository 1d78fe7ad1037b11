"""The six public CommerceML samples (/work/shared/samples/commerceml, counts in SOURCES.md):
every one parses with the exact counts, values are spot-checked, and the catalog samples
import through `items_receive` into what a dealer sees on a product page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import Persona, World
from dealerdesk.catalog.models import Category, Product, Stock, Warehouse
from dealerdesk.companies.models import LegalEntity
from dealerdesk.erp.batches import items_receive
from dealerdesk.erp.commerceml import Chunk, drop_unknown_products, read_document, read_orders
from dealerdesk.erp.models import ErpClient
from dealerdesk.erp.registry import RESOURCES
from dealerdesk.erp.resources import load
from dealerdesk.erp.resources.catalog import ids_by_erp_id
from dealerdesk.erp.services import erp_client_create
from dealerdesk.pricing.models import BasePrice, PriceType

SAMPLES = Path("/work/shared/samples/commerceml")
IMPORT = SAMPLES / "dobromyslov-commerceml-parser__import0_1.xml"
OFFERS = SAMPLES / "dobromyslov-commerceml-parser__offers0_1.xml"
QUERY_ANSWER = SAMPLES / "dobromyslov-commerceml-parser__bitrix-query-response-full.xml"
DOCUMENTS = SAMPLES / "argentcrusade-commerceml__documents-example.xml"
CLASSIFIER = SAMPLES / "turumburumstudio-exchangecommerceml__classifier.xml"
RESTS = SAMPLES / "turumburumstudio-exchangecommerceml__rests.xml"

MAT_ID = "bd8c4e15-18f9-11e7-80c2-0cc47ab29cd1"  # PM-421-WP, «Портативный коврик Portable...»
BASE_PRICE_TYPE = "279b6812-740b-11e8-80c8-0cc47ab29cd1"
VLADIVOSTOK = "6abdb0b5-18fd-11e7-80c2-0cc47ab29cd1"
MOSCOW = "dd306af1-19c9-11e7-80c2-0cc47ab29cd1"


def parse(path: Path) -> tuple[list[Chunk], dict[str, list[dict[str, Any]]]]:
    chunks = list(read_document(path))
    found: dict[str, list[dict[str, Any]]] = {}
    for chunk in chunks:
        found.setdefault(chunk.resource, []).extend(chunk.items)
    return chunks, found


def count_elements(path: Path, *tags: str) -> int:
    """Elements whose local name path ends with `tags`, counted with a plain parser."""
    total = 0

    def walk(element: ET.Element, trail: tuple[str, ...]) -> None:
        nonlocal total
        trail = (*trail, element.tag.rsplit("}", 1)[-1])
        if trail[-len(tags) :] == tags:
            total += 1
        for child in element:
            walk(child, trail)

    walk(ET.parse(path).getroot(), ())  # noqa: S314 - the samples are trusted test data
    return total


# --- parsing: exact counts and values --------------------------------------------------------


def test_the_import_file_2_07_gives_one_group_and_36_products() -> None:
    chunks, found = parse(IMPORT)

    assert [chunk.resource for chunk in chunks] == ["categories", "products"]
    assert found["categories"] == [
        {"id": "82cfb8dc-18f9-11e7-80c2-0cc47ab29cd1", "name": "Коврики для дома"}
    ]
    assert count_elements(IMPORT, "Свойства", "Свойство") == 12
    products = {product["id"]: product for product in found["products"]}
    assert len(found["products"]) == len(products) == 36
    mat = products[MAT_ID]
    assert mat["code"] == "PM-421-WP"
    assert mat["name"] == "Портативный коврик Portable 140x200x1 см, Деревянные лошадки"
    assert mat["unit"] == "шт"  # БазоваяЕдиница Код="796 "
    assert (mat["vat_rate"], mat["brand"]) == ("20.00", "Crazy Boom")
    assert mat["category_id"] == "82cfb8dc-18f9-11e7-80c2-0cc47ab29cd1"
    attributes = {attribute["name"]: attribute["value"] for attribute in mat["attributes"]}
    # Names come from Классификатор/Свойства, reference values from ВариантыЗначений.
    assert attributes["Страна производства"] == "КОРЕЯ, РЕСПУБЛИКА"
    assert attributes["Линейка"] == "Portable"
    assert attributes["Габарит_Вес"] == "1,4"
    assert sum(1 for product in products.values() if not product["is_active"]) == 1


def test_the_offers_file_gives_price_types_warehouses_44_prices_and_132_stock_rows() -> None:
    chunks, found = parse(OFFERS)

    assert [chunk.resource for chunk in chunks] == ["price-types", "warehouses", "prices", "stock"]
    assert found["price-types"] == [
        {"id": BASE_PRICE_TYPE, "name": "BASE", "currency": "RUB", "includes_vat": True}
    ]
    assert [warehouse["name"] for warehouse in found["warehouses"]] == [
        "Владивосток",
        "Новосибирск",
        "Москва",
    ]
    assert len(found["prices"]) == 44
    assert len(found["stock"]) == 132
    # СодержитТолькоИзменения="false": the whole list, in one chunk each.
    assert {chunk.resource: chunk.options for chunk in chunks[2:]} == {
        "prices": {"full_snapshot": True},
        "stock": {"full_snapshot": True},
    }
    assert {"product_id": MAT_ID, "price_type_id": BASE_PRICE_TYPE, "amount": "100.00"} in found[
        "prices"
    ]
    stock = {(row["product_id"], row["warehouse_id"]): row["quantity"] for row in found["stock"]}
    assert stock[(MAT_ID, VLADIVOSTOK)] == "1"
    assert stock[(MAT_ID, MOSCOW)] == "376"


def test_the_3_1_classifier_gives_2_groups_7_price_types_and_14_warehouses() -> None:
    _, found = parse(CLASSIFIER)

    assert len(found["categories"]) == 2
    assert len(found["warehouses"]) == 14
    price_types = {item["name"]: item for item in found["price-types"]}
    assert len(found["price-types"]) == len(price_types) == 7
    assert price_types["Розничная"]["currency"] == "UAH"  # «грн»
    assert price_types["Оптовая"]["currency"] == "USD"
    assert price_types["Себестоимость реализации"]["includes_vat"] is False
    assert price_types["Закупочные"]["includes_vat"] is True
    assert set(found) == {"categories", "price-types", "warehouses"}


def test_the_3_1_rests_give_168_stock_entries_summed_over_characteristics() -> None:
    chunks, found = parse(RESTS)

    raw = count_elements(RESTS, "Остатки", "Остаток", "Склад")
    assert raw == 168
    assert count_elements(RESTS, "Предложения", "Предложение") == 12
    # Two offers are characteristics (`#`) of one product: their 2 × 14 entries become 14.
    assert len(found["stock"]) == 168 - 14
    assert len({row["product_id"] for row in found["stock"]}) == 11
    assert sum(Decimal(row["quantity"]) for row in found["stock"]) == Decimal(
        19 + 4 + 5 + 7 + 20 + 48
    )
    # 6 non-zero entries; two of them (5 and 7) are characteristics at one warehouse.
    assert sum(1 for row in found["stock"] if Decimal(row["quantity"])) == 5
    assert sorted(
        Decimal(row["quantity"]) for row in found["stock"] if Decimal(row["quantity"])
    ) == [
        4,
        12,
        19,
        20,
        48,
    ]
    assert [chunk.options for chunk in chunks] == [{}]  # СодержитТолькоИзменения="true"


def test_the_bitrix_query_answer_2_05_windows_1251_has_2_orders_with_8_lines() -> None:
    orders = read_orders(QUERY_ANSWER)

    assert [order.number for order in orders] == ["132", "133"]
    assert [len(order.lines) for order in orders] == [1, 7]
    first = orders[0]
    assert first.total == Decimal("231.74")
    line = first.lines[0]
    assert line.name == "Hello Kitty toothbrush for 3~6 years old,2pcs"
    assert (line.quantity, line.price, line.amount) == (1, Decimal("231.74"), Decimal("231.74"))
    assert first.requisites["Статус заказа"] == "[N] Принят, ожидается оплата"
    assert orders[1].total == Decimal("14380.58")
    assert sum(line.amount for line in orders[1].lines) == orders[1].total

    _, found = parse(QUERY_ANSWER)
    # Bitrix's own orders refer to no portal order: they would be orders entered elsewhere.
    assert [(order["number"], order["status"]) for order in found["orders"]] == [
        ("132", "new"),
        ("133", "new"),
    ]


def test_the_1c_documents_2_09_update_two_portal_orders() -> None:
    orders = read_orders(DOCUMENTS)

    assert [(order.number, order.erp_number) for order in orders] == [
        ("142", "ТДЦУ-000001"),
        ("235", "ТДЦУ-000002"),
    ]
    assert sum(len(order.lines) for order in orders) == 4
    assert [line.product_id for line in orders[1].lines if line.is_service] == ["ORDER_DELIVERY"]
    first = orders[0]
    assert [(line.quantity, line.price, line.amount) for line in first.lines] == [
        (1, Decimal(3338), Decimal(3338)),
        (1, Decimal(3600), Decimal(3600)),
    ]
    assert first.total == Decimal("8186.84")  # lines without VAT + НДС 18 % 1248.84
    assert orders[1].total == Decimal(4100)

    chunks, found = parse(DOCUMENTS)
    assert [chunk.resource for chunk in chunks] == ["order-updates"]
    assert found["order-updates"] == [
        {
            "id": "142",
            "status": "confirmed",  # Статуса заказа ИД = P
            "erp_number": "ТДЦУ-000001",
            "status_comment": (
                "Оплата ТДЦУ-000001 от 29.06.2015; Отгрузка ТДЦУ-000003 от 29.06.2015"
            ),
        },
        {
            "id": "235",
            "status": "confirmed",
            "erp_number": "ТДЦУ-000002",
            "status_comment": "Оплата ТДЦУ-000002 от 29.06.2015",
        },
    ]


# --- importing into the portal -----------------------------------------------------------------


def import_file(client: ErpClient, path: Path) -> Counter[str]:
    """What the exchange does with a file: chunk by chunk through `items_receive`, rows of
    products the portal does not have left out. Returns the rows sent per resource."""
    load()
    sent: Counter[str] = Counter()
    for number, parsed in enumerate(read_document(path)):
        chunk, _ = drop_unknown_products(parsed, lambda ids: ids_by_erp_id(Product, ids).keys())
        if not chunk.items:
            continue
        answer = items_receive(
            client=client,
            resource=RESOURCES[chunk.resource],
            items=chunk.items,
            options=chunk.options,
            idempotency_key=f"test:{path.name}:{number}",
        )
        assert answer.status == 200, (chunk.resource, answer.body)
        sent[chunk.resource] += len(chunk.items)
    return sent


def counts() -> dict[str, int]:
    return {
        "products": Product.objects.count(),
        "prices": BasePrice.objects.count(),
        "stock": Stock.objects.count(),
        "warehouses": Warehouse.objects.count(),
        "price_types": PriceType.objects.count(),
        "categories": Category.objects.count(),
    }


def imported(model: Any, erp_ids: Iterable[str]) -> int:
    return int(model.objects.filter(erp_id__in=list(erp_ids)).count())


@pytest.mark.django_db
def test_the_2_07_catalog_and_offers_import_and_a_dealer_sees_price_and_stock(
    world: World,
) -> None:
    client = erp_client_create(name="1С: обмен с сайтом").client
    before = counts()
    legal_entities = LegalEntity.objects.count()

    sent_catalog = import_file(client, IMPORT)
    sent_offers = import_file(client, OFFERS)

    # 8 offers are goods the import file did not send: their rows are left out.
    assert sent_catalog == Counter(categories=1, products=36)
    assert sent_offers == Counter({"price-types": 1, "warehouses": 3, "prices": 36, "stock": 108})
    after = counts()
    assert {name: after[name] - before[name] for name in after} == {
        "products": 36,
        "prices": 36,
        "stock": 108,
        "warehouses": 3,
        "price_types": 1,
        "categories": 1,
    }
    # The owner's ИНН/КПП are invalid in both files; the owner is not imported at all.
    assert LegalEntity.objects.count() == legal_entities
    mat = Product.objects.get(erp_id=MAT_ID)
    assert (mat.code, mat.unit, mat.category and mat.category.name) == (
        "PM-421-WP",
        "шт",
        "Коврики для дома",
    )
    assert Product.objects.filter(code="PM-421-WP").count() == 1
    # The one product with Статус="Удален" is archived.
    assert list(
        Product.objects.filter(erp_id__isnull=False, is_active=False).values_list("code", flat=True)
    ) == ["KM-245-BC"]
    assert BasePrice.objects.get(product=mat, price_type__erp_id=BASE_PRICE_TYPE).amount == 100

    price_type = PriceType.objects.get(erp_id=BASE_PRICE_TYPE)
    world.dealer_a.price_type = price_type
    world.dealer_a.save(update_fields=["price_type"])
    world.a_main.price_type = price_type
    world.a_main.save(update_fields=["price_type"])
    response = world.client_for(Persona.SUPERUSER).get(f"/catalog/products/{mat.id}/")

    assert response.status_code == 200
    purchase = response.context["purchase"]
    assert purchase.price is not None
    assert (purchase.price.base, purchase.price.net) == (Decimal(100), Decimal(100))
    levels = {level.warehouse_id: level.quantity for level in purchase.availability.stock}
    warehouses = dict(Warehouse.objects.values_list("erp_id", "id"))
    assert levels[warehouses[VLADIVOSTOK]] == 1
    assert levels[warehouses[MOSCOW]] == 376  # the imported Москва, not the world's
    # A full snapshot of the stock: the world's stock of other goods is set to zero.
    assert not Stock.objects.filter(product=world.breaker, quantity__gt=0).exists()
    assert purchase.availability.total == 377
    page = response.content.decode()
    assert "PM-421-WP" in page
    assert "Владивосток" in page


@pytest.mark.django_db
def test_a_repeated_import_replays_and_writes_nothing(world: World) -> None:
    client = erp_client_create(name="1С: обмен с сайтом").client
    import_file(client, IMPORT)
    import_file(client, OFFERS)
    before = counts()
    load()

    chunk = next(chunk for chunk in read_document(IMPORT) if chunk.resource == "products")
    answer = items_receive(
        client=client,
        resource=RESOURCES["products"],
        items=chunk.items,
        options=chunk.options,
        idempotency_key=f"test:{IMPORT.name}:1",
    )

    assert answer.status == 200
    assert answer.replayed
    assert counts() == before


@pytest.mark.django_db
def test_the_3_1_classifier_and_rests_import(world: World) -> None:
    client = erp_client_create(name="1С: обмен с сайтом").client
    load()
    rest_products = sorted(
        {row["product_id"] for chunk in read_document(RESTS) for row in chunk.items}
    )
    before = counts()

    assert import_file(client, CLASSIFIER) == Counter(
        {"categories": 2, "price-types": 7, "warehouses": 14}
    )
    # The rests name no goods the portal has yet: nothing to store, nothing rejected.
    assert import_file(client, RESTS) == Counter()

    # Once the goods came (a goods file of the same exchange), the rests land.
    answer = items_receive(
        client=client,
        resource=RESOURCES["products"],
        items=[
            {"id": erp_id, "code": f"UT-{number}", "name": f"Товар {number}"}
            for number, erp_id in enumerate(rest_products)
        ],
        idempotency_key="test:goods",
    )
    assert answer.status == 200, answer.body
    assert import_file(client, RESTS) == Counter(stock=154)

    after = counts()
    assert {name: after[name] - before[name] for name in after} == {
        "products": 11,
        "prices": 0,
        "stock": 154,
        "warehouses": 14,
        "price_types": 7,
        "categories": 2,
    }
    assert imported(PriceType, ["95038271-710e-11d9-ac6c-0080482454f7"]) == 1
    retail = PriceType.objects.get(erp_id="95038271-710e-11d9-ac6c-0080482454f7")
    assert (retail.name, retail.currency) == ("Розничная", "UAH")
    assert Stock.objects.filter(product__erp_id__in=rest_products, quantity__gt=0).count() == 5
    main_warehouse = Warehouse.objects.get(erp_id="4727effb-7118-11d9-ac6c-0080482454f7")
    assert sum(
        Stock.objects.filter(warehouse=main_warehouse).values_list("quantity", flat=True)
    ) == Decimal(19 + 4 + 20 + 48)
