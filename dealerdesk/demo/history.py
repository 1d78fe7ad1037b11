"""A year of order history for the demo dealers, through the same services the ERP will call.

Dealer A ("Электромонтаж-Центр") gets a few hundred orders over its three legal entities:
placed in the portal by its employees (with invoices for the recent ones) and entered by
managers in the ERP, moving through the statuses, with needs, cancellations, shipments,
shipping documents and a few claims. The other dealers get a handful each.
"""

from __future__ import annotations

import datetime
import random
import uuid
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from dealerdesk.accounts.models import User
from dealerdesk.catalog.models import IncomingSupply, Product, Warehouse
from dealerdesk.companies.models import Dealer, LegalEntity, SupplierSettings
from dealerdesk.documents.pdf import render_pdf
from dealerdesk.documents.services import document_attach
from dealerdesk.orders import services as order_services
from dealerdesk.orders.invoice import invoice_create
from dealerdesk.orders.models import DeliveryMethod, Need, Order, OrderLine
from dealerdesk.pricing.strategy import PricingStrategy
from dealerdesk.shipments.models import Claim, ShipmentLine
from dealerdesk.shipments.services import (
    ShipmentLineData,
    claim_file,
    claim_status_set,
    shipment_upsert,
)

HISTORY_MARKER = "demo-order-"  # erp_id prefix of the demo's ERP orders
DEALER_A_ORDERS = 240
OTHER_DEALER_ORDERS = 6
INVOICED_RECENT_ORDERS = 20
# Status codes in the order an order moves through them (see the orders data migration).
STATUS_PATH = ["new", "confirmed", "assembling", "ready", "shipped", "completed"]


def demo_history_exists() -> bool:
    return Order.objects.filter(erp_id__startswith=HISTORY_MARKER).exists()


