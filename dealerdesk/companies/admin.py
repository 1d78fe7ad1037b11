from __future__ import annotations

from django.contrib import admin
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dealerdesk.accounts.models import User
from dealerdesk.companies.models import CompanyRequest, Dealer, LegalEntity, SupplierSettings
from dealerdesk.companies.services import company_request_resolve_for_entity


def _acting_staff(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


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

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        super().save_formset(request, form, formset, change)
        for instance in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
            if isinstance(instance, LegalEntity):
                company_request_resolve_for_entity(
                    legal_entity=instance, by_user=_acting_staff(request)
                )


@admin.register(LegalEntity)
class LegalEntityAdmin(admin.ModelAdmin):
    list_display = ["name", "dealer", "inn", "kpp", "is_main", "price_type", "is_active"]
    list_filter = ["is_main", "is_active"]
    search_fields = ["name", "inn", "erp_id", "dealer__name"]
    autocomplete_fields = ["dealer"]
    list_select_related = ["dealer", "price_type"]

    def save_model(
        self, request: HttpRequest, obj: LegalEntity, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        # A company added by hand answers the dealer's request for it, as one from the ERP does.
        company_request_resolve_for_entity(legal_entity=obj, by_user=_acting_staff(request))


@admin.register(CompanyRequest)
class CompanyRequestAdmin(admin.ModelAdmin):
    """Requests are read here; they are answered in the managers' workspace or by the ERP."""

    list_display = ["number", "name", "inn", "kpp", "dealer", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["inn", "name", "number", "dealer__name"]
    list_select_related = ["dealer"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["number", "dealer", "requested_by", "status", "created_at"]}),
        (
            _("Company"),
            {"fields": ["inn", "kpp", "name", "legal_address", "postal_address", "comment"]},
        ),
        (
            _("Bank details"),
            {"fields": ["bank_name", "bik", "correspondent_account", "settlement_account"]},
        ),
        (
            _("Decision"),
            {"fields": ["legal_entity", "decided_at", "decided_by", "rejection_reason"]},
        ),
    ]

    readonly_fields = ["created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


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
