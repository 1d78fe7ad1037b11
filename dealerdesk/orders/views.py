from __future__ import annotations

import uuid
from decimal import Decimal
from typing import IO, Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dealerdesk.accounts.models import User
from dealerdesk.catalog.models import Warehouse
from dealerdesk.catalog.search import search_product_ids
from dealerdesk.catalog.selectors import products_by_ids
from dealerdesk.companies.selectors import (
    access_legal_entity,
    legal_entities_for_scope,
    request_supplier_settings,
)
from dealerdesk.core.xlsx import xlsx_response
from dealerdesk.orders import selectors, services
from dealerdesk.orders.cancelled_items import cancelled_items_response
from dealerdesk.orders.models import DeliveryMethod, OrderStatus
from dealerdesk.orders.paste import (
    Columns,
    PastedLine,
    PasteError,
    lines_as_text,
    parse_pasted_text,
    parse_quantity,
    read_workbook,
)
from dealerdesk.pricing.strategy import PricingStrategy, request_strategy
from dealerdesk.tenancy.http import ScopedRequest, dealer_view
from dealerdesk.tenancy.rights import Right

LINES_PER_PAGE = 1000


def _ordering_strategy(request: ScopedRequest) -> PricingStrategy:
    """Prices are needed to order even for an employee who may not see them on screen."""
    strategy = request_strategy(request)
    if strategy.prices_visible:
        return strategy
    return PricingStrategy.for_scope(request.scope, supplier=request_supplier_settings(request))


def _cart(request: ScopedRequest) -> selectors.Cart:
    return selectors.cart_for(
        selectors.draft_for(request.scope),
        strategy=request_strategy(request),
        supplier=request_supplier_settings(request),
    )


def _lines_context(request: ScopedRequest, cart: selectors.Cart) -> dict[str, Any]:
    query = request.GET.get("q", "").strip()
    try:
        offset = max(int(request.GET.get("offset", "0")), 0)
    except ValueError:
        offset = 0
    matching = cart.matching(query)
    shown = matching[offset : offset + LINES_PER_PAGE]
    return {
        "cart": cart,
        "query": query,
        "lines": shown,
        "matching_count": len(matching),
        "next_offset": offset + LINES_PER_PAGE if len(matching) > offset + LINES_PER_PAGE else None,
        "offset": offset,
    }


def _quantity(raw: str | None) -> Decimal | None:
    return parse_quantity(raw or "")


@require_GET
@dealer_view(right=Right.PLACE_ORDERS)
def cart(request: ScopedRequest) -> HttpResponse:
    current = _cart(request)
    draft = current.draft
    entity = access_legal_entity(request.scope, request.scope.legal_entity_id or 0)
    return render(
        request,
        "orders/cart.html",
        {
            **_lines_context(request, current),
            "legal_entity": entity,
            "delivery_methods": DeliveryMethod.objects.filter(is_active=True),
            "warehouses": Warehouse.objects.filter(is_active=True),
            "checkout": {
                "delivery_method_id": draft.delivery_method_id if draft else None,
                "pickup_warehouse_id": draft.pickup_warehouse_id if draft else None,
                "delivery_address": (draft.delivery_address if draft else "")
                or entity.postal_address
                or entity.legal_address,
                "comment": draft.comment if draft else "",
                "customer_reference": draft.customer_reference if draft else "",
            },
            "submission_key": uuid.uuid4(),
        },
    )


@require_GET
@dealer_view(right=Right.PLACE_ORDERS)
def cart_lines(request: ScopedRequest) -> HttpResponse:
    """The lines table alone: search within the order (F7) and "show more"."""
    template = "orders/_cart_more.html" if request.GET.get("offset") else "orders/_cart_lines.html"
    return render(request, template, _lines_context(request, _cart(request)))


def _changed_response(
    request: ScopedRequest,
    *,
    line_id: int | None,
    message: str = "",
    level: str = "success",
    is_new: bool = False,
) -> HttpResponse:
    """After a change: the changed row (if any), fresh totals, and a note for the dealer."""
    current = _cart(request)
    line = next((line for line in current.lines if line.id == line_id), None)
    return render(
        request,
        "orders/_cart_changed.html",
        {
            "cart": current,
            "line": line,
            "is_new": is_new,
            "removed_line_id": None if line else line_id,
            "note": message,
            "note_level": level,
        },
    )


