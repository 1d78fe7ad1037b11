from __future__ import annotations

from django.contrib import admin

from dealerdesk.pricing.models import BasePrice, Discount, PriceType


@admin.register(PriceType)
class PriceTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "erp_id", "currency", "includes_vat"]
    search_fields = ["name", "erp_id"]


@admin.register(BasePrice)
class BasePriceAdmin(admin.ModelAdmin):
    list_display = ["product", "price_type", "amount", "updated_at"]
    list_filter = ["price_type"]
    raw_id_fields = ["product"]
    list_select_related = ["product", "price_type"]
    search_fields = ["product__code"]
    show_full_result_count = False


@admin.register(Discount)
class DiscountAdmin(admin.ModelAdmin):
    list_display = ["category", "percent", "dealer", "legal_entity", "updated_at"]
    list_filter = ["dealer"]
    autocomplete_fields = ["dealer", "legal_entity", "category"]
    list_select_related = ["category", "dealer", "legal_entity"]
