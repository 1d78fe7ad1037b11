from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dealerdesk.accounts.selectors import legal_entity_members
from dealerdesk.companies import selectors, services
from dealerdesk.companies.forms import CompanyRequestForm
from dealerdesk.tenancy.http import ScopedRequest, dealer_view
from dealerdesk.tenancy.rights import Right

PAGE_SIZE = 50
RECENT_REQUESTS = 5


@require_GET
@dealer_view
def legal_entity_list(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    return render(
        request,
        "companies/legal_entity_list.html",
        {
            "entities": selectors.legal_entities_for_scope(scope).select_related("dealer"),
            "company_requests": (
                selectors.company_requests_for_scope(scope)[:RECENT_REQUESTS]
                if scope.is_dealer_superuser
                else None
            ),
        },
    )


@require_GET
@dealer_view
def legal_entity_detail(request: ScopedRequest, legal_entity_id: int) -> HttpResponse:
    legal_entity = selectors.access_legal_entity(request.scope, legal_entity_id)
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


def _require_dealer_superuser(request: ScopedRequest) -> None:
    """New companies are the dealer superuser's business; other employees never see requests."""
    if not request.scope.is_dealer_superuser:
        raise PermissionDenied


@require_GET
@dealer_view
def company_request_list(request: ScopedRequest) -> HttpResponse:
    _require_dealer_superuser(request)
    page = Paginator(selectors.company_requests_for_scope(request.scope), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "companies/company_request_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@dealer_view
def company_request_create(request: ScopedRequest) -> HttpResponseBase:
    _require_dealer_superuser(request)
    form = CompanyRequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            company_request = services.company_request_submit(
                user=request.user, **form.cleaned_data
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("Request %(number)s is sent to the supplier.")
                % {"number": company_request.number},
            )
            return redirect("companies:request_detail", company_request_id=company_request.id)
    return render(
        request,
        "companies/company_request_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@require_GET
@dealer_view
def company_request_detail(request: ScopedRequest, company_request_id: int) -> HttpResponse:
    _require_dealer_superuser(request)
    company_request = selectors.access_company_request(request.scope, company_request_id)
    return render(
        request, "companies/company_request_detail.html", {"company_request": company_request}
    )
