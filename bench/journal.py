"""Journal figures (issue 4): the first page and a search by number with 10,000 orders of one
dealer, server time through the whole Django stack."""

from __future__ import annotations

import datetime
import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.test import Client
from django.utils import timezone

ORDERS = 10_000
BENCH_PREFIX = "BENCH-"


def _ensure_orders(dealer_id: int) -> None:
    """Top the dealer's journal up to 10,000 orders (written in bulk, once per data set)."""
    from dealerdesk.catalog.models import Product
    from dealerdesk.companies.models import LegalEntity
    from dealerdesk.orders.models import Order, OrderLine, OrderStatus

    missing = ORDERS - Order.objects.filter(dealer_id=dealer_id).count()
    if missing <= 0:
        return
    rng = random.Random(4)
    entities = list(LegalEntity.objects.filter(dealer_id=dealer_id))
    statuses = list(OrderStatus.objects.all())
    products = list(Product.objects.filter(is_active=True).order_by("id")[:500])
    now = timezone.now()
    with transaction.atomic():
        orders = Order.objects.bulk_create(
            [
                Order(
                    number=f"{BENCH_PREFIX}{number:06d}",
                    erp_number=f"ЗК-9{number:06d}",
                    source=Order.Source.ERP if number % 3 == 0 else Order.Source.PORTAL,
                    dealer_id=dealer_id,
                    legal_entity=rng.choice(entities),
                    status=rng.choice(statuses),
                    vat_rate=Decimal(22),
                    amount_without_vat=Decimal("819.67"),
                    vat_amount=Decimal("180.33"),
                    amount_with_vat=Decimal("1000.00"),
                    placed_at=now - datetime.timedelta(minutes=number * 50),
                )
                for number in range(missing)
            ],
            batch_size=1000,
        )
        OrderLine.objects.bulk_create(
            [
                OrderLine(
                    order=order,
                    position=position,
                    product=product,
                    code=product.code,
                    name=product.name,
                    unit=product.unit,
                    quantity=Decimal(2),
                    base_price=Decimal(500),
                    price=Decimal(500),
                    amount=Decimal(1000),
                    vat_rate=Decimal(22),
                    vat_amount=Decimal("180.33"),
                )
                for order in orders
                for position, product in enumerate(rng.sample(products, 3), start=1)
            ],
            batch_size=2000,
        )


def median_ms(action: Callable[[], object], repeats: int) -> float:
    action()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def measure_journal(report: Callable[[str, float, str], None], suffix: str) -> None:
    from dealerdesk.accounts.models import User
    from dealerdesk.orders.models import Order

    superuser = User.objects.filter(is_dealer_superuser=True, is_active=True).order_by("id").first()
    if superuser is None or superuser.dealer_id is None:
        raise SystemExit("bench: the data set has no dealer superuser")
    _ensure_orders(superuser.dealer_id)
    client = Client(raise_request_exception=True)
    client.force_login(superuser)

    def name(base: str) -> str:
        return base if suffix == "sqlite" else f"{base}_{suffix}"

    report(
        name("journal_orders"),
        Order.objects.filter(dealer_id=superuser.dealer_id).count(),
        "orders",
    )
    report(name("journal_first_page_ms"), median_ms(lambda: client.get("/orders/"), 15), "ms")
    numbers = list(
        Order.objects.filter(dealer_id=superuser.dealer_id).values_list("number", flat=True)[:2000]
    )
    rng = random.Random(5)
    parts = [number[-rng.randint(3, 5) :] for number in rng.sample(numbers, 20)]
    searches = iter(parts * 2)
    report(
        name("journal_search_ms"),
        median_ms(lambda: client.get("/orders/", {"number": next(searches)}), 19),
        "ms",
    )