@require_POST
@dealer_view(right=Right.PLACE_ORDERS)
def cart_add(request: ScopedRequest) -> HttpResponseBase:
    quantity = _quantity(request.POST.get("quantity")) or Decimal(0)
    try:
        product_id = int(request.POST.get("product", ""))
        was_in_cart = product_id in _in_cart(request)
        result = services.draft_add(
            scope=request.scope, user=request.user, product_id=product_id, quantity=quantity
        )
    except ValueError:
        return _refused(request, _("Choose a product first."))
    except ValidationError as error:
        return _refused(request, " ".join(error.messages))
    note = _("%(code)s: %(quantity)s %(unit)s added.") % {
        "code": result.product.code,
        "quantity": result.added.normalize(),
        "unit": result.product.unit,
    }
    if result.rounded:
        note += " " + _("Rounded up to the pack of %(pack)s.") % {
            "pack": result.product.pack_multiplicity.normalize()
        }
    if not request.htmx:
        messages.success(request, note)
        return redirect(_safe_next(request))
    if request.POST.get("context") == "catalog":
        # Added from a catalog page: there is no cart on the page to update, only a note.
        link = reverse("orders:cart")
        return render(
            request,
            "orders/_cart_note.html",
            {"note": note, "note_level": "success", "cart_link": link, "oob": True},
        )
    draft = selectors.draft_for(request.scope)
    line_id = (
        draft.lines.filter(product_id=product_id).values_list("id", flat=True).first()
        if draft
        else None
    )
    return _changed_response(request, line_id=line_id, message=note, is_new=not was_in_cart)


def _safe_next(request: ScopedRequest) -> str:
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("orders:cart")


def _refused(request: ScopedRequest, message: str) -> HttpResponseBase:
    if not request.htmx:
        messages.error(request, message)
        return redirect(_safe_next(request))
    return render(
        request,
        "orders/_cart_note.html",
        {"note": message, "note_level": "danger", "oob": True},
        status=422,
    )


@require_POST
@dealer_view(right=Right.PLACE_ORDERS)
def cart_line_quantity(request: ScopedRequest, line_id: int) -> HttpResponseBase:
    selectors.access_draft_line(request.scope, line_id)
    quantity = _quantity(request.POST.get("quantity"))
    if quantity is None:
        return _changed_response(
            request, line_id=line_id, message=_("Enter a number."), level="danger"
        )
    try:
        result = services.draft_line_set_quantity(
            scope=request.scope,
            user=request.user,
            line_id=line_id,
            quantity=quantity,
            expected=_quantity(request.POST.get("expected")),
        )
    except services.CartConflictError as conflict:
        return _changed_response(request, line_id=line_id, message=str(conflict), level="warning")
    except ValidationError as error:
        return _changed_response(
            request, line_id=line_id, message=" ".join(error.messages), level="danger"
        )
    note = ""
    if result.rounded:
        note = _("%(code)s: rounded up to the pack of %(pack)s.") % {
            "code": result.product.code,
            "pack": result.product.pack_multiplicity.normalize(),
        }
    return _changed_response(request, line_id=line_id, message=note, level="info")


@require_POST
@dealer_view(right=Right.PLACE_ORDERS)
def cart_line_remove(request: ScopedRequest, line_id: int) -> HttpResponseBase:
    selectors.access_draft_line(request.scope, line_id)
    services.draft_line_remove(scope=request.scope, user=request.user, line_id=line_id)
    if not request.htmx:
        return redirect("orders:cart")
    return _changed_response(request, line_id=line_id)


@require_POST
@dealer_view(right=Right.PLACE_ORDERS)
def cart_clear(request: ScopedRequest) -> HttpResponseBase:
    services.draft_clear(scope=request.scope, user=request.user)
    messages.info(request, _("The order was cleared."))
    if request.htmx:
        return HttpResponse(headers={"HX-Redirect": reverse("orders:cart")})
    return redirect("orders:cart")


@require_GET
@dealer_view(right=Right.PLACE_ORDERS)
def cart_suggest(request: ScopedRequest) -> HttpResponse:
    """Quick add by code (F8): products whose code or name contains the text, as you type."""
    query = request.GET.get("q", "")
    ids = search_product_ids(query, limit=settings.DEALERDESK["SEARCH_RESULT_LIMIT"])
    products = products_by_ids(ids)
    purchase = request_strategy(request).fetch_for_products(products)
    return render(
        request,
        "orders/_quick_add_suggestions.html",
        {"query": query.strip(), "rows": [(product, purchase[product.id]) for product in products]},
    )


# --- Pasted lists and spreadsheets ----------------------------------------------------------


