from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dealerdesk.accounts.selectors import legal_entity_members
from dealerdesk.companies.selectors import access_legal_entity, legal_entities_for_scope
from dealerdesk.tenancy.http import ScopedRequest, dealer_view
from dealerdesk.tenancy.rights import Right


@require_GET
@dealer_view
def legal_entity_list(request: ScopedRequest) -> HttpResponse:
    return render(
        request,
        "companies/legal_entity_list.html",
        {"entities": legal_entities_for_scope(request.scope).select_related("dealer")},
    )


@require_GET
@dealer_view
def legal_entity_detail(request: ScopedRequest, legal_entity_id: int) -> HttpResponse:
    legal_entity = access_legal_entity(request.scope, legal_entity_id)
    return render(
        request,
        "companies/legal_entity_detail.html",
        {
            "entity": legal_entity,
            "rights": [
                right
                for right in Right
                if request.scope.has_right(right, legal_entity_id=legal_entity.id)
            ],
            "members": (
                legal_entity_members(legal_entity) if request.scope.is_dealer_superuser else None
            ),
        },
    )
