from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dealerdesk.events.models import OutboxEvent


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "aggregate_type", "aggregate_id", "created_at"]
    list_filter = ["kind"]
    readonly_fields = [
        "event_id",
        "kind",
        "aggregate_type",
        "aggregate_id",
        "payload",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
