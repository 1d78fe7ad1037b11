"""The managers' page of the ERP exchange: batches per client with counts and errors, and the
outbox lag."""

from __future__ import annotations

import json

from django.test import Client

from conftest import Persona, World
from dealerdesk.erp.models import ErpBatch
from dealerdesk.events.models import OutboxEvent


def push(client: Client, key: str, body: dict[str, object]) -> int:
    response = client.post(
        "/api/erp/v1/warehouses",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )
    return int(response.status_code)


def test_the_journal_lists_accepted_and_rejected_batches_with_their_errors(world: World) -> None:
    erp = world.client_for(Persona.ERP_CLIENT)
    assert push(erp, "good-1", {"items": [{"id": "WH-EKB", "name": "Екатеринбург"}]}) == 200
    assert push(erp, "bad-1", {"items": [{"id": "WH-X", "name": ""}]}) == 422

    page = world.client_for(Persona.MANAGER).get("/manager/erp/")

    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="erp-batch"') == 2
    assert "items[0].name: must not be empty" in html
    assert "1C: Управление торговлей" in html


def test_the_journal_filters_by_status(world: World) -> None:
    erp = world.client_for(Persona.ERP_CLIENT)
    push(erp, "good-2", {"items": [{"id": "WH-KZN", "name": "Казань"}]})
    push(erp, "bad-2", {"items": [{"name": "без id"}]})

    page = world.client_for(Persona.MANAGER).get("/manager/erp/", {"status": "rejected"})

    html = page.content.decode()
    assert html.count('data-testid="erp-batch"') == 1
    assert "items[0].id: is required" in html


def test_the_outbox_lag_counts_events_the_client_has_not_acknowledged(world: World) -> None:
    for number in range(3):
        OutboxEvent.objects.create(
            kind=OutboxEvent.Kind.NEED_RAISED,
            aggregate_type="need",
            aggregate_id=str(number),
            payload={},
        )
    erp = world.client_for(Persona.ERP_CLIENT)
    first = OutboxEvent.objects.order_by("id").first()
    assert first is not None
    erp.post("/api/erp/v1/events/ack", {"cursor": first.id}, content_type="application/json")

    page = world.client_for(Persona.MANAGER).get("/manager/erp/")

    pending = page.content.decode().split('data-testid="erp-pending">', 1)[1].split("<", 1)[0]
    assert pending == "2"


def test_the_raw_body_downloads_as_it_was_sent(world: World) -> None:
    erp = world.client_for(Persona.ERP_CLIENT)
    body = {"items": [{"id": "WH-NSK", "name": "Новосибирск"}]}
    push(erp, "good-3", body)
    batch = ErpBatch.objects.get(idempotency_key="good-3")

    response = world.client_for(Persona.MANAGER).get(f"/manager/erp/batches/{batch.id}/body/")

    assert response.status_code == 200
    assert json.loads(response.content) == body
    assert response["Content-Disposition"].startswith("attachment;")
