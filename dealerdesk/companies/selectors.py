"""Reads of dealers, legal entities, company requests and the supplier's own settings."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from dealerdesk.companies.models import CompanyRequest, LegalEntity, SupplierSettings
from dealerdesk.tenancy.scope import Scope


def supplier_settings() -> SupplierSettings:
    """The supplier's settings; defaults until someone saves them (reads never write)."""
    found = SupplierSettings.objects.select_related("default_price_type").filter(pk=1).first()
    return found or SupplierSettings(pk=1)


def request_supplier_settings(request: HttpRequest) -> SupplierSettings:
    """The supplier's settings, read at most once per request."""
    cached: SupplierSettings | None = getattr(request, "_supplier_settings", None)
    if cached is None:
        cached = supplier_settings()
        request._supplier_settings = cached  # type: ignore[attr-defined]
    return cached


def legal_entities_for_scope(scope: Scope) -> QuerySet[LegalEntity]:
    """The legal entities the user may see, main first."""
    return LegalEntity.objects.for_scope(scope).select_related("price_type")


def access_legal_entity(scope: Scope, legal_entity_id: int) -> LegalEntity:
    """A legal entity the user may see; 404 both when it is missing and when it is not theirs."""
    if legal_entity_id not in scope.entity_ids():
        raise Http404
    try:
        return LegalEntity.objects.select_related("dealer", "price_type").get(id=legal_entity_id)
    except LegalEntity.DoesNotExist as missing:
        raise Http404 from missing


def company_requests_for_scope(scope: Scope) -> QuerySet[CompanyRequest]:
    """The dealer's requests for new companies, newest first; only its superuser sees them."""
    return CompanyRequest.objects.for_scope(scope).select_related("requested_by", "legal_entity")


def access_company_request(scope: Scope, company_request_id: int) -> CompanyRequest:
    """A request of the user's dealer; 404 both when it is missing and when it is not theirs."""
    try:
        return (
            CompanyRequest.objects.for_scope(scope)
            .select_related("requested_by", "legal_entity")
            .get(id=company_request_id)
        )
    except CompanyRequest.DoesNotExist as missing:
        raise Http404 from missing
