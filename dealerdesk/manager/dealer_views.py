"""The manager's dealer pages: dealers, their orders, shipments, documents and claims.

Reads come from `manager.dealer_selectors` (narrowed to the dealers the manager looks after);
writes go through the domain services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from dealerdesk.companies.selectors import request_supplier_settings
from dealerdesk.companies.services import dealer_block_set
from dealerdesk.documents.files import protected_file_response
from dealerdesk.manager import dealer_selectors as selectors
from dealerdesk.manager.dealer_forms import ClaimCommentForm, ClaimStatusForm, DealerBlockForm
from dealerdesk.orders.cancelled_items import cancelled_items_response
from dealerdesk.shipments.models import Claim
from dealerdesk.shipments.services import claim_comment_add, claim_status_set
from dealerdesk.tenancy.http import ScopedRequest, staff_view

DEALERS_PER_PAGE = 50
CLAIMS_PER_PAGE = 50


# --- Dealers ----------------------------------------------------------------------------------


@require_GET
@staff_view
def dealer_list(request: ScopedRequest) -> HttpResponse:
    filters = selectors.DealerFilters.from_query(request.GET)
    page = Paginator(selectors.dealer_list(request.scope, filters), DEALERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "manager/dealers/dealer_list.html", {"filters": filters, "page": page})


@require_GET
@staff_view
def dealer_detail(request: ScopedRequest, dealer_id: int) -> HttpResponse:
    dealer = selectors.access_dealer(request.scope, dealer_id)
    return render(
        request,
        "manager/dealers/dealer_detail.html",
        {"card": selectors.dealer_card(dealer), "dealer": dealer},
    )


@require_POST
@staff_view
def dealer_block(request: ScopedRequest, dealer_id: int) -> HttpResponseBase:
    dealer = selectors.access_dealer(request.scope, dealer_id)
    form = DealerBlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to block or unblock the dealer."))
        return redirect("manager:dealer_detail", dealer_id=dealer.id)
    is_blocked: bool = form.cleaned_data["blocked"]
    if dealer.is_blocked == is_blocked:
        messages.info(
            request,
            _("The dealer is already blocked.") if is_blocked else _("The dealer is not blocked."),
        )
        return redirect("manager:dealer_detail", dealer_id=dealer.id)
    ended = dealer_block_set(dealer=dealer, is_blocked=is_blocked, actor=request.user)
    if is_blocked:
        messages.success(
            request,
            ngettext(
                "%(dealer)s is blocked; %(count)s open session of its employees was ended.",
                "%(dealer)s is blocked; %(count)s open sessions of its employees were ended.",
                ended,
            )
            % {"dealer": dealer.name, "count": ended},
        )
    else:
        messages.success(
            request,
            _("%(dealer)s is unblocked: its employees can sign in again.")
            % {"dealer": dealer.name},
        )
    return redirect("manager:dealer_detail", dealer_id=dealer.id)


# --- Orders, shipments, documents ---------------------------------------------------------------


@require_GET
@staff_view
def order_detail(request: ScopedRequest, order_id: int) -> HttpResponse:
    order = selectors.access_order(request.scope, order_id)
    return render(
        request,
        "manager/orders/order_detail.html",
        {"card": selectors.order_card(order), "order": order},
    )


@require_GET
@staff_view
def order_cancelled_items(request: ScopedRequest, order_id: int) -> HttpResponse:
    """The list of cancelled items the dealer can download, as the manager sees it."""
    order = selectors.access_order(request.scope, order_id)
    return cancelled_items_response(order, request_supplier_settings(request))


@require_GET
@staff_view
def shipment_detail(request: ScopedRequest, shipment_id: int) -> HttpResponse:
    shipment = selectors.access_shipment(request.scope, shipment_id)
    return render(
        request,
        "manager/shipments/shipment_detail.html",
        {"card": selectors.shipment_card(shipment), "shipment": shipment},
    )


@require_GET
@staff_view
def document_download(request: ScopedRequest, document_id: int) -> HttpResponseBase:
    document = selectors.access_document(request.scope, document_id)
    return protected_file_response(
        document.file, download_name=document.file_name, content_type=document.content_type
    )


# --- Claims -----------------------------------------------------------------------------------


@require_GET
@staff_view
def claim_list(request: ScopedRequest) -> HttpResponse:
    filters = selectors.ClaimFilters.from_query(request.GET)
    page = Paginator(selectors.claim_list(request.scope, filters), CLAIMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "manager/claims/claim_list.html",
        {
            "filters": filters,
            "page": page,
            "statuses": Claim.Status.choices,
            "dealers": selectors.claim_dealers(request.scope),
        },
    )


def _claim_page(
    request: ScopedRequest,
    claim: Claim,
    *,
    status_form: ClaimStatusForm | None = None,
    comment_form: ClaimCommentForm | None = None,
) -> HttpResponse:
    invalid = (status_form is not None and status_form.errors) or (
        comment_form is not None and comment_form.errors
    )
    context: dict[str, Any] = {
        "card": selectors.claim_card(claim),
        "claim": claim,
        "status_form": status_form or ClaimStatusForm(claim=claim),
        "comment_form": comment_form or ClaimCommentForm(),
    }
    return render(
        request, "manager/claims/claim_detail.html", context, status=422 if invalid else 200
    )


@require_GET
@staff_view
def claim_detail(request: ScopedRequest, claim_id: int) -> HttpResponse:
    return _claim_page(request, selectors.access_claim(request.scope, claim_id))


@require_POST
@staff_view
def claim_status(request: ScopedRequest, claim_id: int) -> HttpResponseBase:
    claim = selectors.access_claim(request.scope, claim_id)
    form = ClaimStatusForm(request.POST, claim=claim)
    if not form.is_valid():
        return _claim_page(request, claim, status_form=form)
    try:
        claim_status_set(
            claim=claim,
            status=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"],
            author=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _claim_page(request, claim, status_form=form)
    messages.success(
        request,
        _("Claim %(number)s: %(status)s. The dealer sees it on the claim page.")
        % {"number": claim.number, "status": claim.get_status_display()},
    )
    return redirect("manager:claim_detail", claim_id=claim.id)


@require_POST
@staff_view
def claim_comment(request: ScopedRequest, claim_id: int) -> HttpResponseBase:
    claim = selectors.access_claim(request.scope, claim_id)
    form = ClaimCommentForm(request.POST)
    if not form.is_valid():
        return _claim_page(request, claim, comment_form=form)
    try:
        claim_comment_add(
            claim=claim, comment=form.cleaned_data["comment"], by_supplier=True, author=request.user
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _claim_page(request, claim, comment_form=form)
    messages.success(request, _("The comment is sent to the dealer."))
    return redirect("manager:claim_detail", claim_id=claim.id)


@require_GET
@staff_view
def claim_attachment_download(request: ScopedRequest, attachment_id: int) -> HttpResponseBase:
    attachment = selectors.access_claim_attachment(request.scope, attachment_id)
    return protected_file_response(
        attachment.file, download_name=attachment.file_name, content_type=attachment.content_type
    )
