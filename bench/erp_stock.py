"""ERP stock figure (issue 6): a delta batch of 50,000 stock rows (existing products across the
warehouses, new quantities) received through the same path as `POST /api/erp/v1/stock`:
parsing, validation, reference lookups, the journal entry and the upsert."""

from __future__ import annotations

import itertools
import json
import random
import uuid
from collections.abc import Callable

from bench.journal import median_ms

ROWS = 50_000
RUNS = 5
CLIENT_NAME = "bench: ERP stock"


def _stock_body(pairs: list[tuple[str, str]], rng: random.Random) -> bytes:
    items = [
        {"product_id": product, "warehouse_id": warehouse, "quantity": str(rng.randint(0, 5000))}
        for product, warehouse in pairs
    ]
    return json.dumps({"items": items}, ensure_ascii=False).encode()


def measure_erp_stock(report: Callable[[str, float, str], None], suffix: str) -> None:
    from dealerdesk.catalog.models import Product, Warehouse
    from dealerdesk.erp import resources
    from dealerdesk.erp.batches import batch_receive
    from dealerdesk.erp.models import ErpClient
    from dealerdesk.erp.registry import RESOURCES
    from dealerdesk.erp.services import erp_client_create

    resources.load()
    warehouses = list(
        Warehouse.objects.exclude(erp_id=None).order_by("id").values_list("erp_id", flat=True)
    )
    if not warehouses:
        raise SystemExit("bench: the data set has no warehouses with an ERP id")
    # A delta carries the products whose stock changed: spread over the whole catalog, not
    # the first few thousand by id.
    wanted_products = -(-ROWS // len(warehouses))
    rng = random.Random(6)
    highest = Product.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sample = sorted(rng.sample(range(1, highest + 1), min(highest, wanted_products)))
    products: list[str | None] = []
    for start in range(0, len(sample), 900):
        products += Product.objects.filter(id__in=sample[start : start + 900]).values_list(
            "erp_id", flat=True
        )
    pairs = [
        (product, warehouse)
        for product, warehouse in itertools.product(products, warehouses)
        if product and warehouse
    ][:ROWS]
    if len(pairs) < ROWS:
        raise SystemExit(f"bench: the data set gives {len(pairs)} stock rows, not {ROWS}")
    client = (
        ErpClient.objects.filter(name=CLIENT_NAME).first()
        or erp_client_create(name=CLIENT_NAME).client
    )
    # New quantities and a new key every run (the warm-up included): each run writes, none is
    # a replay. Bodies are built beforehand: the ERP sends bytes, it is not timed building them.
    bodies = iter([_stock_body(pairs, rng) for _ in range(RUNS + 1)])

    def push() -> None:
        answer = batch_receive(
            client=client,
            resource=RESOURCES["stock"],
            idempotency_key=f"bench-stock-{uuid.uuid4()}",
            body=next(bodies),
            content_type="application/json",
        )
        if answer.status != 200:
            raise SystemExit(f"bench: the stock batch was refused: {answer.body}")

    def name(base: str) -> str:
        return base if suffix == "sqlite" else f"{base}_{suffix}"

    report(name("erp_stock_delta_50k_ms"), median_ms(push, RUNS), "ms")
