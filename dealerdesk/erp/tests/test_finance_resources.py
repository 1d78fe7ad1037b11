"""The ERP pushes credit terms and settlement records; dealers see the balance they make."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.conf import LazySettings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation

from conftest import Persona, World
from dealerdesk.core.formatting import format_money
from dealerdesk.erp.models import ErpBatch
from dealerdesk.finance.models import CreditTerms, PaymentAllocation, SettlementRecord
from dealerdesk.orders.models import Order
from dealerdesk.orders.tests.factories import order_create
from dealerdesk.shipments.tests.factories import shipment_for

_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def _english(settings: LazySettings) -> None:
    settings.LANGUAGE_CODE = "en"


def push(world: World, path: str, body: dict[str, Any], key: str = "") -> HttpResponse:
    response: HttpResponse = world.client_for(Persona.ERP_CLIENT).post(
        f"/api/erp/v1/{path}",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": key or f"finance-test-{next(_keys)}"},
    )
    return response


def error_paths(response: HttpResponse) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {error["path"]: error["message"] for error in response.json()["errors"]}


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def shipment(erp_id: str, legal_entity_id: str, amount: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": erp_id,
        "legal_entity_id": legal_entity_id,
        "kind": "shipment",
        "date": days_ago(3).isoformat(),
        "number": f"РН-{erp_id}",
        "debit": amount,
        **fields,
    }


def payment(erp_id: str, legal_entity_id: str, amount: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": erp_id,
        "legal_entity_id": legal_entity_id,
        "kind": "payment",
        "date": days_ago(1).isoformat(),
        "number": f"ПП-{erp_id}",
        "credit": amount,
        **fields,
    }


@pytest.fixture
def entity_ids(world: World) -> tuple[str, str]:
    """Dealer A's main entity and dealer B's, known to the ERP."""
    world.a_main.erp_id = "LE-A"
    world.a_main.save()
    world.b_main.erp_id = "LE-B"
    world.b_main.save()
    return "LE-A", "LE-B"


# --- a whole load, as the dealer sees it ----------------------------------------------------


def test_a_full_load_shows_on_the_dealers_receivables_page(world: World) -> None:
    dealer = world.dealer_a.erp_id or ""
    assert push(world, "dealers", {"items": [{"id": dealer, "name": "ЭМЦ"}]}).status_code == 200
    entities = push(
        world,
        "legal-entities",
        {
            "items": [
                {
                    "id": "LE-A",
                    "dealer_id": dealer,
                    "name": world.a_main.name,
                    "inn": world.a_main.inn,
                    "kpp": world.a_main.kpp,
                    "legal_address": world.a_main.legal_address,
                    "is_main": True,
                }
            ]
        },
    )
    assert entities.status_code == 200, entities.content
    terms = push(
        world,
        "credit-terms",
        {"items": [{"id": "LE-A", "credit_limit": "500000.00", "payment_days": 30}]},
    )
    assert terms.status_code == 200, terms.content

    records = push(
        world,
        "settlement-records",
        {
            "items": [
                shipment("S-OLD", "LE-A", "100000.00", date=days_ago(40).isoformat()),
                shipment("S-NEW", "LE-A", "20000.50"),
                payment(
                    "P-1",
                    "LE-A",
                    "50000.00",
                    allocations=[{"debit_id": "S-OLD", "amount": "50000"}],
                ),
            ]
        },
    )

    assert records.status_code == 200, records.content
    assert records.json()["created"] == 3
    old = SettlementRecord.objects.get(erp_id="S-OLD")
    assert old.legal_entity == world.a_main
    assert old.dealer == world.dealer_a
    assert old.due_date == days_ago(10)
    allocation = PaymentAllocation.objects.get()
    assert (allocation.credit_record.erp_id, allocation.debit_record, allocation.amount) == (
        "P-1",
        old,
        Decimal("50000.00"),
    )
    page = world.client_for(Persona.SUPERUSER).get(reverse("finance:receivables"))
    assert page.status_code == 200
    html = page.content.decode()
    with translation.override("en"):
        balance = format_money(Decimal("70000.50"))
        overdue = format_money(Decimal("50000.00"))
        limit = format_money(Decimal("500000.00"))
    assert f'data-testid="finance-balance">{balance}<' in html
    assert f'data-testid="finance-overdue">{overdue}<' in html
    assert limit in html


# --- credit terms ---------------------------------------------------------------------------


def test_credit_terms_are_created_then_replaced(world: World, entity_ids: tuple[str, str]) -> None:
    a, b = entity_ids
    first = push(
        world,
        "credit-terms",
        {
            "items": [
                {"id": a, "credit_limit": "300000", "payment_days": 14, "contract": "№ 7/2025"},
                {"id": b, "credit_limit": "0", "payment_days": 0},
            ]
        },
    )
    assert first.json()["created"] == 2

    second = push(
        world,
        "credit-terms",
        {"items": [{"id": a, "credit_limit": "450000.00", "payment_days": 45}]},
    )

    assert second.status_code == 200
    assert (second.json()["created"], second.json()["updated"]) == (0, 1)
    terms = CreditTerms.objects.get(legal_entity=world.a_main)
    assert (terms.credit_limit, terms.payment_days, terms.contract) == (Decimal(450000), 45, "")
    assert CreditTerms.objects.get(legal_entity=world.b_main).payment_days == 0


def test_bad_credit_terms_are_refused_and_nothing_is_written(
    world: World, entity_ids: tuple[str, str]
) -> None:
    a, _b = entity_ids
    invalid = push(
        world,
        "credit-terms",
        {
            "items": [
                {"id": a, "credit_limit": "-1.00", "payment_days": 10},
                {"id": a, "credit_limit": "1.00"},
            ]
        },
    )
    assert set(error_paths(invalid)) == {"items[0].credit_limit", "items[1].payment_days"}
    assert "must not be negative" in error_paths(invalid)["items[0].credit_limit"]

    unknown = push(
        world,
        "credit-terms",
        {
            "items": [
                {"id": a, "credit_limit": "1000.00", "payment_days": 10},
                {"id": "LE-NONE", "credit_limit": "1000.00", "payment_days": 10},
            ]
        },
    )

    assert set(error_paths(unknown)) == {"items[1].id"}
    assert not CreditTerms.objects.exists()


# --- settlement records ---------------------------------------------------------------------


def test_records_find_orders_by_erp_id_or_number_and_shipments_by_erp_id(
    world: World, entity_ids: tuple[str, str]
) -> None:
    a, _b = entity_ids
    superuser = world.user(Persona.SUPERUSER)
    by_number = order_create(legal_entity=world.a_main, author=superuser, product=world.breaker)
    by_erp_id = order_create(legal_entity=world.a_main, author=superuser, product=world.breaker)
    Order.objects.filter(pk=by_erp_id.pk).update(erp_id="ORD-77")
    shipped_order = order_create(legal_entity=world.a_main, author=superuser, product=world.breaker)
    delivery = shipment_for(shipped_order)
    assert delivery.erp_id is not None

    response = push(
        world,
        "settlement-records",
        {
            "items": [
                shipment("S-1", a, "200.00", order_id=by_number.number, due_date="2099-01-01"),
                shipment("S-2", a, "200.00", order_id="ORD-77"),
                shipment("S-3", a, "200.00", shipment_id=delivery.erp_id),
            ]
        },
    )

    assert response.status_code == 200, response.content
    records = {record.erp_id: record for record in SettlementRecord.objects.all()}
    assert records["S-1"].order == by_number
    assert records["S-1"].due_date == datetime.date(2099, 1, 1)
    assert records["S-2"].order == by_erp_id
    assert records["S-3"].shipment == delivery
    assert records["S-3"].order == shipped_order
    # No credit terms: a debit is due on its date.
    assert records["S-2"].due_date == days_ago(3)


def test_a_record_is_replaced_by_its_erp_id(world: World, entity_ids: tuple[str, str]) -> None:
    a, _b = entity_ids
    assert (
        push(world, "settlement-records", {"items": [shipment("S-1", a, "100.00")]}).json()[
            "created"
        ]
        == 1
    )

    response = push(
        world,
        "settlement-records",
        {"items": [shipment("S-1", a, "150.00", description="Корректировка")]},
    )

    assert (response.json()["created"], response.json()["updated"]) == (0, 1)
    record = SettlementRecord.objects.get()
    assert (record.debit, record.description) == (Decimal("150.00"), "Корректировка")

    unchanged = push(
        world,
        "settlement-records",
        {"items": [shipment("S-1", a, "150.00", description="Корректировка")]},
    )
    assert (unchanged.json()["created"], unchanged.json()["updated"]) == (0, 0)
    assert SettlementRecord.objects.get().updated_at == record.updated_at


def test_one_bad_record_refuses_the_batch_with_every_error(
    world: World, entity_ids: tuple[str, str]
) -> None:
    a, b = entity_ids
    foreign_order = order_create(
        legal_entity=world.b_main, author=world.user(Persona.OTHER_DEALER), product=world.breaker
    )

    response = push(
        world,
        "settlement-records",
        {
            "items": [
                shipment("S-OK", a, "100.00"),
                shipment("S-BOTH", a, "100.00", credit="5.00"),
                shipment("S-NONE", a, "0"),
                shipment("S-LE", "LE-NONE", "100.00"),
                shipment("S-ORD", a, "100.00", order_id="ORD-NONE"),
                shipment("S-SHP", a, "100.00", shipment_id="SHP-NONE"),
                shipment("S-FOREIGN", a, "100.00", order_id=foreign_order.number),
                shipment("S-LATE", a, "100.00", due_date=days_ago(30).isoformat()),
                payment("P-1", a, "50.00", allocations=[{"debit_id": "S-NOWHERE", "amount": "5"}]),
                payment("P-2", a, "50.00", allocations=[{"debit_id": "S-OK", "amount": "60"}]),
                payment("P-3", a, "50.00", allocations=[{"debit_id": "S-B", "amount": "10"}]),
                shipment("S-B", b, "100.00"),
            ]
        },
    )

    assert set(error_paths(response)) == {
        "items[1].debit",
        "items[2].debit",
        "items[3].legal_entity_id",
        "items[4].order_id",
        "items[5].shipment_id",
        "items[6].order_id",
        "items[7].due_date",
        "items[8].allocations[0].debit_id",
        "items[9].allocations",
        "items[10].allocations",
    }
    assert not SettlementRecord.objects.exists()
    assert ErpBatch.objects.get().status == ErpBatch.Status.REJECTED


def test_a_negative_amount_or_unknown_kind_is_refused(
    world: World, entity_ids: tuple[str, str]
) -> None:
    a, _b = entity_ids
    response = push(
        world,
        "settlement-records",
        {
            "items": [
                shipment("S-1", a, "-100.00"),
                {**shipment("S-2", a, "100.00"), "kind": "gift"},
                {key: value for key, value in shipment("S-3", a, "1").items() if key != "date"},
            ]
        },
    )

    paths = error_paths(response)
    assert set(paths) == {"items[0].debit", "items[1].kind", "items[2].date"}
    assert "must not be negative" in paths["items[0].debit"]
    assert not SettlementRecord.objects.exists()


def test_allocations_are_replaced_and_cleared(world: World, entity_ids: tuple[str, str]) -> None:
    a, _b = entity_ids
    first = push(
        world,
        "settlement-records",
        {
            "items": [
                shipment("S-1", a, "100.00"),
                shipment("S-2", a, "100.00"),
                payment("P-1", a, "150.00", allocations=[{"debit_id": "S-1", "amount": "100"}]),
            ]
        },
    )
    assert first.status_code == 200, first.content

    # A debit sent before is found in the database.
    moved = push(
        world,
        "settlement-records",
        {"items": [payment("P-1", a, "150.00", allocations=[{"debit_id": "S-2", "amount": "50"}])]},
    )
    assert moved.status_code == 200, moved.content
    assert list(PaymentAllocation.objects.values_list("debit_record__erp_id", "amount")) == [
        ("S-2", Decimal("50.00"))
    ]

    kept = push(world, "settlement-records", {"items": [payment("P-1", a, "150.00")]})
    assert kept.status_code == 200
    assert PaymentAllocation.objects.count() == 1

    cleared = push(
        world, "settlement-records", {"items": [payment("P-1", a, "150.00", allocations=[])]}
    )
    assert cleared.status_code == 200
    assert not PaymentAllocation.objects.exists()


def test_a_full_snapshot_deletes_the_missing_records_of_its_legal_entities(
    world: World, entity_ids: tuple[str, str]
) -> None:
    a, b = entity_ids
    loaded = push(
        world,
        "settlement-records",
        {
            "items": [
                shipment("S-1", a, "100.00"),
                shipment("S-2", a, "100.00"),
                payment("P-1", a, "50.00", allocations=[{"debit_id": "S-2", "amount": "50"}]),
                shipment("S-B", b, "100.00"),
            ]
        },
    )
    assert loaded.status_code == 200

    snapshot = push(
        world,
        "settlement-records",
        {"full_snapshot": True, "items": [shipment("S-1", a, "120.00")]},
    )

    assert snapshot.status_code == 200, snapshot.content
    assert (snapshot.json()["updated"], snapshot.json()["deleted"]) == (1, 2)
    assert set(SettlementRecord.objects.values_list("erp_id", flat=True)) == {"S-1", "S-B"}
    assert not PaymentAllocation.objects.exists()


def test_a_replayed_settlement_batch_writes_nothing(
    world: World, entity_ids: tuple[str, str]
) -> None:
    a, _b = entity_ids
    body = {"items": [shipment("S-1", a, "100.00")]}
    first = push(world, "settlement-records", body, key="settle-1")
    SettlementRecord.objects.all().delete()

    second = push(world, "settlement-records", body, key="settle-1")

    assert second.status_code == 200
    assert second.json() == first.json()
    assert not SettlementRecord.objects.exists()


def test_an_older_version_of_a_record_is_skipped(world: World, entity_ids: tuple[str, str]) -> None:
    a, _b = entity_ids
    push(world, "settlement-records", {"items": [shipment("S-1", a, "100.00", version=5)]})

    stale = push(world, "settlement-records", {"items": [shipment("S-1", a, "999.00", version=4)]})

    assert stale.status_code == 200
    assert [item["id"] for item in stale.json()["skipped"]] == ["S-1"]
    assert SettlementRecord.objects.get().debit == Decimal("100.00")
