"""The catalog resources of the ERP API: warehouses, categories, products with documentation,
stock and incoming supplies, pushed through HTTP and checked in the database and in what
dealers find."""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from conftest import Persona, World
from dealerdesk.catalog.models import (
    Brand,
    Category,
    IncomingSupply,
    Product,
    Stock,
    Warehouse,
)
from dealerdesk.catalog.search import search_product_ids
from dealerdesk.catalog.tests.factories import BrandFactory, ProductFactory
from dealerdesk.erp.registry import RESOURCES
from dealerdesk.erp.resources import catalog
from dealerdesk.erp.tests.pushing import answered_and_stored, fresh_key, push, row_counts

pytestmark = pytest.mark.django_db


def error_codes(response: HttpResponse) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {error["path"]: error["code"] for error in response.json()["errors"]}


def accepted(response: HttpResponse) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def erp_world(world: World) -> World:
    """The world with the ERP ids the ERP knows its catalog by."""
    for instance, erp_id in [
        (world.modular, "CAT-MOD"),
        (world.breakers, "CAT-BR"),
        (world.breakers_series, "CAT-VA47"),
        (world.cable, "CAT-CABLE"),
        (world.breaker, "P-BREAKER"),
        (world.cable_product, "P-CABLE"),
        (world.warehouse_msk, "WH-MSK"),
        (world.warehouse_spb, "WH-SPB"),
    ]:
        instance.erp_id = erp_id
        instance.save(update_fields=["erp_id"])
    return world


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


# --- Warehouses -----------------------------------------------------------------------------


def test_warehouses_are_created_then_updated_by_erp_id(erp_world: World) -> None:
    result = accepted(
        push(
            erp_world,
            "warehouses",
            {
                "items": [
                    {"id": "WH-MSK", "name": "Москва (Подольск)", "sort_order": 5},
                    {"id": "WH-EKB", "name": "Екатеринбург", "address": "ул. Фронтовых бригад"},
                ]
            },
        )
    )
    assert (result["created"], result["updated"]) == (1, 1)
    erp_world.warehouse_msk.refresh_from_db()
    assert (erp_world.warehouse_msk.name, erp_world.warehouse_msk.sort_order) == (
        "Москва (Подольск)",
        5,
    )
    assert Warehouse.objects.get(erp_id="WH-EKB").address == "ул. Фронтовых бригад"


# --- Categories -----------------------------------------------------------------------------


def test_categories_link_parents_sent_later_in_the_batch_and_get_paths(world: World) -> None:
    result = accepted(
        push(
            world,
            "categories",
            {
                "items": [
                    {"id": "CAT-3", "name": "ВА47-63", "parent_id": "CAT-2", "sort_order": 3},
                    {"id": "CAT-2", "name": "Автоматы", "parent_id": "CAT-1"},
                    {"id": "CAT-1", "name": "Щитовое оборудование", "is_active": False},
                ]
            },
        )
    )
    assert (result["created"], result["updated"]) == (3, 0)
    root, middle, leaf = (Category.objects.get(erp_id=f"CAT-{n}") for n in (1, 2, 3))
    assert (root.parent_id, middle.parent_id, leaf.parent_id) == (None, root.id, middle.id)
    assert (root.path, root.depth) == (f"/{root.id}/", 0)
    assert (leaf.path, leaf.depth) == (f"/{root.id}/{middle.id}/{leaf.id}/", 2)
    assert (leaf.name, leaf.sort_order, root.is_active) == ("ВА47-63", 3, False)


def test_moving_a_stored_category_moves_its_subtree(erp_world: World) -> None:
    result = accepted(
        push(
            erp_world,
            "categories",
            {"items": [{"id": "CAT-BR", "name": "Автоматы", "parent_id": "CAT-CABLE"}]},
        )
    )
    assert (result["created"], result["updated"]) == (0, 1)
    cable, breakers, series = erp_world.cable, erp_world.breakers, erp_world.breakers_series
    for category in (breakers, series):
        category.refresh_from_db()
    assert breakers.parent_id == cable.id
    assert (breakers.path, breakers.depth) == (f"/{cable.id}/{breakers.id}/", 1)
    assert (series.path, series.depth) == (f"/{cable.id}/{breakers.id}/{series.id}/", 2)
    assert breakers.name == "Автоматы"


