"""Helpers for tests of the ERP API core: pushing a batch, counting every table."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import transaction
from django.http import HttpResponse
from django.test import Client

from conftest import Persona, World

_keys = itertools.count(1)


def fresh_key() -> str:
    return f"test-key-{next(_keys)}"


def push(
    world: World,
    path: str,
    batch: dict[str, Any] | bytes | str,
    *,
    key: str | None = None,
    content_type: str = "application/json",
    client: Client | None = None,
) -> HttpResponse:
    """POST a batch as the ERP; a dict is sent as JSON, bytes and text as they are (`generic`:
    `post` would re-encode bytes to the content type's charset)."""
    body = json.dumps(batch, ensure_ascii=False) if isinstance(batch, dict) else batch
    headers = {} if key == "" else {"Idempotency-Key": key or fresh_key()}
    return (client or world.client_for(Persona.ERP_CLIENT)).generic(
        "POST",
        f"/api/erp/v1/{path}",
        body.encode() if isinstance(body, str) else body,
        content_type=content_type,
        headers=headers,
    )


def row_counts() -> dict[str, int]:
    """Rows in every table of the project: "writes nothing" means none of them changed."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def answered_and_stored(
    world: World, path: str, body: bytes, stored: Callable[[], set[Any]]
) -> tuple[int, dict[str, Any], set[Any]]:
    """What pushing the body answers (without the batch id) and what `stored` reads after
    it; rolled back afterwards, so the same body can be pushed again."""
    with transaction.atomic():
        response = push(world, path, body)
        answer = {name: value for name, value in response.json().items() if name != "batch_id"}
        rows = stored()
        transaction.set_rollback(True)
    return response.status_code, answer, rows
