from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dealerdesk.companies.models import Dealer, LegalEntity, SupplierSettings


class LegalEntityInline(admin.StackedInline):
    model = LegalEntity
    extra = 0
    fields = ["name", "inn", "kpp", "legal_address", "is_main", "price_type", "is_active", "erp_id"]


@admin.register(Dealer)
class DealerAdmin(admin.ModelAdmin):
    list_display = ["name", "erp_id", "price_type", "is_blocked"]
    list_filter = ["is_blocked"]
    search_fields = ["name", "erp_id", "legal_entities__inn"]
    inlines = [LegalEntityInline]


@admin.register(LegalEntity)
class LegalEntityAdmin(admin.ModelAdmin):
    list_display = ["name", "dealer", "inn", "kpp", "is_main", "price_type", "is_active"]
    list_filter = ["is_main", "is_active"]
    search_fields = ["name", "inn", "erp_id", "dealer__name"]
    autocomplete_fields = ["dealer"]
    list_select_related = ["dealer", "price_type"]


@admin.register(SupplierSettings)
class SupplierSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["name", "full_name", "inn", "kpp", "ogrn", "legal_address"]}),
        (_("Contacts"), {"fields": ["phone", "email", "website"]}),
        (
            "Bank",
            {"fields": ["bank_name", "bik", "correspondent_account", "settlement_account"]},
        ),
        (_("Signatures"), {"fields": ["director_name", "accountant_name"]}),
        (
            "Terms",
            {"fields": ["vat_rate", "currency", "default_price_type", "invoice_payment_days"]},
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SupplierSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