def test_a_cycle_within_the_batch_is_refused(world: World) -> None:
    before = row_counts()
    response = push(
        world,
        "categories",
        {
            "items": [
                {"id": "CAT-ROOT", "name": "Корень"},
                {"id": "CAT-A", "name": "А", "parent_id": "CAT-B"},
                {"id": "CAT-B", "name": "Б", "parent_id": "CAT-A"},
                {"id": "CAT-C", "name": "В", "parent_id": "CAT-C"},
            ]
        },
    )
    assert error_codes(response) == {
        "items[1].parent_id": "cycle",
        "items[2].parent_id": "cycle",
        "items[3].parent_id": "cycle",
    }
    after = row_counts()
    assert after.pop("erp.ErpBatch") == before.pop("erp.ErpBatch") + 1  # the journal entry
    assert after == before


def test_moving_a_category_under_its_own_descendant_is_refused(erp_world: World) -> None:
    response = push(
        erp_world,
        "categories",
        {"items": [{"id": "CAT-MOD", "name": "Модульное", "parent_id": "CAT-VA47"}]},
    )
    assert error_codes(response) == {"items[0].parent_id": "cycle"}
    erp_world.modular.refresh_from_db()
    assert (erp_world.modular.parent_id, erp_world.modular.name) == (None, "Модульное оборудование")


def test_categories_refuse_unknown_parents_duplicates_and_missing_names(world: World) -> None:
    response = push(
        world,
        "categories",
        {
            "items": [
                {"id": "CAT-1", "name": "Кабель", "parent_id": "CAT-NOWHERE"},
                {"id": "CAT-2"},
            ]
        },
    )
    assert error_codes(response) == {"items[1].name": "required"}
    response = push(
        world,
        "categories",
        {"items": [{"id": "CAT-1", "name": "Кабель", "parent_id": "CAT-NOWHERE"}]},
    )
    assert error_codes(response) == {"items[0].parent_id": "unknown_reference"}
    response = push(
        world,
        "categories",
        {"items": [{"id": "CAT-1", "name": "Кабель"}, {"id": "CAT-1", "name": "Провод"}]},
    )
    assert error_codes(response) == {"items[1].id": "duplicate"}
    assert not Category.objects.filter(erp_id="CAT-1").exists()


# --- Products -------------------------------------------------------------------------------


def product_item(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "P-KM63",
        "code": "KM63-2NO-230",
        "name": "Контактор модульный КМ63 2НО 230В",
        "category_id": "CAT-MOD",
        "brand": "EKF",
        "unit": "шт",
        "pack_multiplicity": "2",
        "vat_rate": "22.00",
        "attributes": [
            {"name": "Номинальный ток, А", "value": "63"},
            {"name": "Число контактов", "value": "2НО"},
        ],
        "description": "Контактор для управления освещением.",
    }
    item.update(changes)
    return item


def document_item(erp_id: str, content: bytes, **changes: Any) -> dict[str, Any]:
    return {
        "id": erp_id,
        "kind": "datasheet",
        "title": "Паспорт КМ63",
        "file_name": "km63.pdf",
        "content_base64": b64(content),
        **changes,
    }


def test_product_is_created_with_brand_attributes_and_documents(erp_world: World) -> None:
    content = b"%PDF-1.4 km63 datasheet"
    item = product_item(documents=[document_item("DOC-1", content)])
    result = accepted(push(erp_world, "products", {"items": [item]}))
    assert (result["created"], result["updated"]) == (1, 0)
    product = Product.objects.select_related("brand").get(erp_id="P-KM63")
    assert (product.code, product.name, product.unit) == (
        "KM63-2NO-230",
        "Контактор модульный КМ63 2НО 230В",
        "шт",
    )
    assert product.category_id == erp_world.modular.id
    assert product.brand is not None
    assert product.brand.name == "EKF"
    assert (product.pack_multiplicity, product.vat_rate) == (Decimal(2), Decimal(22))
    assert product.attribute_pairs == [("Номинальный ток, А", "63"), ("Число контактов", "2НО")]
    assert product.code_key == "km63-2no-230"
    assert product.search_text == "km632no230 контактор модульный км63 2но 230в"
    document = product.documents.get()
    assert (document.erp_id, document.kind, document.file_name) == (
        "DOC-1",
        "datasheet",
        "km63.pdf",
    )
    assert (document.content_type, document.file_size) == ("application/pdf", len(content))
    with document.file.open("rb") as handle:
        assert handle.read() == content


