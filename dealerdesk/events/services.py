from __future__ import annotations

from typing import Any

from django.db import transaction

from dealerdesk.events.models import OutboxEvent


def event_record(
    *, kind: OutboxEvent.Kind, aggregate_type: str, aggregate_id: str | int, payload: dict[str, Any]
) -> OutboxEvent:
    """Write an event for the ERP; must run inside the transaction that makes the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("an outbox event must be written in the transaction of its change")
    return OutboxEvent.objects.create(
        kind=kind, aggregate_type=aggregate_type, aggregate_id=str(aggregate_id), payload=payload
    )
