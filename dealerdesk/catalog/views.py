from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dealerdesk.catalog import selectors
from dealerdesk.catalog.search import search_product_ids
from dealerdesk.documents.files import protected_file_response
from dealerdesk.pricing.strategy import request_strategy
from dealerdesk.tenancy.http import ScopedRequest, dealer_view, signed_in_view


def _positive_int(raw: str | None, default: int | None = None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return default
    return value if value > 0 else default


@require_GET
@dealer_view
def product_list(request: ScopedRequest, category_id: int | None = None) -> HttpResponse:
    category = selectors.access_category(request.scope, category_id) if category_id else None
    filters = selectors.ProductFilters(
        category=category,
        brand_id=_positive_int(request.GET.get("brand")),
        in_stock_only=request.GET.get("stock") == "1",
        query=request.GET.get("q", "").strip(),
    )
    page = selectors.product_page(
        filters,
        page=_positive_int(request.GET.get("page"), 1) or 1,
        page_size=settings.DEALERDESK["CATALOG_PAGE_SIZE"],
    )
    purchase = request_strategy(request).fetch_for_products(page.products)
    return render(
        request,
        "catalog/product_list.html",
        {
            "category": category,
            "breadcrumbs": selectors.category_breadcrumbs(category) if category else [],
            "sidebar": selectors.category_sidebar(category),
            "subcategories": selectors.category_children(category),
            "brands": selectors.brands_in(category),
            "filters": filters,
            "page": page,
            "rows": [(product, purchase[product.id]) for product in page.products],
        },
    )


@require_GET
@dealer_view
def product_detail(request: ScopedRequest, product_id: int) -> HttpResponse:
    product = selectors.access_product(request.scope, product_id)
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "purchase": request_strategy(request).fetch_for_product(product),
            "breadcrumbs": (
                selectors.category_breadcrumbs(product.category) if product.category else []
            ),
            "documents": selectors.product_documents(product),
        },
    )


@require_GET
@dealer_view
def search_suggestions(request: ScopedRequest) -> HttpResponse:
    """The top matches as you type, with the current legal entity's price and stock."""
    query = request.GET.get("q", "")
    product_ids = search_product_ids(query, limit=settings.DEALERDESK["SEARCH_RESULT_LIMIT"])
    products = selectors.products_by_ids(product_ids)
    purchase = request_strategy(request).fetch_for_products(products)
    return render(
        request,
        "catalog/_search_suggestions.html",
        {
            "query": query.strip(),
            "rows": [(product, purchase[product.id]) for product in products],
        },
    )


@require_GET
@signed_in_view
def product_document_download(request: ScopedRequest, document_id: int) -> HttpResponseBase:
    document = selectors.access_product_document(request.scope, document_id)
    return protected_file_response(
        document.file, download_name=document.file_name, content_type=document.content_type
    )
