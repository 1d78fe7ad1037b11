from __future__ import annotations

from django.contrib import admin

from dealerdesk.orders.models import (
    DeliveryMethod,
    Need,
    Order,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
)


@admin.register(OrderStatus)
class OrderStatusAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "tone", "is_initial", "is_final", "sort_order"]
    list_editable = ["sort_order"]


@admin.register(DeliveryMethod)
class DeliveryMethodAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "kind", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = ["position", "code", "name", "quantity", "need_quantity", "price", "amount"]
    readonly_fields = ["position", "code", "name", "quantity", "need_quantity", "price", "amount"]
    can_delete = False


class OrderStatusChangeInline(admin.TabularInline):
    model = OrderStatusChange
    extra = 0
    readonly_fields = ["status", "changed_at", "comment"]
    can_delete = False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "erp_number",
        "legal_entity",
        "status",
        "amount_with_vat",
        "placed_at",
    ]
    list_filter = ["status", "source"]
    search_fields = ["number", "erp_number", "legal_entity__name", "legal_entity__inn"]
    list_select_related = ["legal_entity", "status"]
    raw_id_fields = ["dealer", "legal_entity", "author", "price_type"]
    date_hierarchy = "placed_at"
    inlines = [OrderLineInline, OrderStatusChangeInline]
    show_full_result_count = False


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["order", "product", "quantity", "legal_entity", "status", "expected_date"]
    list_filter = ["status"]
    raw_id_fields = ["order", "order_line", "product", "dealer", "legal_entity"]
    list_select_related = ["order", "product", "legal_entity"]
