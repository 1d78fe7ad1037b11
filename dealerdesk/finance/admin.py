from __future__ import annotations

from django.contrib import admin

from dealerdesk.finance.models import CreditTerms, PaymentAllocation, SettlementRecord


@admin.register(CreditTerms)
class CreditTermsAdmin(admin.ModelAdmin):
    list_display = ["legal_entity", "credit_limit", "payment_days", "contract", "updated_at"]
    search_fields = ["legal_entity__name", "legal_entity__inn", "contract"]
    raw_id_fields = ["legal_entity"]
    list_select_related = ["legal_entity"]


class AllocationInline(admin.TabularInline):
    model = PaymentAllocation
    fk_name = "credit_record"
    extra = 0
    raw_id_fields = ["debit_record"]


@admin.register(SettlementRecord)
class SettlementRecordAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "number", "legal_entity", "debit", "credit", "due_date"]
    list_filter = ["kind"]
    search_fields = ["number", "erp_id", "legal_entity__name", "legal_entity__inn"]
    raw_id_fields = ["dealer", "legal_entity", "order", "shipment"]
    list_select_related = ["legal_entity"]
    date_hierarchy = "date"
    inlines = [AllocationInline]
