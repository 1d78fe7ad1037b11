"""Ordering figures (issue 3): the paste preview and apply of 1,000 lines, the order page
with 1,000 lines, and placing a 100-line order with its invoice PDF, all server time through
the whole Django stack, at the catalog size of the data set."""

from __future__ import annotations

import random
import re
import statistics
import time
from collections.abc import Callable

from django.test import Client

HTMX = {"HX-Request": "true"}
REPEATS = 5


def _median_ms(
    action: Callable[[], object], *, before: Callable[[], object] | None = None
) -> float:
    samples = []
    for _ in range(REPEATS):
        if before is not None:
            before()
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _pasted_lines(count: int, seed: int) -> str:
    from dealerdesk.catalog.models import Product
    from dealerdesk.pricing.models import BasePrice

    rng = random.Random(seed)
    highest = Product.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = list({rng.randint(1, highest) for _ in range(count * 3)})
    priced = set(BasePrice.objects.filter(product_id__in=ids).values_list("product_id", flat=True))
    codes = list(
        Product.objects.filter(id__in=priced, is_active=True).values_list("code", flat=True)
    )[:count]
    return "\n".join(f"{code}\t{rng.randint(1, 40)}" for code in codes)


def measure_ordering(report: Callable[[str, float, str], None], suffix: str) -> None:
    from dealerdesk.accounts.models import User

    buyer = (
        User.objects.filter(
            is_active=True, is_dealer_superuser=False, memberships__place_orders=True
        )
        .order_by("id")
        .first()
    )
    if buyer is None:
        raise SystemExit("bench: the data set has no employee who may place orders")
    client = Client(raise_request_exception=True)
    client.force_login(buyer)

    def clear() -> None:
        client.post("/orders/cart/clear/")

    def name(base: str) -> str:
        return base if suffix == "sqlite" else f"{base}_{suffix}"

    thousand = _pasted_lines(1000, seed=11)
    client.post("/orders/cart/paste/preview/", {"text": thousand}, headers=HTMX)  # warm up
    report(
        name("paste_1000_preview_ms"),
        _median_ms(
            lambda: client.post("/orders/cart/paste/preview/", {"text": thousand}, headers=HTMX)
        ),
        "ms",
    )
    report(
        name("paste_1000_apply_ms"),
        _median_ms(
            lambda: client.post("/orders/cart/paste/apply/", {"text": thousand}, headers=HTMX),
            before=clear,
        ),
        "ms",
    )
    page_lines = client.get("/orders/cart/").content.decode().count('data-line-id="')
    if page_lines < 990:
        raise SystemExit(f"bench: the order page shows {page_lines} lines, not about 1,000")
    report(name("order_page_1000_ms"), _median_ms(lambda: client.get("/orders/cart/")), "ms")

    hundred = _pasted_lines(100, seed=12)
    checkout: dict[str, str] = {}

    def fill_cart() -> None:
        clear()
        client.post("/orders/cart/paste/apply/", {"text": hundred}, headers=HTMX)
        page = client.get("/orders/cart/").content.decode()
        checkout["submission_key"] = re.search(r'name="submission_key" value="([^"]+)"', page)[1]  # type: ignore[index]
        checkout["cart_version"] = re.search(r'id="cart-version" value="([^"]+)"', page)[1]  # type: ignore[index]
        checkout["delivery_method"] = re.search(
            r'name="delivery_method" id="method-\d+" value="(\d+)"', page
        )[1]  # type: ignore[index]
        checkout["pickup_warehouse"] = re.search(
            r'<option value="(\d+)"', page.split('id="pickup-warehouse"')[1]
        )[1]  # type: ignore[index]

    def place() -> None:
        response = client.post("/orders/cart/checkout/", checkout)
        if "/orders/cart/" in response["Location"]:
            raise SystemExit("bench: the 100-line order was refused")

    report(name("submit_100_with_invoice_ms"), _median_ms(place, before=fill_cart), "ms")
    clear()
