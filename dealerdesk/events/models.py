from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEvent(models.Model):
    """A change the ERP must see, written in the same transaction as the change itself.

    The ERP reads events after its cursor (the id) and acknowledges what it has taken; an
    event not acknowledged is served again. `event_id` is stable for de-duplication on the ERP
    side. Payloads are built by the domain that owns the change (e.g. `orders.events`).
    """

    class Kind(models.TextChoices):
        ORDER_PLACED = "order.placed", _("order placed")
        ORDER_CHANGED = "order.changed", _("order changed by the dealer")
        NEED_RAISED = "need.raised", _("need raised")
        NEED_ANSWERED = "need.answered", _("need answered")
        CLAIM_FILED = "claim.filed", _("claim filed")
        COMPANY_REQUESTED = "company.requested", _("new company requested")
        COMPANY_APPROVED = "company.approved", _("new company request approved")
        COMPANY_REJECTED = "company.rejected", _("new company request rejected")

    id = models.BigAutoField(primary_key=True)
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    aggregate_type = models.CharField(max_length=40)
    aggregate_id = models.CharField(max_length=80)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        ordering = ["id"]
        indexes = [models.Index(fields=["aggregate_type", "aggregate_id"], name="event_aggregate")]

    def __str__(self) -> str:
        return f"#{self.id} {self.kind} {self.aggregate_type}:{self.aggregate_id}"
