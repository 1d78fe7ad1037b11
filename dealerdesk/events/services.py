from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from dealerdesk.events.models import OutboxEvent

OUTBOX_LOCK = 7_302_001  # any constant, unique among the project's advisory locks


def event_record(
    *, kind: OutboxEvent.Kind, aggregate_type: str, aggregate_id: str | int, payload: dict[str, Any]
) -> OutboxEvent:
    """Write an event for the ERP; must run inside the transaction that makes the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("an outbox event must be written in the transaction of its change")
    if connection.vendor == "postgresql":
        # Ids are handed out at insert but become visible at commit. Without this lock a later
        # event could commit first, the ERP acknowledge past it, and the earlier one never be
        # served. Holding the lock to the end of the transaction makes events commit in id
        # order (SQLite has one writer at a time anyway).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [OUTBOX_LOCK])
    return OutboxEvent.objects.create(
        kind=kind, aggregate_type=aggregate_type, aggregate_id=str(aggregate_id), payload=payload
    )