def _pasted_lines(request: ScopedRequest) -> tuple[list[PastedLine], str, dict[str, Any]]:
    """The lines of the submitted text or workbook; raises PasteError for unusable input."""
    upload = request.FILES.get("file")
    if upload is None:
        text = request.POST.get("text", "")
        return parse_pasted_text(text), text, {}
    # An UploadedFile reads and seeks like the binary file read_workbook expects.
    sheet = read_workbook(cast(IO[bytes], upload), size=upload.size or 0)
    chosen = None
    code_column = request.POST.get("code_column", "")
    if code_column.isdigit():
        quantity_column = request.POST.get("quantity_column", "")
        chosen = Columns(
            code=int(code_column),
            quantity=int(quantity_column) if quantity_column.isdigit() else None,
        )
    lines = sheet.lines(chosen)
    width = max((len(cells) for _number, cells in sheet.rows), default=0)
    columns = chosen or sheet.columns
    # The sheet goes into the paste box as "code<TAB>quantity" lines (unreadable rows as they
    # were), so adding it is the same action as adding a pasted list.
    text = "\n".join(
        f"{line.code}\t{line.quantity}" if line.is_readable else line.text for line in lines
    )
    return (
        lines,
        text,
        {
            "sheet": sheet,
            "file_name": upload.name,
            "column_choices": [
                (index, (sheet.header[index] if sheet.header and index < len(sheet.header) else ""))
                for index in range(width)
            ],
            "columns": columns,
        },
    )


def _in_cart(request: ScopedRequest) -> dict[int, Decimal]:
    draft = selectors.draft_for(request.scope)
    if draft is None:
        return {}
    return dict(draft.lines.values_list("product_id", "quantity"))


@require_POST
@dealer_view(right=Right.PLACE_ORDERS)
def paste_preview(request: ScopedRequest) -> HttpResponse:
    try:
        lines, text, extra = _pasted_lines(request)
    except PasteError as error:
        return render(request, "orders/_paste_error.html", {"error": str(error)}, status=422)
    preview = selectors.paste_preview(
        lines, strategy=_ordering_strategy(request), in_cart=_in_cart(request)
    )
    return render(
        request, "orders/_paste_preview.html", {"preview": preview, "text": text, **extra}
    )


@require_POST
@dealer_view(right=Right.PLACE_ORDERS)
def paste_apply(request: ScopedRequest) -> HttpResponse:
    try:
        lines, _text, extra = _pasted_lines(request)
    except PasteError as error:
        return render(request, "orders/_paste_error.html", {"error": str(error)}, status=422)
    try:
        result = services.draft_apply_paste(
            scope=request.scope,
            user=request.user,
            pasted=lines,
            strategy=_ordering_strategy(request),
        )
    except ValidationError as error:
        return render(
            request, "orders/_paste_error.html", {"error": " ".join(error.messages)}, status=422
        )
    response = render(
        request,
        "orders/_paste_applied.html",
        {
            "preview": result.preview,
            "added_products": result.added_products,
            "remaining_text": lines_as_text(line.pasted for line in result.preview.problems),
            **extra,
        },
    )
    response["HX-Trigger"] = "cart-changed"  # the lines table reloads itself
    return response


# --- Checkout -------------------------------------------------------------------------------


def _int_or_none(raw: str | None) -> int | None:
    try:
        return int(raw or "")
    except ValueError:
        return None


@require_POST
@dealer_view(right=Right.PLACE_ORDERS)
def checkout(request: ScopedRequest) -> HttpResponseBase:
    post = request.POST
    try:
        submission_key = uuid.UUID(post.get("submission_key", ""))
    except ValueError:
        submission_key = uuid.uuid4()
    form = services.Checkout(
        delivery_method_id=_int_or_none(post.get("delivery_method")),
        pickup_warehouse_id=_int_or_none(post.get("pickup_warehouse")),
        delivery_address=post.get("delivery_address", ""),
        comment=post.get("comment", ""),
        customer_reference=post.get("customer_reference", ""),
        submission_key=submission_key,
        cart_version=_int_or_none(post.get("cart_version")) or 0,
    )
    try:
        order = services.order_submit(scope=request.scope, user=request.user, checkout=form)
    except (ValidationError, services.CartConflictError) as problem:
        services.draft_update_checkout(
            scope=request.scope,
            user=request.user,
            delivery_method_id=form.delivery_method_id,
            pickup_warehouse_id=form.pickup_warehouse_id,
            delivery_address=form.delivery_address,
            comment=form.comment,
            customer_reference=form.customer_reference,
        )
        text = " ".join(problem.messages) if isinstance(problem, ValidationError) else str(problem)
        messages.error(request, text)
        return redirect("orders:cart")
    messages.success(
        request, _("Order %(number)s is placed; its invoice is ready.") % {"number": order.number}
    )
    return redirect("orders:order_detail", order_id=order.id)


