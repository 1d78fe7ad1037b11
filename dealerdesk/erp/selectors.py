"""Reads for the ERP: the outbox after a cursor, and the exchange journal for managers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from dealerdesk.erp.models import ErpBatch, ErpClient
from dealerdesk.erp.schemas import Event, EventPage
from dealerdesk.events.models import OutboxEvent

MAX_EVENTS_PER_PAGE = 1000


def events_after(*, client: ErpClient, after: int | None, limit: int) -> EventPage:
    """Events after `after` (by default after the client's acknowledged cursor), oldest first.

    Reading moves nothing: events are served again until acknowledged."""
    cursor = client.acknowledged_event_id if after is None else after
    limit = max(1, min(limit, MAX_EVENTS_PER_PAGE))
    rows = list(OutboxEvent.objects.filter(id__gt=cursor).order_by("id")[: limit + 1])
    page = rows[:limit]
    return EventPage(
        events=[
            Event(
                cursor=row.id,
                id=str(row.event_id),
                kind=row.kind,
                aggregate_type=row.aggregate_type,
                aggregate_id=row.aggregate_id,
                created_at=row.created_at,
                payload=row.payload,
            )
            for row in page
        ],
        next_cursor=page[-1].id if page else cursor,
        has_more=len(rows) > limit,
    )


def pending_events(client: ErpClient) -> int:
    return OutboxEvent.objects.filter(id__gt=client.acknowledged_event_id).count()


@dataclass(frozen=True)
class ClientLag:
    client: ErpClient
    pending: int
    oldest_pending_at: datetime.datetime | None

    @property
    def lag(self) -> datetime.timedelta | None:
        if self.oldest_pending_at is None:
            return None
        return timezone.now() - self.oldest_pending_at

    @property
    def is_pull_overdue(self) -> bool:
        """An active client that has not read the outbox for longer than the configured
        time (`ERP_PULL_WARNING_MINUTES`) while events wait: orders are not reaching the ERP.
        A client that never pulls (one that only pushes) is not warned about until events
        have waited that long."""
        if not self.client.is_active or not self.pending:
            return False
        limit = datetime.timedelta(minutes=settings.ERP_PULL_WARNING_MINUTES)
        last_read = self.client.last_pulled_at or self.oldest_pending_at
        return last_read is not None and timezone.now() - last_read > limit


def client_lags() -> list[ClientLag]:
    lags = []
    for client in ErpClient.objects.order_by("name"):
        pending = OutboxEvent.objects.filter(id__gt=client.acknowledged_event_id)
        oldest = pending.order_by("id").values_list("created_at", flat=True).first()
        lags.append(ClientLag(client, pending.count(), oldest))
    return lags


def batch_journal(*, client_id: int | None = None, status: str = "") -> QuerySet[ErpBatch]:
    batches = ErpBatch.objects.select_related("client").defer("body", "response")
    if client_id is not None:
        batches = batches.filter(client_id=client_id)
    if status:
        batches = batches.filter(status=status)
    return batches.order_by("-id")
