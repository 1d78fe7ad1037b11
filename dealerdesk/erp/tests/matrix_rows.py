"""Who may call the ERP API: the ERP client's key, nobody else; the OpenAPI document and its
page are public (they describe the API and hold no data)."""

from __future__ import annotations

import itertools
from typing import Any

from conftest import World
from dealerdesk.erp import resources
from dealerdesk.erp.models import ErpBatch, ErpClient
from dealerdesk.erp.registry import RESOURCES
from dealerdesk.tenancy.tests.matrix import (
    NOT_FOUND,
    OK,
    Row,
    erp_operation,
    outcomes,
    staff_page,
)

resources.load()
_keys = itertools.count(1)


def _push_row() -> Row:
    # An empty batch is valid for every resource: it proves the key opens the operation.
    return Row(
        erp_operation(),
        method="post",
        data=lambda world: {"items": []},
        headers={"Idempotency-Key": f"matrix-{next(_keys)}"},
        json=True,
    )


def a_batch(world: World) -> list[Any]:
    batch = ErpBatch.objects.create(
        client=ErpClient.objects.get(),
        resource="warehouses",
        idempotency_key="matrix-journal",
        body_sha256="0" * 64,
        content_type="application/json",
        body=b'{"items": []}',
        status=ErpBatch.Status.ACCEPTED,
    )
    return [batch.id]


ROWS: dict[str, Row] = {
    "erp:journal": Row(staff_page()),
    "erp:batch_detail": Row(staff_page(), args=a_batch),
    "erp:batch_body": Row(staff_page(), args=a_batch),
    "erp_api:api-root": Row(outcomes(NOT_FOUND)),
    "erp_api:openapi-json": Row(outcomes(OK)),
    "erp_api:openapi-view": Row(outcomes(OK)),
    "erp_api:events": Row(erp_operation()),
    "erp_api:events_ack": Row(
        erp_operation(), method="post", data=lambda world: {"cursor": 0}, json=True
    ),
    **{f"erp_api:push_{resource.name}": _push_row() for resource in RESOURCES.values()},
    # The 1C exchange answers every refusal `failure` with HTTP 200 (1C reads the body, not
    # the status): no persona sends the ERP client's Basic credentials, so all get 200 and
    # the body `failure` (test_cml_protocol.py checks the bodies and that nothing is written).
    "exchange_1c:exchange": Row(
        outcomes(OK), data=lambda world: {"type": "catalog", "mode": "checkauth"}
    ),
}
