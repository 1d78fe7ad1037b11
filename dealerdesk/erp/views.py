"""The supplier managers' view of the ERP exchange: clients, outbox lag, the batch journal."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from dealerdesk.erp import selectors
from dealerdesk.erp.models import ErpBatch, ErpClient
from dealerdesk.tenancy.http import ScopedRequest, staff_view

JOURNAL_PAGE_SIZE = 50


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_GET
@staff_view
def journal(request: ScopedRequest) -> HttpResponse:
    client_id = _int_or_none(request.GET.get("client"))
    status = request.GET.get("status", "")
    if status not in ErpBatch.Status.values:
        status = ""
    batches = selectors.batch_journal(client_id=client_id, status=status)
    page = Paginator(batches, JOURNAL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "erp/journal.html",
        {
            "lags": selectors.client_lags(),
            "clients": ErpClient.objects.order_by("name"),
            "page": page,
            "filters": {"client_id": client_id, "status": status},
            "statuses": ErpBatch.Status.choices,
        },
    )


@require_GET
@staff_view
def batch_detail(request: ScopedRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(ErpBatch.objects.select_related("client").defer("body"), pk=batch_id)
    return render(request, "erp/batch_detail.html", {"batch": batch})


@require_GET
@staff_view
def batch_body(request: ScopedRequest, batch_id: int) -> HttpResponse:
    """The raw body as the ERP sent it, for support: downloaded, never rendered."""
    batch = ErpBatch.objects.filter(pk=batch_id).values("body", "content_type", "resource").first()
    if batch is None:
        raise Http404
    extension = "xml" if "xml" in batch["content_type"] else "json"
    response = HttpResponse(bytes(batch["body"]), content_type="application/octet-stream")
    response["Content-Disposition"] = (
        f'attachment; filename="batch-{batch_id}-{batch["resource"]}.{extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
