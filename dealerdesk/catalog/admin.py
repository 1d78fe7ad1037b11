from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from dealerdesk.catalog.models import (
    Brand,
    Category,
    IncomingSupply,
    Product,
    ProductDocument,
    Stock,
    Warehouse,
)
from dealerdesk.catalog.search import search_product_ids
from dealerdesk.catalog.services import category_save


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "depth", "sort_order", "is_active", "erp_id"]
    list_filter = ["depth", "is_active"]
    search_fields = ["name", "erp_id"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "depth"]

    def save_model(
        self, request: HttpRequest, obj: Category, form: ModelForm, change: bool
    ) -> None:
        category_save(category=obj)


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "is_own_trademark"]
    search_fields = ["name"]


class ProductDocumentInline(admin.TabularInline):
    model = ProductDocument
    extra = 0
    fields = ["kind", "title", "file", "file_name"]


class StockInline(admin.TabularInline):
    model = Stock
    extra = 0
    fields = ["warehouse", "quantity", "updated_at"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "brand", "category", "unit", "pack_multiplicity", "is_active"]
    list_filter = ["is_active", "brand"]
    search_fields = ["code"]
    search_help_text = "Code or name, any part of it"
    autocomplete_fields = ["category", "brand"]
    list_select_related = ["brand", "category"]
    show_full_result_count = False
    inlines = [ProductDocumentInline, StockInline]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        # The catalog's own substring search: an icontains scan over a million rows is slow.
        if not search_term.strip():
            return queryset, False
        return queryset.filter(id__in=search_product_ids(search_term, limit=500)), False


@admin.register(ProductDocument)
class ProductDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "product", "file_size"]
    list_filter = ["kind"]
    raw_id_fields = ["product"]
    list_select_related = ["product"]


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ["name", "erp_id", "sort_order", "is_active"]
    search_fields = ["name"]


@admin.register(Stock)
class StockAdmin(admin.ModelAdmin):
    list_display = ["product", "warehouse", "quantity", "updated_at"]
    list_filter = ["warehouse"]
    raw_id_fields = ["product"]
    list_select_related = ["product", "warehouse"]
    show_full_result_count = False


@admin.register(IncomingSupply)
class IncomingSupplyAdmin(admin.ModelAdmin):
    list_display = ["product", "warehouse", "expected_date", "quantity"]
    list_filter = ["warehouse"]
    raw_id_fields = ["product"]
    date_hierarchy = "expected_date"
    list_select_related = ["product", "warehouse"]
