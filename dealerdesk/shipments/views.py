from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dealerdesk.companies.selectors import legal_entities_for_scope
from dealerdesk.documents.files import protected_file_response
from dealerdesk.orders.paste import parse_quantity
from dealerdesk.shipments import selectors, services
from dealerdesk.shipments.models import Claim
from dealerdesk.tenancy.http import ScopedRequest, dealer_view
from dealerdesk.tenancy.rights import Right

PAGE_SIZE = 50


@require_GET
@dealer_view
def shipment_list(request: ScopedRequest) -> HttpResponse:
    filters = selectors.ShipmentFilters.from_query(request.GET)
    page = Paginator(selectors.shipment_list(request.scope, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "shipments/shipment_list.html",
        {"filters": filters, "page": page, "entities": legal_entities_for_scope(request.scope)},
    )


@require_GET
@dealer_view
def shipment_detail(request: ScopedRequest, shipment_id: int) -> HttpResponse:
    shipment = selectors.access_shipment(request.scope, shipment_id)
    return render(
        request,
        "shipments/shipment_detail.html",
        {
            "shipment": shipment,
            "lines": shipment.lines.select_related("product"),
            "documents": selectors.shipment_documents(request.scope, shipment),
            "can_claim": request.scope.has_right(Right.MANAGE_CLAIMS, shipment.legal_entity_id),
        },
    )


def _require_claims_right(request: ScopedRequest) -> None:
    if not request.scope.can_manage_claims:
        raise PermissionDenied


@require_GET
@dealer_view
def claim_list(request: ScopedRequest) -> HttpResponse:
    _require_claims_right(request)
    status = request.GET.get("status", "")
    raw_author = request.GET.get("author", "")
    author_id = int(raw_author) if raw_author.isdigit() else None
    page = Paginator(selectors.claim_list(request.scope, status, author_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "shipments/claim_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Claim.Status.choices,
            "author_id": author_id,
            "authors": selectors.claim_authors(request.scope),
        },
    )


@require_GET
@dealer_view
def claim_detail(request: ScopedRequest, claim_id: int) -> HttpResponse:
    claim = selectors.access_claim(request.scope, claim_id)
    return render(
        request,
        "shipments/claim_detail.html",
        {
            "claim": claim,
            "events": claim.events.select_related("author"),
            "attachments": claim.attachments.all(),
        },
    )


@dealer_view
def claim_create(request: ScopedRequest, line_id: int) -> HttpResponseBase:
    line = selectors.access_line_to_claim(request.scope, line_id)
    errors: dict[str, list[str]] = {}
    form = {"reason": "", "quantity": "", "description": ""}
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in form}
        try:
            claim = services.claim_file(
                user=request.user,
                shipment_line=line,
                reason=form["reason"],
                quantity=parse_quantity(form["quantity"]) or Decimal(0),
                description=form["description"],
                attachments=request.FILES.getlist("attachments"),
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("Claim %(number)s is filed.") % {"number": claim.number})
            return redirect("shipments:claim_detail", claim_id=claim.id)
    return render(
        request,
        "shipments/claim_form.html",
        {"line": line, "form": form, "errors": errors, "reasons": Claim.Reason.choices},
        status=422 if errors else 200,
    )


@require_POST
@dealer_view
def claim_comment(request: ScopedRequest, claim_id: int) -> HttpResponseBase:
    claim = selectors.access_claim(request.scope, claim_id)
    try:
        services.claim_comment_add(
            claim=claim,
            comment=request.POST.get("comment", ""),
            by_supplier=False,
            author=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("shipments:claim_detail", claim_id=claim.id)


@require_GET
@dealer_view
def claim_attachment_download(request: ScopedRequest, attachment_id: int) -> HttpResponseBase:
    attachment = selectors.access_claim_attachment(request.scope, attachment_id)
    return protected_file_response(
        attachment.file, download_name=attachment.file_name, content_type=attachment.content_type
    )
