"""Issue 6, done when: an ERP client created with `erp_client_create` loads a catalog, prices,
stock, a dealer with two legal entities and discounts; the dealer sees the prices; the ERP
pulls the order the dealer placed, acknowledges it and does not get it again."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import World
from dealerdesk.accounts.tests.factories import MembershipFactory, UserFactory
from dealerdesk.catalog.models import Product, Warehouse
from dealerdesk.companies.models import LegalEntity
from dealerdesk.orders.models import DeliveryMethod, Order

HTMX = {"HX-Request": "true"}


def created_key() -> str:
    out = io.StringIO()
    call_command("erp_client_create", "1C:УТ 11 — центральный офис", stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    assert last.startswith("KEY ")
    return last.removeprefix("KEY ")


def push(erp: Client, path: str, batch: dict[str, Any], key: str) -> dict[str, Any]:
    response = erp.post(
        f"/api/erp/v1/{path}",
        json.dumps(batch, ensure_ascii=False),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )
    assert response.status_code == 200, response.content
    answer: dict[str, Any] = response.json()
    return answer


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_an_erp_loads_a_dealer_who_orders_and_the_erp_pulls_the_order_once(
    world: World,  # the supplier's settings, statuses and delivery methods
) -> None:
    erp = Client(headers={"Authorization": f"Bearer {created_key()}"})

    # The first full load, in the order the guide gives.
    push(erp, "price-types", {"items": [{"id": "PT-DEALER", "name": "Дилерская"}]}, "load-1")
    push(erp, "warehouses", {"items": [{"id": "WH-EKB", "name": "Екатеринбург"}]}, "load-2")
    push(
        erp,
        "categories",
        {
            "items": [
                {"id": "C-LIGHT", "name": "Светотехника"},
                {"id": "C-LED", "name": "Светодиодные панели", "parent_id": "C-LIGHT"},
            ]
        },
        "load-3",
    )
    push(
        erp,
        "products",
        {
            "items": [
                {
                    "id": "P-LED-36",
                    "code": "LDSP0-36-4000",
                    "name": "Панель светодиодная ДВО 6560 36Вт 4000К IEK",
                    "category_id": "C-LED",
                },
                {
                    "id": "P-LED-40",
                    "code": "LDSP0-40-6500",
                    "name": "Панель светодиодная ДВО 6565 40Вт 6500К IEK",
                    "category_id": "C-LED",
                },
            ]
        },
        "load-4",
    )
    answer = push(
        erp,
        "prices",
        {
            "full_snapshot": True,
            "items": [
                {"product_id": "P-LED-36", "price_type_id": "PT-DEALER", "amount": "1250.00"},
                {"product_id": "P-LED-40", "price_type_id": "PT-DEALER", "amount": "1390.00"},
            ],
        },
        "load-5",
    )
    assert answer["created"] == 2
    push(
        erp,
        "stock",
        {"items": [{"product_id": "P-LED-36", "warehouse_id": "WH-EKB", "quantity": "340"}]},
        "load-6",
    )
    push(
        erp,
        "dealers",
        {"items": [{"id": "D-URAL", "name": "УралЭлектроКомплект", "price_type_id": "PT-DEALER"}]},
        "load-7",
    )
    push(
        erp,
        "legal-entities",
        {
            "items": [
                {
                    "id": "LE-URAL-MAIN",
                    "dealer_id": "D-URAL",
                    "name": 'ООО "УралЭлектроКомплект"',
                    "inn": "7707083893",
                    "kpp": "667001001",
                    "legal_address": "620014, г. Екатеринбург, ул. Малышева, 51",
                    "is_main": True,
                },
                {
                    "id": "LE-URAL-PERM",
                    "dealer_id": "D-URAL",
                    "name": 'ООО "УЭК-Пермь"',
                    "inn": "5902292103",
                    "kpp": "590201001",
                    "legal_address": "614000, г. Пермь, ул. Ленина, 10",
                    "is_main": False,
                },
            ]
        },
        "load-8",
    )
    push(
        erp,
        "discounts",
        {"items": [{"dealer_id": "D-URAL", "category_id": "C-LIGHT", "percent": "20.00"}]},
        "load-9",
    )

    # The supplier gives the dealer's buyer a login; the buyer sees the discounted price.
    main = LegalEntity.objects.get(erp_id="LE-URAL-MAIN")
    assert LegalEntity.objects.filter(dealer=main.dealer).count() == 2
    buyer = UserFactory(email="zakupki@uek.example", dealer=main.dealer)
    MembershipFactory(user=buyer, legal_entity=main)
    dealer = Client()
    dealer.force_login(buyer)
    product = Product.objects.get(erp_id="P-LED-36")
    page = dealer.get(f"/catalog/products/{product.id}/").content.decode()
    net = re.search(r'data-testid="net-price">([^<]*)<', page)
    assert net is not None
    assert digits(net.group(1)) == "100000"  # 1 250,00 less 20 % = 1 000,00

    # The buyer orders 4 panels and places the order.
    added = dealer.post(
        reverse("orders:cart_add"), {"product": product.id, "quantity": "4"}, headers=HTMX
    )
    assert added.status_code == 200
    cart = dealer.get(reverse("orders:cart")).content.decode()
    placed = dealer.post(
        reverse("orders:checkout"),
        {
            "submission_key": cart.split('name="submission_key" value="')[1].split('"')[0],
            "cart_version": cart.split('id="cart-version" value="')[1].split('"')[0],
            "delivery_method": DeliveryMethod.objects.get(code="pickup").id,
            "pickup_warehouse": Warehouse.objects.get(erp_id="WH-EKB").id,
        },
    )
    assert placed.status_code == 302
    order = Order.objects.get(legal_entity=main)

    # The ERP pulls the order with its lines and totals, acknowledges it, and is done.
    page_one = erp.get("/api/erp/v1/events").json()
    placed_events = [e for e in page_one["events"] if e["kind"] == "order.placed"]
    assert len(placed_events) == 1
    document = placed_events[0]["payload"]
    assert document["number"] == order.number
    assert document["legal_entity"]["erp_id"] == "LE-URAL-MAIN"
    assert [line["product_erp_id"] for line in document["lines"]] == ["P-LED-36"]
    assert [Decimal(str(line["quantity"])) for line in document["lines"]] == [Decimal(4)]
    assert Decimal(str(document["lines"][0]["price"])) == Decimal("1000.00")
    assert Decimal(str(document["amount_with_vat"])) == order.amount_with_vat == Decimal("4000.00")

    again = erp.get("/api/erp/v1/events").json()
    assert [e["id"] for e in again["events"]] == [e["id"] for e in page_one["events"]]
    acked = erp.post(
        "/api/erp/v1/events/ack",
        {"cursor": page_one["next_cursor"]},
        content_type="application/json",
    )
    assert acked.json() == {"acknowledged": page_one["next_cursor"], "pending": 0}
    assert erp.get("/api/erp/v1/events").json()["events"] == []
