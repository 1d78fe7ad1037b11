"""Loading the demo data set: one call, safe to repeat."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model
from django.test import override_settings

from dealerdesk.accounts.models import Membership, User
from dealerdesk.catalog.models import Category, IncomingSupply, Product, ProductDocument, Stock
from dealerdesk.companies.models import CompanyRequest, Dealer, LegalEntity
from dealerdesk.demo import company_requests, documents, finance, history, loader, people
from dealerdesk.demo.catalog_data import PRICE_TYPES
from dealerdesk.finance.models import SettlementRecord
from dealerdesk.orders.models import Order
from dealerdesk.pricing.models import BasePrice, Discount
from dealerdesk.shipments.models import Shipment

logger = logging.getLogger(__name__)

COUNTED_MODELS: dict[str, type[Model]] = {
    "products": Product,
    "base prices": BasePrice,
    "stock rows": Stock,
    "incoming supplies": IncomingSupply,
    "product documents": ProductDocument,
    "categories": Category,
    "dealers": Dealer,
    "legal entities": LegalEntity,
    "users": User,
    "memberships": Membership,
    "discounts": Discount,
    "orders": Order,
    "shipments": Shipment,
    "settlement records": SettlementRecord,
    "company requests": CompanyRequest,
}


@dataclass(frozen=True)
class DemoResult:
    created: bool  # False: the database already held the demo data and it was reused
    personas: tuple[people.Persona, ...]
    counts: dict[str, int]  # rows per table after the load
    seconds: float


def demo_counts() -> dict[str, int]:
    return {label: model._default_manager.count() for label, model in COUNTED_MODELS.items()}


def load_demo(*, products: int, seed: int = 2026) -> DemoResult:
    """Fill the database with the demo catalog, dealers and personas, unless it has them.

    Everything is written in one transaction: an interrupted load leaves nothing behind,
    and the next run starts over. A database that already holds the demo (dealer A is
    the marker) is reused as it is, whatever `products` says. The history it makes is the
    past: nobody is e-mailed about its orders, answers and decisions.
    """
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _load_demo(products=products, seed=seed)


def _load_demo(*, products: int, seed: int) -> DemoResult:
    if products < 1:
        raise ValueError("the demo needs at least one product")
    started = time.monotonic()
    if people.demo_people_exist():
        if not history.demo_history_exists():
            # A demo loaded before order history existed gets it now, once.
            with transaction.atomic():
                history.create_history(products=products, seed=seed)
        # Later additions to the demo join a database loaded before they existed, once.
        with transaction.atomic():
            if not finance.demo_settlements_exist():
                finance.create_settlements(seed=seed)
            _load_company_requests()
        return DemoResult(False, people.PERSONAS, demo_counts(), time.monotonic() - started)

    # PDFs are rendered before the transaction: the database stays locked for less time, and
    # a file stored by an interrupted run is simply reused.
    planned_documents = documents.plan_documents()
    stored_documents = documents.store_document_files(planned_documents)
    with transaction.atomic():
        references = loader.create_references()
        people.create_supplier_settings(references.price_types[PRICE_TYPES[0].erp_id])
        # Products outlive a deleted dealer A: load them only into a catalog without them.
        if not Product.objects.filter(erp_id=loader.product_erp_id(1)).exists():
            loaded = loader.load_products(
                references,
                count=products,
                seed=seed,
                sample_size=documents.products_per_family(planned_documents),
            )
            documents.attach_documents(stored_documents, loaded.sample_product_ids)
        people.create_people(
            price_types=references.price_types,
            categories=references.categories,
            products=products,
        )
        history.create_history(products=products, seed=seed)
        finance.create_settlements(seed=seed)
        _load_company_requests()
    loader.analyze_tables()
    return DemoResult(True, people.PERSONAS, demo_counts(), time.monotonic() - started)


def _load_company_requests() -> None:
    company_requests.load_company_requests(
        requested_by=User.objects.get(email=people.DEALER_SUPERUSER.email),
        decided_by=User.objects.get(email=people.MANAGER.email),
    )
