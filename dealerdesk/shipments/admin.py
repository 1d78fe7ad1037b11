from __future__ import annotations

from django.contrib import admin

from dealerdesk.shipments.models import Claim, ClaimAttachment, ClaimEvent, Shipment, ShipmentLine


class ShipmentLineInline(admin.TabularInline):
    model = ShipmentLine
    extra = 0
    raw_id_fields = ["product", "order_line"]


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ["number", "shipped_at", "legal_entity", "order", "amount_with_vat"]
    search_fields = ["number", "erp_id", "legal_entity__name"]
    raw_id_fields = ["dealer", "legal_entity", "order", "warehouse"]
    list_select_related = ["legal_entity", "order"]
    date_hierarchy = "shipped_at"
    inlines = [ShipmentLineInline]


class ClaimAttachmentInline(admin.TabularInline):
    model = ClaimAttachment
    extra = 0
    readonly_fields = ["file_name", "content_type", "file_size", "uploaded_at"]
    fields = ["file_name", "content_type", "file_size", "uploaded_at"]


class ClaimEventInline(admin.TabularInline):
    model = ClaimEvent
    extra = 0


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["number", "created_at", "legal_entity", "reason", "quantity", "status"]
    list_filter = ["status", "reason"]
    search_fields = ["number", "legal_entity__name", "shipment__number"]
    raw_id_fields = ["dealer", "legal_entity", "shipment", "shipment_line", "author"]
    list_select_related = ["legal_entity"]
    inlines = [ClaimAttachmentInline, ClaimEventInline]