@require_GET
@dealer_view
def order_detail(request: ScopedRequest, order_id: int) -> HttpResponse:
    order = selectors.access_order(request.scope, order_id)
    return render(
        request,
        "orders/order_detail.html",
        {
            "detail": selectors.order_detail(request.scope, order),
            "order": order,
            "prices_visible": request.scope.has_right(Right.SEE_PRICES, order.legal_entity_id),
            "can_reorder": request.scope.has_right(Right.PLACE_ORDERS),
            "can_claim": request.scope.has_right(Right.MANAGE_CLAIMS, order.legal_entity_id),
            "finance_visible": request.scope.has_right(Right.SEE_FINANCE, order.legal_entity_id),
        },
    )


# --- The journal and what happens after placing ---------------------------------------------

JOURNAL_PAGE_SIZE = 50
EXPORT_ROW_LIMIT = 50_000


def _journal_choices(request: ScopedRequest) -> dict[str, Any]:
    scope = request.scope
    return {
        "statuses": OrderStatus.objects.all(),
        "entities": legal_entities_for_scope(scope),
        "authors": (
            User.objects.filter(dealer=scope.dealer_id).order_by("full_name")
            if scope.dealer_id is not None
            else User.objects.none()
        ),
    }


@require_GET
@dealer_view
def order_list(request: ScopedRequest) -> HttpResponse:
    filters = selectors.JournalFilters.from_query(request.GET)
    paginator = Paginator(selectors.order_journal(request.scope, filters), JOURNAL_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "orders/order_list.html",
        {
            "filters": filters,
            "page": page,
            "prices_visible": request.scope.has_right(Right.SEE_PRICES),
            **_journal_choices(request),
        },
    )


@require_GET
@dealer_view
def order_export(request: ScopedRequest) -> HttpResponse:
    """The journal's filtered list as .xlsx (at most 50,000 rows)."""
    filters = selectors.JournalFilters.from_query(request.GET)
    orders = selectors.order_journal(request.scope, filters)[:EXPORT_ROW_LIMIT]
    show_amounts = request.scope.has_right(Right.SEE_PRICES)
    rows = (
        [
            order.number,
            order.erp_number,
            order.placed_at,
            order.legal_entity.name,
            order.legal_entity.inn,
            order.author.full_name if order.author else _("manager (ERP)"),
            order.status.display_name,
            order.amount_with_vat if show_amounts else None,
            order.delivery_method.display_name if order.delivery_method else "",
            order.customer_reference,
        ]
        for order in orders
    )
    return xlsx_response(
        file_name=f"orders-{timezone.localdate():%Y-%m-%d}.xlsx",
        title=_("Orders"),
        header=[
            _("Number"),
            _("ERP number"),
            _("Placed"),
            _("Legal entity"),
            _("INN"),
            _("Author"),
            _("Status"),
            _("Amount with VAT"),
            _("Receiving"),
            _("Your order number"),
        ],
        rows=rows,
        widths=[14, 14, 18, 36, 14, 26, 18, 16, 24, 18],
    )


@require_POST
@dealer_view
def order_note(request: ScopedRequest, order_id: int) -> HttpResponse:
    order = selectors.access_order(request.scope, order_id)
    note = services.order_note_save(
        user=request.user, order=order, text=request.POST.get("text", "")
    )
    if not request.htmx:
        return redirect("orders:order_detail", order_id=order.id)
    return render(request, "orders/_order_note.html", {"order": order, "note": note, "saved": True})


@dealer_view(right=Right.PLACE_ORDERS)
def order_reorder(request: ScopedRequest, order_id: int) -> HttpResponseBase:
    """Put an order's lines into the current draft: a preview first, then the copy."""
    order = selectors.access_order(request.scope, order_id)
    lines = services.reorder_lines(order)
    if request.method == "POST":
        result = services.draft_apply_paste(
            scope=request.scope,
            user=request.user,
            pasted=lines,
            strategy=_ordering_strategy(request),
        )
        messages.success(
            request,
            _("%(count)s products of order %(number)s are in your new order.")
            % {"count": result.added_products, "number": order.number},
        )
        for problem in result.preview.problems:
            messages.warning(request, f"{problem.pasted.code}: {problem.message}")
        return redirect("orders:cart")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    preview = selectors.paste_preview(
        lines, strategy=_ordering_strategy(request), in_cart=_in_cart(request)
    )
    return render(request, "orders/reorder.html", {"order": order, "preview": preview})


@require_GET
@dealer_view
def order_cancelled_items(request: ScopedRequest, order_id: int) -> HttpResponse:
    """The list of cancelled items as a PDF, for orders whose ERP sent no such document."""
    order = selectors.access_order(request.scope, order_id)
    return cancelled_items_response(order, request_supplier_settings(request))
