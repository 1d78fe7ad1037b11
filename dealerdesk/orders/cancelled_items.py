"""The list of cancelled items (список отменённых позиций) of an order, generated as a PDF when
the ERP sent no such document; the dealer's order page and the manager's copy of it offer it."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import translation

from dealerdesk.companies.models import SupplierSettings
from dealerdesk.documents.pdf import render_pdf
from dealerdesk.orders.models import Order
from dealerdesk.orders.selectors import cancelled_lines


def cancelled_items_response(order: Order, supplier: SupplierSettings) -> HttpResponse:
    """The PDF as a download; 404 for an order without cancellations."""
    lines = cancelled_lines(order.lines.order_by("position"))
    if not lines:
        raise Http404
    # A Russian business document whatever language the reader uses, like the invoice.
    with translation.override("ru"):
        pdf = render_pdf(
            "orders/cancelled_items_pdf.html",
            {"order": order, "lines": lines, "supplier": supplier},
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cancelled-{order.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
