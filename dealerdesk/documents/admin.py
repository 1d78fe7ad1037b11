from __future__ import annotations

from django.contrib import admin

from dealerdesk.documents.models import Document, DocumentType


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "is_financial", "sort_order"]
    list_editable = ["sort_order"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "number", "date", "legal_entity", "order"]
    list_filter = ["type"]
    search_fields = ["number", "title", "legal_entity__name"]
    raw_id_fields = ["dealer", "legal_entity", "order"]
    list_select_related = ["type", "legal_entity", "order"]