def test_pushed_product_is_found_by_the_dealers_catalog_search(erp_world: World) -> None:
    accepted(push(erp_world, "products", {"items": [product_item()]}))
    product = Product.objects.get(erp_id="P-KM63")
    assert search_product_ids("контактор км63") == [product.id]
    client = erp_world.client_for(Persona.SUPERUSER)
    suggestions = client.get(reverse("catalog:search_suggestions"), {"q": "km63-2no"})
    link = reverse("catalog:product_detail", args=[product.id])
    assert f'href="{link}"' in suggestions.content.decode()
    page = client.get(reverse("catalog:product_list"), {"q": "модульный контактор"})
    assert f'href="{link}"' in page.content.decode()

    # Renamed by the ERP: found by the new name, not by the old one any more.
    accepted(push(erp_world, "products", {"items": [product_item(name="Реле импульсное РИ-32")]}))
    assert search_product_ids("импульсное") == [product.id]
    assert search_product_ids("контактор") == []


def test_product_update_replaces_fields_and_matches_brands_without_case(erp_world: World) -> None:
    iek = BrandFactory(name="IEK")
    brands = Brand.objects.count()
    result = accepted(
        push(
            erp_world,
            "products",
            {
                "items": [
                    {
                        "id": "P-BREAKER",
                        "code": "MVA20-3-020-C",
                        "name": "Автомат ВА47-29 3P 20А",
                        "brand": "iek",
                        "is_active": False,
                    }
                ]
            },
        )
    )
    assert (result["created"], result["updated"]) == (0, 1)
    breaker = erp_world.breaker
    breaker.refresh_from_db()
    assert (breaker.code, breaker.code_key, breaker.brand_id) == (
        "MVA20-3-020-C",
        "mva20-3-020-c",
        iek.id,
    )
    assert (breaker.category_id, breaker.attributes, breaker.is_active) == (None, [], False)
    assert Brand.objects.count() == brands
    # The document attached by a manager (no ERP id) stays: `documents` was not sent.
    assert list(breaker.documents.all()) == [erp_world.document]