def dealer_a_order_count(products: int) -> int:
    """A full year for a real catalog; a few dozen orders for the small test catalogs."""
    return max(20, min(DEALER_A_ORDERS, products // 10))


def other_dealer_order_count(products: int) -> int:
    return OTHER_DEALER_ORDERS if products >= 5_000 else 1


def create_history(*, products: int, seed: int = 2026) -> int:
    """Create the demo's orders; returns how many. Call inside the demo's transaction."""
    rng = random.Random(f"{seed}/history")
    catalog = list(
        Product.objects.filter(is_active=True, base_prices__isnull=False)
        .distinct()
        .order_by("id")[:3000]
    )
    if not catalog:
        return 0
    warehouses = list(Warehouse.objects.filter(is_active=True))
    methods = list(DeliveryMethod.objects.all())
    supplier = SupplierSettings.objects.get(pk=1)
    created = invoiced = 0
    dealer_a = Dealer.objects.get(erp_id="demo-dealer-a")
    for dealer in Dealer.objects.order_by("id"):
        is_dealer_a = dealer.id == dealer_a.id
        count = (
            dealer_a_order_count(products) if is_dealer_a else other_dealer_order_count(products)
        )
        entities = list(dealer.legal_entities.filter(is_active=True))
        authors = list(
            User.objects.filter(
                dealer=dealer, is_active=True, memberships__place_orders=True
            ).distinct()
        )
        if not entities:
            continue
        for number in range(count):
            age_days = rng.uniform(0, 360) * (number + 1) / count
            placed_at = timezone.now() - datetime.timedelta(
                days=age_days, minutes=rng.randint(0, 600)
            )
            entity = rng.choice(entities)
            method = rng.choice(methods) if methods else None
            lines = _pick_lines(rng, catalog, entity, supplier)
            if not lines:
                continue
            from_portal = bool(authors) and rng.random() < 0.7
            order = order_services.order_erp_upsert(
                erp_id=f"{HISTORY_MARKER}{dealer.id}-{number}",
                erp_number=f"ЗК-{dealer.id:02d}{number:05d}",
                legal_entity=entity,
                placed_at=placed_at,
                status_code="new",
                lines=lines,
                delivery_method_code=method.code if method else "",
                delivery_address=entity.legal_address
                if method and method.kind == DeliveryMethod.Kind.DELIVERY
                else "",
            )
            if from_portal:
                order.source = Order.Source.PORTAL
                order.author = rng.choice(authors)
                order.customer_reference = rng.choice(["", "", f"PO-{rng.randint(1000, 9999)}"])
                order.pickup_warehouse = rng.choice(warehouses) if warehouses else None
                order.submission_key = uuid.uuid4()
                order.save()
            _advance(rng, order, age_days, warehouses, with_documents=is_dealer_a)
            invoices_wanted = INVOICED_RECENT_ORDERS if products >= 5_000 else 2
            if from_portal and age_days < 30 and invoiced < invoices_wanted:
                invoiced += 1
                invoice_create(
                    order=order, lines=list(order.lines.order_by("position")), supplier=supplier
                )
            created += 1
    _claims(rng, dealer_a)
    return created


def _pick_lines(
    rng: random.Random, products: list[Product], entity: LegalEntity, supplier: SupplierSettings
) -> list[order_services.ErpOrderLine]:
    chosen = rng.sample(products, k=min(len(products), rng.randint(1, 12)))
    prices = PricingStrategy.for_legal_entity(entity, supplier=supplier).prices_for(chosen)
    lines = []
    for product in chosen:
        price = prices.get(product.id)
        if price is None:
            continue
        packs = rng.choice([1, 1, 2, 3, 5, 10, 20])
        lines.append(
            order_services.ErpOrderLine(
                product=product, quantity=product.pack_multiplicity * packs, price=price.net
            )
        )
    return lines


def _advance(
    rng: random.Random,
    order: Order,
    age_days: float,
    warehouses: list[Warehouse],
    *,
    with_documents: bool,
) -> None:
    """Move an order along as time would have: older orders further, some cancelled."""
    if age_days < 1:
        steps = 0
    elif age_days < 7:
        steps = rng.randint(1, 3)
    else:
        steps = len(STATUS_PATH) - 1
    if age_days > 3 and rng.random() < 0.06:
        order_services.order_status_set(
            order=order,
            status_code="cancelled",
            changed_at=order.placed_at + datetime.timedelta(hours=5),
            comment="Отменён по просьбе покупателя",
            notify=False,
        )
        return
    for step in range(1, steps + 1):
        order_services.order_status_set(
            order=order,
            status_code=STATUS_PATH[step],
            changed_at=order.placed_at + datetime.timedelta(hours=6 * step),
            notify=False,
        )
    lines = list(order.lines.select_related("product").order_by("position"))
    if rng.random() < 0.15 and len(lines) > 1:
        order_services.order_line_cancel(
            line=lines[-1], quantity=lines[-1].quantity, reason="Снято с производства"
        )
    if rng.random() < 0.3:
        _need(rng, order, lines[0], age_days, warehouses)
    if steps >= STATUS_PATH.index("shipped"):
        _ship(order, lines, warehouses, with_documents=with_documents)


def _need(
    rng: random.Random,
    order: Order,
    line: OrderLine,
    age_days: float,
    warehouses: list[Warehouse],
) -> None:
    """The part of the line stock did not cover. Recent needs wait for a manager; older ones
    were answered with a date. The product gets an incoming supply when it has none, as the
    ERP's supply schedule would show, so a manager has somewhere to reserve it."""
    need_quantity = max(line.quantity // 2, line.product.pack_multiplicity)
    line.need_quantity = need_quantity
    line.save(update_fields=["need_quantity"])
    answered = age_days > 10
    need = Need.objects.create(
        order=order,
        order_line=line,
        product=line.product,
        dealer_id=order.dealer_id,
        legal_entity=order.legal_entity,
        quantity=need_quantity,
        status=Need.Status.DATED if answered else Need.Status.OPEN,
        expected_date=(order.placed_at + datetime.timedelta(days=rng.randint(7, 30))).date()
        if answered
        else None,
        answer_comment="Ожидаем поставку от производителя" if answered else "",
        answered_at=order.placed_at + datetime.timedelta(days=1) if answered else None,
    )
    Need.objects.filter(pk=need.pk).update(created_at=order.placed_at)
    if not answered and warehouses and not IncomingSupply.objects.filter(product=line.product):
        IncomingSupply.objects.create(
            product=line.product,
            warehouse=warehouses[0],
            expected_date=timezone.localdate() + datetime.timedelta(days=rng.randint(4, 25)),
            quantity=need_quantity * rng.choice([1, 2, 3, 5]),
        )


def _ship(
    order: Order, lines: list[OrderLine], warehouses: list[Warehouse], *, with_documents: bool
) -> None:
    shipped = [line for line in lines if line.active_quantity > 0]
    if not shipped:
        return
    shipment = shipment_upsert(
        erp_id=f"demo-shipment-{order.id}",
        number=f"РН-{order.id:06d}",
        shipped_at=order.placed_at + datetime.timedelta(days=2),
        legal_entity=order.legal_entity,
        order=order,
        warehouse=warehouses[order.id % len(warehouses)] if warehouses else None,
        lines=[
            ShipmentLineData(
                product=line.product,
                quantity=line.active_quantity,
                price=line.price,
                order_line=line,
            )
            for line in shipped
        ],
    )
    if with_documents and order.id % 4 == 0:
        document_attach(
            type_code="upd",
            legal_entity=order.legal_entity,
            order=order,
            shipment=shipment,
            title=f"УПД № {shipment.number} от {shipment.shipped_at:%d.%m.%Y}",
            number=shipment.number,
            date=shipment.shipped_at.date(),
            file=ContentFile(_upd_pdf(order, shipment.number)),
            file_name=f"upd-{shipment.number}.pdf",
            erp_id=f"demo-upd-{order.id}",
        )


def _upd_pdf(order: Order, number: str) -> bytes:
    """A stand-in for the ERP's shipping document: a one-page PDF naming it."""
    return render_pdf("demo/erp_document.html", {"order": order, "number": number})


def _claims(rng: random.Random, dealer: Dealer) -> None:
    superuser = User.objects.filter(dealer=dealer, is_dealer_superuser=True).first()
    if superuser is None:
        return
    shipments = list(
        Order.objects.filter(dealer=dealer, shipments__isnull=False)
        .values_list("shipments__lines__id", flat=True)
        .distinct()[:40]
    )
    for index, line_id in enumerate(rng.sample(shipments, k=min(4, len(shipments)))):
        line = ShipmentLine.objects.select_related("shipment").get(id=line_id)
        claim = claim_file(
            user=superuser,
            shipment_line=line,
            reason=[
                Claim.Reason.DEFECT,
                Claim.Reason.SHORTAGE,
                Claim.Reason.DAMAGED,
                Claim.Reason.WRONG_ITEM,
            ][index],
            quantity=min(line.quantity, Decimal(1)),
            description=[
                "Автомат не взводится, при включении сразу отключается.",
                "В коробке на 2 шт. меньше, чем в накладной.",
                "Корпус треснул, упаковка была повреждена при приёмке.",
                "Вместо характеристики C пришла B.",
            ][index],
        )
        if index == 0:
            claim_status_set(
                claim=claim,
                status=Claim.Status.IN_REVIEW,
                comment="Передали в сервисный центр на проверку.",
            )
        if index == 1:
            claim_status_set(
                claim=claim,
                status=Claim.Status.ACCEPTED,
                comment="Недостачу довезём со следующей отгрузкой.",
            )
