from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dealerdesk.companies.selectors import request_supplier_settings
from dealerdesk.finance import exports, selectors
from dealerdesk.finance.ledger import AgeingBucket
from dealerdesk.tenancy.http import ScopedRequest, dealer_view

STATEMENT_PAGE_SIZE = 100


def _require_finance_right(request: ScopedRequest) -> None:
    if not request.scope.can_see_finance:
        raise PermissionDenied


def _filters(request: ScopedRequest) -> selectors.FinanceFilters:
    return selectors.FinanceFilters.from_query(request.GET)


@require_GET
@dealer_view
def receivables(request: ScopedRequest) -> HttpResponse:
    _require_finance_right(request)
    filters = _filters(request)
    summary = selectors.receivables(request.scope, filters)
    return render(
        request,
        "finance/receivables.html",
        {
            "filters": filters,
            "summary": summary,
            "entities": selectors.finance_entities(request.scope),
            "ageing_labels": {bucket: exports.ageing_label(bucket) for bucket in AgeingBucket},
        },
    )


@require_GET
@dealer_view
def statement(request: ScopedRequest) -> HttpResponse:
    _require_finance_right(request)
    filters = _filters(request)
    chosen = selectors.chosen_entities(request.scope, filters)
    result = selectors.statement(chosen, filters.date_from, filters.date_to)
    # Newest first on screen; the balance column is the balance after each record.
    page = Paginator(result.rows[::-1], STATEMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/statement.html",
        {
            "filters": filters,
            "statement": result,
            "page": page,
            "entities": selectors.finance_entities(request.scope),
            "several_entities": len(chosen) > 1,
        },
    )


@require_GET
@dealer_view
def export(request: ScopedRequest) -> HttpResponse:
    _require_finance_right(request)
    filters = _filters(request)
    chosen = selectors.chosen_entities(request.scope, filters)
    return exports.receivables_workbook(
        selectors.receivables(request.scope, filters, open_orders_limit=None),
        selectors.statement(chosen, filters.date_from, filters.date_to),
    )


@require_GET
@dealer_view
def reconciliation(request: ScopedRequest) -> HttpResponseBase:
    """The reconciliation statement: between the supplier and one legal entity."""
    _require_finance_right(request)
    filters = _filters(request)
    chosen = selectors.chosen_entities(request.scope, filters)
    if len(chosen) != 1:
        messages.info(request, _("Choose the legal entity the reconciliation statement is for."))
        return redirect(f"{reverse('finance:statement')}?{request.GET.urlencode()}")
    entity = chosen[0]
    pdf = exports.reconciliation_pdf(
        entity=entity,
        statement=selectors.statement(chosen, filters.date_from, filters.date_to),
        supplier=request_supplier_settings(request),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    file_name = (
        f"reconciliation-{entity.inn}-{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}.pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@dealer_view
def order_debt(request: ScopedRequest, order_id: int) -> HttpResponse:
    _require_finance_right(request)
    order = selectors.access_finance_order(request.scope, order_id)
    filters = _filters(request)
    return render(
        request,
        "finance/order_debt.html",
        {"filters": filters, "detail": selectors.order_finance(order, filters.as_of)},
    )