def test_documents_sent_again_are_kept_replaced_or_removed(
    erp_world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    first = [document_item("DOC-1", b"one"), document_item("DOC-2", b"two", kind="certificate")]
    accepted(push(erp_world, "products", {"items": [product_item(documents=first)]}))
    product = Product.objects.get(erp_id="P-KM63")
    kept = product.documents.get(erp_id="DOC-1")
    dropped = product.documents.get(erp_id="DOC-2")
    storage = dropped.file.storage

    accepted(push(erp_world, "products", {"items": [product_item()]}))
    assert set(product.documents.values_list("erp_id", flat=True)) == {"DOC-1", "DOC-2"}

    second = [
        document_item("DOC-1", b"one", title="Паспорт КМ63, ред. 2"),
        document_item("DOC-3", b"three", kind="manual", file_name="C:\\Docs\\km63-manual.pdf"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        accepted(push(erp_world, "products", {"items": [product_item(documents=second)]}))
    documents = {document.erp_id: document for document in product.documents.all()}
    assert set(documents) == {"DOC-1", "DOC-3"}
    assert documents["DOC-1"].pk == kept.pk  # the same file is not written again
    assert documents["DOC-1"].title == "Паспорт КМ63, ред. 2"
    assert (documents["DOC-3"].kind, documents["DOC-3"].file_name) == ("manual", "km63-manual.pdf")
    assert not storage.exists(dropped.file.name)
    assert storage.exists(kept.file.name)


def test_bad_documents_are_item_errors_and_nothing_is_written(
    erp_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog, "MAX_DOCUMENT_BYTES", 10)
    before = row_counts()
    documents = [
        document_item("DOC-1", b"ok"),
        {**document_item("DOC-2", b""), "content_base64": "это не base64!"},
        document_item("DOC-3", b"more than ten bytes"),
        document_item("DOC-4", b"x", kind="brochure"),
        document_item("DOC-5", b"x", file_name=".."),
        document_item("DOC-1", b"again"),
    ]
    response = push(erp_world, "products", {"items": [product_item(documents=documents)]})
    assert error_codes(response) == {"items[0].documents[3].kind": "not_allowed"}
    documents.pop(3)
    response = push(erp_world, "products", {"items": [product_item(documents=documents)]})
    assert error_codes(response) == {
        "items[0].documents[1].content_base64": "invalid_base64",
        "items[0].documents[2].content_base64": "too_large",
        "items[0].documents[3].file_name": "invalid",
        "items[0].documents[4].id": "duplicate",
    }
    after = row_counts()
    assert after.pop("erp.ErpBatch") == before.pop("erp.ErpBatch") + 2
    assert after == before


def test_products_refuse_unknown_categories_bad_numbers_and_missing_codes(
    erp_world: World,
) -> None:
    before = row_counts()
    response = push(
        erp_world,
        "products",
        {
            "items": [
                product_item(id="P-1", pack_multiplicity="-1"),
                product_item(id="P-2", code=None),
                product_item(id="P-3", vat_rate="120"),
            ]
        },
    )
    assert error_codes(response) == {
        "items[0].pack_multiplicity": "too_small",
        "items[1].code": "not_a_string",
        "items[2].vat_rate": "too_big",
    }
    item = product_item(id="P-4")
    del item["code"]
    response = push(
        erp_world,
        "products",
        {"items": [product_item(id="P-5"), product_item(id="P-6", category_id="CAT-X"), item]},
    )
    assert error_codes(response) == {"items[2].code": "required"}
    response = push(
        erp_world,
        "products",
        {"items": [product_item(id="P-5"), product_item(id="P-6", category_id="CAT-X")]},
    )
    assert error_codes(response) == {"items[1].category_id": "unknown_reference"}
    after = row_counts()
    assert after.pop("erp.ErpBatch") == before.pop("erp.ErpBatch") + 3
    assert after == before


def test_an_older_product_version_is_skipped(erp_world: World) -> None:
    accepted(push(erp_world, "products", {"items": [product_item(version=5)]}))
    result = accepted(
        push(erp_world, "products", {"items": [product_item(version=4, name="Старое имя")]})
    )
    assert (result["updated"], [skip["id"] for skip in result["skipped"]]) == (0, ["P-KM63"])
    assert Product.objects.get(erp_id="P-KM63").name == "Контактор модульный КМ63 2НО 230В"


# --- Stock ----------------------------------------------------------------------------------


def stock_of(product: Product) -> dict[str, Decimal]:
    return {
        row.warehouse.erp_id or "": row.quantity
        for row in Stock.objects.filter(product=product).select_related("warehouse")
    }


def test_stock_rows_are_upserted_with_honest_counts(erp_world: World) -> None:
    started = timezone.now()
    result = accepted(
        push(
            erp_world,
            "stock",
            {
                "items": [
                    {"product_id": "P-BREAKER", "warehouse_id": "WH-MSK", "quantity": "7.5"},
                    {"product_id": "P-CABLE", "warehouse_id": "WH-MSK", "quantity": "1200"},
                    {"product_id": "P-CABLE", "warehouse_id": "WH-SPB", "quantity": "0"},
                ]
            },
        )
    )
    assert (result["created"], result["updated"], result["deleted"]) == (2, 1, 0)
    assert stock_of(erp_world.breaker) == {"WH-MSK": Decimal("7.5"), "WH-SPB": Decimal(35)}
    assert stock_of(erp_world.cable_product) == {"WH-MSK": Decimal(1200), "WH-SPB": Decimal(0)}
    msk = Stock.objects.get(product=erp_world.breaker, warehouse=erp_world.warehouse_msk)
    spb = Stock.objects.get(product=erp_world.breaker, warehouse=erp_world.warehouse_spb)
    assert msk.updated_at >= started > spb.updated_at


def test_stock_full_snapshot_sets_rows_not_sent_to_zero(erp_world: World) -> None:
    result = accepted(
        push(
            erp_world,
            "stock",
            {
                "full_snapshot": True,
                "items": [{"product_id": "P-CABLE", "warehouse_id": "WH-SPB", "quantity": "40"}],
            },
        )
    )
    assert (result["created"], result["updated"], result["deleted"]) == (1, 0, 2)
    assert stock_of(erp_world.breaker) == {"WH-MSK": Decimal(0), "WH-SPB": Decimal(0)}
    assert stock_of(erp_world.cable_product) == {"WH-SPB": Decimal(40)}


def test_stock_refuses_unknown_references_duplicates_and_negative_quantities(
    erp_world: World,
) -> None:
    before = row_counts()
    stored = stock_of(erp_world.breaker)
    rows = [
        {"product_id": "P-BREAKER", "warehouse_id": "WH-MSK", "quantity": "1"},
        {"product_id": "P-NOWHERE", "warehouse_id": "WH-MSK", "quantity": "1"},
        {"product_id": "P-CABLE", "warehouse_id": "WH-NOWHERE", "quantity": "1"},
        {"product_id": "P-BREAKER", "warehouse_id": "WH-MSK", "quantity": "2"},
    ]
    response = push(erp_world, "stock", {"items": rows})
    assert error_codes(response) == {
        "items[1].product_id": "unknown_reference",
        "items[2].warehouse_id": "unknown_reference",
        "items[3]": "duplicate",
    }
    response = push(
        erp_world,
        "stock",
        {
            "items": [
                {"product_id": "P-BREAKER", "warehouse_id": "WH-MSK", "quantity": "-1"},
                {"product_id": "P-CABLE", "warehouse_id": "WH-MSK"},
                {"product_id": "P-CABLE", "warehouse_id": "WH-SPB", "quantity": 1, "id": "x"},
            ]
        },
    )
    assert error_codes(response) == {
        "items[0].quantity": "negative",
        "items[1].quantity": "required",
        "items[2].id": "unknown_field",
    }
    assert stock_of(erp_world.breaker) == stored
    after = row_counts()
    assert after.pop("erp.ErpBatch") == before.pop("erp.ErpBatch") + 2
    assert after == before


def test_a_replayed_stock_batch_writes_nothing(erp_world: World) -> None:
    batch = {"items": [{"product_id": "P-BREAKER", "warehouse_id": "WH-MSK", "quantity": "9"}]}
    key = fresh_key()
    first = accepted(push(erp_world, "stock", batch, key=key))
    Stock.objects.filter(product=erp_world.breaker).update(quantity=Decimal(77))
    before = row_counts()
    assert accepted(push(erp_world, "stock", batch, key=key)) == first
    assert row_counts() == before
    assert stock_of(erp_world.breaker) == {"WH-MSK": Decimal(77), "WH-SPB": Decimal(77)}


def test_stock_arrives_as_xml_too(erp_world: World) -> None:
    body = (
        "<batch><full_snapshot>false</full_snapshot><items>"
        "<item><product_id>P-CABLE</product_id><warehouse_id>WH-SPB</warehouse_id>"
        "<quantity>12.250</quantity></item>"
        "</items></batch>"
    )
    accepted(push(erp_world, "stock", body, content_type="application/xml"))
    assert stock_of(erp_world.cable_product) == {"WH-SPB": Decimal("12.25")}


@pytest.mark.parametrize(
    ("rows", "unknown"),
    [
        # No pair is repeated, so the rows are written before the unknown one is found: the
        # batch's transaction must take all of them back.
        (
            [("P-BREAKER", "WH-MSK"), ("P-NOWHERE", "WH-MSK"), ("P-CABLE", "WH-SPB")],
            {"items[1].product_id": "unknown_reference"},
        ),
        (
            [("P-BREAKER", "WH-MSK"), ("P-CABLE", "WH-NOWHERE")],
            {"items[1].warehouse_id": "unknown_reference"},
        ),
        (
            [("P-NOWHERE", "WH-NOWHERE")],
            {
                "items[0].product_id": "unknown_reference",
                "items[0].warehouse_id": "unknown_reference",
            },
        ),
    ],
    ids=["product", "warehouse", "both"],
)
def test_a_stock_batch_with_an_unknown_reference_and_no_duplicates_writes_nothing(
    erp_world: World, rows: list[tuple[str, str]], unknown: dict[str, str]
) -> None:
    before = row_counts()
    stored = {product.pk: stock_of(product) for product in Product.objects.all()}
    items = [
        {"product_id": product, "warehouse_id": warehouse, "quantity": "4321"}
        for product, warehouse in rows
    ]

    response = push(erp_world, "stock", {"items": items})

    assert error_codes(response) == unknown
    assert all("NOWHERE" in error["message"] for error in response.json()["errors"])
    assert {product.pk: stock_of(product) for product in Product.objects.all()} == stored
    after = row_counts()
    assert after.pop("erp.ErpBatch") == before.pop("erp.ErpBatch") + 1
    assert after == before


def _stock_body(*rows: tuple[Any, Any, Any], **options: Any) -> bytes:
    items = [
        {"product_id": product, "warehouse_id": warehouse, "quantity": quantity}
        for product, warehouse, quantity in rows
    ]
    return json.dumps({**options, "items": items}, ensure_ascii=False).encode()


STOCK_SHORTCUT_CASES = {
    # Read by the shortcut: strings and JSON integers, ids with COPY's delimiters.
    "plain": (_stock_body(("P-BREAKER", "WH-MSK", "7.125"), ("P-CABLE", "WH-SPB", 0)), True),
    "snapshot": (_stock_body(("P-CABLE", "WH-MSK", "99999999999.999"), full_snapshot=True), True),
    "copy-delimiters-in-ids": (
        _stock_body(("P\\TAB\t1", "WH-MSK", "12"), ("P\\TAB\t1", "WH-SPB", "13")),
        True,
    ),
    "unknown-and-duplicated": (
        _stock_body(
            ("P-BREAKER", "WH-MSK", "1"),
            ("P-NOWHERE", "WH-GHOST", "2"),
            ("P-BREAKER", "WH-MSK", "3"),
        ),
        True,
    ),
    # Left to the model, which accepts some and words the errors of the others.
    "too-many-whole-digits": (_stock_body(("P-BREAKER", "WH-MSK", "123456789012")), False),
    "too-many-decimals": (_stock_body(("P-BREAKER", "WH-MSK", "1.0001")), False),
    "large-integer": (_stock_body(("P-BREAKER", "WH-MSK", 10**11)), False),
    "negative": (_stock_body(("P-BREAKER", "WH-MSK", "-1")), False),
    "json-float": (_stock_body(("P-BREAKER", "WH-MSK", 1.5)), False),
    "leading-zero": (_stock_body(("P-BREAKER", "WH-MSK", "007")), False),
    "warehouse-with-blank": (_stock_body(("P-BREAKER", "WH-MSK ", "1")), False),
    "warehouse-a-number": (_stock_body(("P-BREAKER", 5, "1")), False),
    "extra-field": (
        b'{"items": [{"product_id": "P-BREAKER", "warehouse_id": "WH-MSK", "quantity": "1", '
        b'"price": "1"}]}',
        False,
    ),
    "snapshot-not-a-boolean": (_stock_body(("P-BREAKER", "WH-MSK", "1"), full_snapshot=1), False),
}


@pytest.mark.parametrize(
    ("body", "read_by_shortcut"), STOCK_SHORTCUT_CASES.values(), ids=STOCK_SHORTCUT_CASES
)
def test_a_stock_batch_is_answered_and_applied_alike_with_or_without_the_shortcut(
    erp_world: World, monkeypatch: pytest.MonkeyPatch, body: bytes, read_by_shortcut: bool
) -> None:
    ProductFactory(erp_id="P\\TAB\t1")
    resource = RESOURCES["stock"]
    read = resource.read_json and resource.read_json(body, resource.batch_model, 50_000)
    assert (read is not None) == read_by_shortcut

    def stock() -> set[Any]:
        return set(Stock.objects.values_list("product_id", "warehouse_id", "quantity"))

    with_shortcut = answered_and_stored(erp_world, "stock", body, stock)
    monkeypatch.setattr(resource, "read_json", None)
    without_shortcut = answered_and_stored(erp_world, "stock", body, stock)

    assert with_shortcut == without_shortcut
    assert with_shortcut[0] in (200, 422)  # an answer, never a failure


# --- Incoming supplies ----------------------------------------------------------------------


def supply(erp_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": erp_id,
        "product_id": "P-BREAKER",
        "warehouse_id": "WH-SPB",
        "expected_date": "2030-03-15",
        "quantity": "500",
        **changes,
    }


def test_incoming_supplies_are_upserted_and_a_snapshot_removes_the_rest(
    erp_world: World,
) -> None:
    result = accepted(
        push(erp_world, "incoming-supplies", {"items": [supply("ПТ-1"), supply("ПТ-2")]})
    )
    assert (result["created"], result["updated"], result["deleted"]) == (2, 0, 0)
    assert IncomingSupply.objects.count() == 3  # with the one the world holds

    result = accepted(
        push(
            erp_world,
            "incoming-supplies",
            {
                "full_snapshot": True,
                "items": [
                    supply(
                        "ПТ-1", product_id="P-CABLE", quantity="20.5", expected_date="2030-04-01"
                    )
                ],
            },
        )
    )
    assert (result["created"], result["updated"], result["deleted"]) == (0, 1, 2)
    only = IncomingSupply.objects.get()
    assert (only.erp_id, only.product_id, only.warehouse_id) == (
        "ПТ-1",
        erp_world.cable_product.id,
        erp_world.warehouse_spb.id,
    )
    assert (only.quantity, only.expected_date) == (Decimal("20.5"), datetime.date(2030, 4, 1))


def test_a_snapshot_keeps_supplies_skipped_as_stale(erp_world: World) -> None:
    accepted(push(erp_world, "incoming-supplies", {"items": [supply("ПТ-1", version=3)]}))
    result = accepted(
        push(
            erp_world,
            "incoming-supplies",
            {"full_snapshot": True, "items": [supply("ПТ-1", version=2, quantity="1")]},
        )
    )
    assert (result["updated"], result["deleted"], len(result["skipped"])) == (0, 1, 1)
    assert IncomingSupply.objects.get().quantity == Decimal(500)


def test_incoming_supplies_refuse_bad_items_and_write_nothing(erp_world: World) -> None:
    before = row_counts()
    response = push(
        erp_world,
        "incoming-supplies",
        {
            "items": [
                supply("ПТ-1", quantity="0"),
                supply("ПТ-2", expected_date="15.03.2030"),
                {key: value for key, value in supply("ПТ-3").items() if key != "warehouse_id"},
            ]
        },
    )
    assert error_codes(response) == {
        "items[0].quantity": "too_small",
        "items[1].expected_date": "not_a_date",
        "items[2].warehouse_id": "required",
    }
    response = push(
        erp_world,
        "incoming-supplies",
        {"items": [supply("ПТ-1"), supply("ПТ-2", product_id="P-X", warehouse_id="WH-X")]},
    )
    assert error_codes(response) == {
        "items[1].product_id": "unknown_reference",
        "items[1].warehouse_id": "unknown_reference",
    }
    after = row_counts()
    assert after.pop("erp.ErpBatch") == before.pop("erp.ErpBatch") + 2
    assert after == before


@pytest.mark.parametrize(
    "path", ["warehouses", "categories", "products", "stock", "incoming-supplies"]
)
def test_an_empty_batch_is_accepted(world: World, path: str) -> None:
    assert accepted(push(world, path, {"items": []}))["received"] == 0


def test_product_erp_ids_are_looked_up_in_an_index_that_carries_the_id() -> None:
    """Stock and price batches resolve up to a million product ERP ids: with the id in the
    index, PostgreSQL answers them without reading the product table (SQLite has no such
    indexes; its unique index on the ERP id serves)."""
    if connection.vendor != "postgresql":
        pytest.skip("covering indexes are a PostgreSQL feature")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_product_erp_id_with_id'"
        )
        row = cursor.fetchone()
    assert row is not None
    assert row[0].endswith("ON public.catalog_product USING btree (erp_id) INCLUDE (id)")
