"""Order writes: the draft (cart), pasted lists, and placing the order with its invoice."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dealerdesk.accounts.models import User
from dealerdesk.catalog.models import IncomingSupply, Product, Warehouse
from dealerdesk.companies.models import LegalEntity
from dealerdesk.companies.selectors import supplier_settings
from dealerdesk.core.formatting import format_quantity
from dealerdesk.core.services import counter_next
from dealerdesk.events.models import OutboxEvent
from dealerdesk.events.services import event_record
from dealerdesk.notifications.services import (
    notify_needs_answered,
    notify_order_placed,
    notify_order_status_changed,
)
from dealerdesk.orders import events as order_events
from dealerdesk.orders.calculation import LineAmounts, Totals, line_amounts, round_up_to_pack
from dealerdesk.orders.invoice import invoice_create
from dealerdesk.orders.models import (
    DeliveryMethod,
    DraftLine,
    DraftOrder,
    Need,
    Order,
    OrderLine,
    OrderNote,
    OrderStatus,
    OrderStatusChange,
)
from dealerdesk.orders.paste import MAX_QUANTITY, PastedLine
from dealerdesk.orders.selectors import (
    Cart,
    CartLine,
    PastePreview,
    cart_for,
    paste_preview,
    supply_reserved_quantities,
)
from dealerdesk.pricing.strategy import PricingStrategy
from dealerdesk.tenancy.rights import Right
from dealerdesk.tenancy.scope import Scope


class CartConflictError(Exception):
    """The cart changed in another tab or browser since the dealer last saw it."""

    def __init__(self, message: str, *, current_quantity: Decimal | None = None) -> None:
        super().__init__(message)
        self.current_quantity = current_quantity


def _ordering_entity(scope: Scope) -> LegalEntity:
    if scope.legal_entity_id is None or not scope.has_right(Right.PLACE_ORDERS):
        raise ValidationError(_("You cannot place orders for this legal entity."))
    return LegalEntity.objects.select_related("dealer").get(id=scope.legal_entity_id)


def _locked_draft(scope: Scope, user: User) -> DraftOrder:
    """The user's draft for the current legal entity, created if missing, locked for writing.

    The row lock serialises concurrent edits of one draft (two tabs) on PostgreSQL; SQLite
    serialises writers anyway (transactions begin IMMEDIATE).
    """
    legal_entity = _ordering_entity(scope)
    try:
        with transaction.atomic():
            DraftOrder.objects.get_or_create(user=user, legal_entity=legal_entity)
    except IntegrityError:
        pass  # created by a concurrent request; locked below
    return DraftOrder.objects.select_for_update().get(user=user, legal_entity=legal_entity)


def _bump(draft: DraftOrder) -> None:
    DraftOrder.objects.filter(pk=draft.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    draft.refresh_from_db(fields=["version", "updated_at"])


def _valid_quantity(quantity: Decimal) -> Decimal:
    if not quantity.is_finite() or quantity <= 0:
        raise ValidationError(_("The quantity must be greater than zero."))
    if quantity > MAX_QUANTITY:
        raise ValidationError(_("The quantity is too large."))
    return quantity


@dataclass(frozen=True)
class AddResult:
    product: Product
    added: Decimal
    rounded: bool  # the quantity was rounded up to the pack multiplicity
    total: Decimal


@transaction.atomic
def draft_add(*, scope: Scope, user: User, product_id: int, quantity: Decimal) -> AddResult:
    """Add a product to the cart, or add to its quantity when it is already there."""
    requested = _valid_quantity(quantity)
    product = Product.objects.filter(id=product_id, is_active=True).first()
    if product is None:
        raise ValidationError(_("This product is not sold any more."))
    draft = _locked_draft(scope, user)
    added = round_up_to_pack(requested, product.pack_multiplicity)
    line, created = DraftLine.objects.get_or_create(
        draft=draft, product=product, defaults={"quantity": added}
    )
    if not created:
        DraftLine.objects.filter(pk=line.pk).update(
            quantity=F("quantity") + added, updated_at=timezone.now()
        )
        line.refresh_from_db(fields=["quantity"])
    _bump(draft)
    return AddResult(product, added, added != requested, line.quantity)


@transaction.atomic
def draft_line_set_quantity(
    *, scope: Scope, user: User, line_id: int, quantity: Decimal, expected: Decimal | None
) -> AddResult:
    """Change a line's quantity in place.

    `expected` is the quantity the dealer saw; if the line changed since (another tab), the
    change is refused with the current quantity instead of silently overwriting it.
    """
    requested = _valid_quantity(quantity)
    draft = _locked_draft(scope, user)
    line = DraftLine.objects.select_related("product").filter(draft=draft, id=line_id).first()
    if line is None:
        raise CartConflictError(_("The line is no longer in the order (removed in another tab?)."))
    if expected is not None and line.quantity != expected:
        raise CartConflictError(
            _("The quantity was changed in another window to %(quantity)s; check and try again.")
            % {"quantity": line.quantity.normalize()},
            current_quantity=line.quantity,
        )
    new_quantity = round_up_to_pack(requested, line.product.pack_multiplicity)
    if new_quantity != line.quantity:
        line.quantity = new_quantity
        line.save(update_fields=["quantity", "updated_at"])
        _bump(draft)
    return AddResult(line.product, new_quantity, new_quantity != requested, new_quantity)


@transaction.atomic
def draft_line_remove(*, scope: Scope, user: User, line_id: int) -> None:
    draft = _locked_draft(scope, user)
    if DraftLine.objects.filter(draft=draft, id=line_id).delete()[0]:
        _bump(draft)


@transaction.atomic
def draft_clear(*, scope: Scope, user: User) -> None:
    draft = _locked_draft(scope, user)
    if DraftLine.objects.filter(draft=draft).delete()[0]:
        _bump(draft)


@dataclass(frozen=True)
class PasteApplyResult:
    preview: PastePreview
    added_products: int


@transaction.atomic
def draft_apply_paste(
    *, scope: Scope, user: User, pasted: list[PastedLine], strategy: PricingStrategy
) -> PasteApplyResult:
    """Add every matched pasted line to the cart in one go; the rest is returned untouched."""
    draft = _locked_draft(scope, user)
    existing = {line.product_id: line for line in DraftLine.objects.filter(draft=draft)}
    preview = paste_preview(
        pasted,
        strategy=strategy,
        in_cart={product_id: line.quantity for product_id, line in existing.items()},
    )
    now = timezone.now()
    new_lines = []
    changed_lines = []
    for item in preview.products:
        line = existing.get(item.product.id)
        if line is None:
            new_lines.append(DraftLine(draft=draft, product=item.product, quantity=item.quantity))
        else:
            line.quantity += item.quantity
            line.updated_at = now
            changed_lines.append(line)
    DraftLine.objects.bulk_create(new_lines, batch_size=1000)
    DraftLine.objects.bulk_update(changed_lines, ["quantity", "updated_at"], batch_size=500)
    if preview.products:
        _bump(draft)
    return PasteApplyResult(preview=preview, added_products=len(preview.products))


@transaction.atomic
def draft_update_checkout(
    *,
    scope: Scope,
    user: User,
    delivery_method_id: int | None,
    pickup_warehouse_id: int | None,
    delivery_address: str,
    comment: str,
    customer_reference: str,
) -> DraftOrder:
    """Remember the checkout choices on the draft, so they survive a reload or another browser."""
    draft = _locked_draft(scope, user)
    draft.delivery_method = _active_delivery_method(delivery_method_id)
    draft.pickup_warehouse = _active_warehouse(pickup_warehouse_id)
    draft.delivery_address = delivery_address.strip()[:2000]
    draft.comment = comment.strip()[:4000]
    draft.customer_reference = customer_reference.strip()[:100]
    draft.save()
    return draft


# --- Placing the order ----------------------------------------------------------------------


@dataclass(frozen=True)
class Checkout:
    delivery_method_id: int | None
    pickup_warehouse_id: int | None
    delivery_address: str
    comment: str
    customer_reference: str
    submission_key: uuid.UUID
    cart_version: int


def _active_delivery_method(method_id: int | None) -> DeliveryMethod | None:
    if method_id is None:
        return None
    return DeliveryMethod.objects.filter(id=method_id, is_active=True).first()


def _active_warehouse(warehouse_id: int | None) -> Warehouse | None:
    if warehouse_id is None:
        return None
    return Warehouse.objects.filter(id=warehouse_id, is_active=True).first()


def _checkout_errors(checkout: Checkout) -> tuple[DeliveryMethod, Warehouse | None, str]:
    method = _active_delivery_method(checkout.delivery_method_id)
    if method is None:
        raise ValidationError({"delivery_method": _("Choose how the order is to be received.")})
    warehouse = None
    address = ""
    if method.kind == DeliveryMethod.Kind.PICKUP:
        warehouse = _active_warehouse(checkout.pickup_warehouse_id)
        if warehouse is None:
            raise ValidationError({"pickup_warehouse": _("Choose the warehouse to pick up from.")})
    else:
        address = checkout.delivery_address.strip()
        if not address:
            raise ValidationError({"delivery_address": _("Enter the delivery address.")})
    return method, warehouse, address


def order_number(sequence_value: int) -> str:
    return f"B2B-{sequence_value:06d}"


@transaction.atomic
def order_submit(*, scope: Scope, user: User, checkout: Checkout) -> Order:
    """Place the cart as an order: number, lines, needs, invoice PDF and the ERP event, at once.

    Submitting the same form twice (a double click) returns the order placed the first time.
    """
    already = Order.objects.filter(submission_key=checkout.submission_key, author=user).first()
    if already is not None:
        return already
    draft = _locked_draft(scope, user)
    # The first submission may have committed while this one waited for the lock.
    already = Order.objects.filter(submission_key=checkout.submission_key, author=user).first()
    if already is not None:
        return already
    if draft.version != checkout.cart_version:
        raise CartConflictError(
            _("The order was changed in another window. Check it and place it again.")
        )
    method, warehouse, address = _checkout_errors(checkout)
    legal_entity = _ordering_entity(scope)
    supplier = supplier_settings()
    strategy = PricingStrategy.for_legal_entity(legal_entity, supplier=supplier)
    cart = cart_for(draft, strategy=strategy, supplier=supplier)
    _check_cart_can_be_placed(cart)
    status = OrderStatus.objects.filter(is_initial=True).first()
    if status is None:
        raise ValidationError(_("The supplier has not configured order statuses yet."))

    placed_at = timezone.now()
    order = Order.objects.create(
        number=order_number(counter_next("order")),
        source=Order.Source.PORTAL,
        dealer=legal_entity.dealer,
        legal_entity=legal_entity,
        author=user,
        status=status,
        delivery_method=method,
        pickup_warehouse=warehouse,
        delivery_address=address,
        comment=checkout.comment.strip()[:4000],
        customer_reference=checkout.customer_reference.strip()[:100],
        price_type=strategy.price_type,
        currency=strategy.price_type.currency if strategy.price_type else supplier.currency,
        prices_include_vat=strategy.price_type.includes_vat if strategy.price_type else True,
        vat_rate=supplier.vat_rate,
        amount_without_vat=cart.totals.without_vat,
        vat_amount=cart.totals.vat,
        amount_with_vat=cart.totals.with_vat,
        placed_at=placed_at,
        submission_key=checkout.submission_key,
    )
    order_lines = OrderLine.objects.bulk_create(
        [
            _order_line(order, position, line, supplier.vat_rate)
            for position, line in enumerate(cart.lines, start=1)
        ],
        batch_size=500,
    )
    needs = Need.objects.bulk_create(
        [
            Need(
                order=order,
                order_line=order_line,
                product=order_line.product,
                dealer=legal_entity.dealer,
                legal_entity=legal_entity,
                quantity=order_line.need_quantity,
            )
            for order_line in order_lines
            if order_line.need_quantity > 0
        ],
        batch_size=500,
    )
    OrderStatusChange.objects.create(order=order, status=status, changed_at=placed_at)
    invoice_create(order=order, lines=order_lines, supplier=supplier)
    event_record(
        kind=OutboxEvent.Kind.ORDER_PLACED,
        aggregate_type="order",
        aggregate_id=order.id,
        payload=order_events.order_document(order, order_lines),
    )
    for need in needs:
        event_record(
            kind=OutboxEvent.Kind.NEED_RAISED,
            aggregate_type="need",
            aggregate_id=need.id,
            payload=order_events.need_document(need, order),
        )
    notify_order_placed(order)
    DraftLine.objects.filter(draft=draft).delete()
    draft.comment = ""
    draft.customer_reference = ""
    draft.save(update_fields=["comment", "customer_reference", "updated_at"])
    _bump(draft)
    return order


def _order_line(order: Order, position: int, line: CartLine, default_vat: Decimal) -> OrderLine:
    price = line.purchase.price
    if price is None or line.amounts is None:
        raise ValidationError(_("Line %(position)s has no price.") % {"position": position})
    return OrderLine(
        order=order,
        position=position,
        product=line.product,
        code=line.product.code,
        name=line.product.name,
        unit=line.product.unit,
        quantity=line.quantity,
        need_quantity=line.need,
        base_price=price.base,
        discount_percent=price.discount_percent,
        price=price.net,
        amount=line.amounts.amount,
        vat_rate=_vat_rate(line.product, default_vat),
        vat_amount=line.amounts.vat,
    )


def _check_cart_can_be_placed(cart: Cart) -> None:
    if not cart.lines:
        raise ValidationError(_("The order is empty."))
    if cart.unpriced_lines:
        raise ValidationError(
            _(
                "%(count)s lines have no price in your price list; remove them or ask your "
                "manager for a price."
            )
            % {"count": cart.unpriced_lines}
        )


# --- After placement: notes, reorder ------------------------------------------------------


@transaction.atomic
def order_note_save(*, user: User, order: Order, text: str) -> OrderNote | None:
    """Write the user's private note on an order; an empty text deletes it.

    The caller has already checked the order is visible (`access_order`); the note itself is
    keyed by its author, so nobody else can read or change it.
    """
    text = text.strip()[:4000]
    if not text:
        OrderNote.objects.filter(order=order, author=user).delete()
        return None
    note, _created = OrderNote.objects.update_or_create(
        order=order, author=user, defaults={"text": text}
    )
    return note


def reorder_lines(order: Order) -> list[PastedLine]:
    """The order's lines as if the dealer had pasted them, for the same preview and apply."""
    lines = []
    for line in order.lines.order_by("position"):
        quantity = line.active_quantity
        if quantity > 0:
            lines.append(
                PastedLine(
                    line_number=line.position,
                    text=f"{line.code}\t{format(quantity.normalize(), 'f')}",
                    code=line.code,
                    quantity=quantity,
                )
            )
    return lines


# --- Changes that come from the ERP (the ERP API calls these) ------------------------------


@dataclass(frozen=True)
class ErpOrderLine:
    product: Product
    quantity: Decimal
    price: Decimal
    cancelled_quantity: Decimal = Decimal(0)
    cancel_reason: str = ""


@transaction.atomic
def order_status_set(
    *,
    order: Order,
    status_code: str,
    changed_at: datetime | None = None,
    comment: str = "",
    notify: bool = True,
) -> Order:
    """Move an order to a status (by its code); recorded in the history unless unchanged.

    The dealer is e-mailed about a change unless `notify` is off (history being loaded)."""
    status = OrderStatus.objects.filter(code=status_code).first()
    if status is None:
        raise ValidationError(
            {"status": _("Unknown order status “%(code)s”.") % {"code": status_code}}
        )
    if order.status_id != status.id:
        order.status = status
        order.save(update_fields=["status", "updated_at"])
        change = OrderStatusChange.objects.create(
            order=order, status=status, changed_at=changed_at or timezone.now(), comment=comment
        )
        if notify:
            notify_order_status_changed(order, change)
    return order


@transaction.atomic
@transaction.atomic
def order_line_cancel(*, line: OrderLine, quantity: Decimal, reason: str) -> OrderLine:
    """Cancel part or all of a line (the ERP could not supply it). The line's amount and the
    order's totals are those of what is still ordered, as for an order entered in the ERP:
    the dealer's journal, credit checks and the ERP agree on what the order is worth."""
    if quantity < 0 or quantity > line.quantity:
        raise ValidationError(
            {
                "quantity": _("A line of %(ordered)s cannot lose %(cancelled)s.")
                % {"ordered": line.quantity.normalize(), "cancelled": quantity.normalize()}
            }
        )
    # Locked first: two cancellations of one order's lines must not both sum stale lines.
    order = Order.objects.select_for_update().get(pk=line.order_id)
    line.cancelled_quantity = quantity
    line.cancel_reason = reason.strip()[:255]
    amounts = _active_amounts(order, line)
    line.amount, line.vat_amount = amounts.amount, amounts.vat
    line.save(update_fields=["cancelled_quantity", "cancel_reason", "amount", "vat_amount"])
    totals = Totals.of(_active_amounts(order, each) for each in order.lines.all())
    order.amount_without_vat = totals.without_vat
    order.vat_amount = totals.vat
    order.amount_with_vat = totals.with_vat
    order.save(update_fields=["amount_without_vat", "vat_amount", "amount_with_vat", "updated_at"])
    return line


def _active_amounts(order: Order, line: OrderLine) -> LineAmounts:
    return line_amounts(
        price=line.price,
        quantity=line.active_quantity,
        vat_rate=line.vat_rate,
        prices_include_vat=order.prices_include_vat,
    )


@transaction.atomic
def order_erp_upsert(
    *,
    erp_id: str,
    erp_number: str,
    legal_entity: LegalEntity,
    placed_at: datetime,
    status_code: str,
    lines: list[ErpOrderLine],
    delivery_method_code: str = "",
    delivery_address: str = "",
    comment: str = "",
) -> Order:
    """An order a manager entered in the ERP (or an update of it), shown in the dealer's
    journal like any other. Amounts are computed here from the lines, with the VAT rules of
    the portal, so the journal and the invoice agree."""
    supplier = supplier_settings()
    status = OrderStatus.objects.filter(code=status_code).first()
    if status is None:
        raise ValidationError(
            {"status": _("Unknown order status “%(code)s”.") % {"code": status_code}}
        )
    method = DeliveryMethod.objects.filter(code=delivery_method_code).first()
    amounts = [
        line_amounts(
            price=line.price,
            quantity=line.quantity - line.cancelled_quantity,
            vat_rate=_vat_rate(line.product, supplier.vat_rate),
            prices_include_vat=True,
        )
        for line in lines
    ]
    totals = Totals.of(amounts)
    order = Order.objects.filter(erp_id=erp_id).first()
    fields = {
        "erp_number": erp_number,
        "dealer": legal_entity.dealer,
        "legal_entity": legal_entity,
        "delivery_method": method,
        "delivery_address": delivery_address,
        "comment": comment,
        "vat_rate": supplier.vat_rate,
        "amount_without_vat": totals.without_vat,
        "vat_amount": totals.vat,
        "amount_with_vat": totals.with_vat,
        "placed_at": placed_at,
    }
    if order is None:
        order = Order.objects.create(
            number=order_number(counter_next("order")),
            erp_id=erp_id,
            source=Order.Source.ERP,
            status=status,
            **fields,
        )
        OrderStatusChange.objects.create(order=order, status=status, changed_at=placed_at)
    else:
        for name, value in fields.items():
            setattr(order, name, value)
        order.save()
        order_status_set(order=order, status_code=status_code)
        order.lines.all().delete()
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                position=position,
                product=line.product,
                code=line.product.code,
                name=line.product.name,
                unit=line.product.unit,
                quantity=line.quantity,
                cancelled_quantity=line.cancelled_quantity,
                cancel_reason=line.cancel_reason,
                base_price=line.price,
                price=line.price,
                amount=amount.amount,
                vat_rate=_vat_rate(line.product, supplier.vat_rate),
                vat_amount=amount.vat,
            )
            for position, (line, amount) in enumerate(zip(lines, amounts, strict=True), start=1)
        ]
    )
    return order


def _vat_rate(product: Product, default: Decimal) -> Decimal:
    return product.vat_rate if product.vat_rate is not None else default


@dataclass(frozen=True)
class NeedAnswer:
    need: Need
    status: str  # a Need.Status other than OPEN
    expected_date: date | None = None
    comment: str = ""


NEED_ANSWER_STATUSES = (Need.Status.RESERVED, Need.Status.DATED, Need.Status.CLOSED)


def need_answer_error(answer: NeedAnswer) -> str | None:
    """Why the answer cannot be stored, or None."""
    if answer.status not in NEED_ANSWER_STATUSES:
        return _("A need can be answered as reserved, dated or closed, not “%(status)s”.") % {
            "status": answer.status
        }
    if answer.status == Need.Status.DATED and answer.expected_date is None:
        return _("A dated answer needs the expected date.")
    return None


@transaction.atomic
def needs_erp_answer(*, answers: Sequence[NeedAnswer], answered_at: datetime) -> list[Need]:
    """The supplier's answers to needs, as the ERP sends them; the dealer sees them on the
    order page. No outbox event: the answer came from the ERP and must not echo back to it."""
    problems = {
        str(position): [problem]
        for position, answer in enumerate(answers)
        if (problem := need_answer_error(answer)) is not None
    }
    if problems:
        raise ValidationError(problems)
    needs = []
    for answer in answers:
        need = answer.need
        if answer.status != Need.Status.RESERVED:
            need.supply = None  # a date or a closure from the ERP frees the portal's reservation
        need.status = answer.status
        need.expected_date = answer.expected_date
        need.answer_comment = answer.comment.strip()[:4000]
        need.answered_at = answered_at
        need.updated_at = answered_at
        needs.append(need)
    Need.objects.bulk_update(
        needs,
        ["status", "supply", "expected_date", "answer_comment", "answered_at", "updated_at"],
        batch_size=1000,
    )
    notify_needs_answered(needs)
    return needs


# --- Needs answered by the supplier's managers ----------------------------------------------

ANSWERABLE_NEED_STATUSES = (Need.Status.OPEN, Need.Status.RESERVED, Need.Status.DATED)
ANSWER_COMMENT_MAX_LENGTH = 4000


def _locked_needs(needs: Sequence[Need]) -> list[Need]:
    """The needs re-read under a row lock, oldest first, refused if one is closed."""
    locked = list(
        Need.objects.select_for_update(of=("self",))
        .select_related("order", "order_line", "product", "legal_entity", "supply")
        .filter(pk__in=[need.pk for need in needs])
        .order_by("created_at", "id")
    )
    if len(locked) != len({need.pk for need in needs}):
        raise ValidationError(_("A need was removed meanwhile; reload the page."))
    for need in locked:
        if need.status not in ANSWERABLE_NEED_STATUSES:
            raise ValidationError(
                _("The need for %(code)s in order %(order)s is closed and cannot be answered.")
                % {"code": need.product.code, "order": need.order.number}
            )
    return locked


def _locked_supplies(product_ids: Sequence[int]) -> list[IncomingSupply]:
    """The supplies of the products under a row lock, in id order so that two managers
    reserving at once queue up instead of deadlocking; earliest date first in the result."""
    supplies = list(
        IncomingSupply.objects.select_for_update(of=("self",))
        .select_related("warehouse")
        .filter(product_id__in=product_ids)
        .order_by("id")
    )
    return sorted(supplies, key=lambda supply: (supply.expected_date, supply.id))


def _answered(needs: Sequence[Need], *, by_user: User, comment: str, fields: Sequence[str]) -> None:
    """Save the answers, tell the ERP (one event per need) and, after commit, the dealer."""
    now = timezone.now()
    for need in needs:
        need.answer_comment = comment.strip()[:ANSWER_COMMENT_MAX_LENGTH]
        need.answered_at = now
        need.answered_by = by_user
        need.updated_at = now
    Need.objects.bulk_update(
        needs, [*fields, "answer_comment", "answered_at", "answered_by", "updated_at"]
    )
    for need in needs:
        event_record(
            kind=OutboxEvent.Kind.NEED_ANSWERED,
            aggregate_type="need",
            aggregate_id=need.id,
            payload=order_events.need_answer_document(need),
        )
    notify_needs_answered(needs)


def _reserve(need: Need, supply: IncomingSupply) -> None:
    need.status = Need.Status.RESERVED
    need.supply = supply
    need.expected_date = supply.expected_date


RESERVATION_FIELDS = ("status", "supply", "expected_date")


@transaction.atomic
def need_reserve(*, need: Need, supply_id: int, by_user: User, comment: str = "") -> Need:
    """Reserve the need's whole quantity in an incoming supply of its product.

    The supply's row is locked while its free quantity is counted, so two managers answering
    at once can never reserve more than the supply brings."""
    (need,) = _locked_needs([need])
    supply = next(
        (supply for supply in _locked_supplies([need.product_id]) if supply.id == supply_id),
        None,
    )
    if supply is None:
        raise ValidationError(
            {"supply": _("Choose an incoming supply of %(code)s.") % {"code": need.product.code}}
        )
    free = supply.quantity - supply_reserved_quantities([supply.id]).get(supply.id, Decimal(0))
    if need.supply_id == supply.id and need.status == Need.Status.RESERVED:
        free += need.quantity
    if need.quantity > free:
        raise ValidationError(
            {
                "supply": _(
                    "The supply expected on %(date)s has %(free)s free, the need is "
                    "%(quantity)s: choose another supply or give a delivery date."
                )
                % {
                    "date": supply.expected_date.strftime("%d.%m.%Y"),
                    "free": format_quantity(max(free, Decimal(0))),
                    "quantity": format_quantity(need.quantity),
                }
            }
        )
    _reserve(need, supply)
    _answered([need], by_user=by_user, comment=comment, fields=RESERVATION_FIELDS)
    return need


@dataclass(frozen=True)
class NearestReservations:
    reserved: list[Need]
    without_supply: list[Need]  # no supply of the product had room for the whole need


@transaction.atomic
def needs_reserve_in_nearest_supply(
    *, needs: Sequence[Need], by_user: User, comment: str = ""
) -> NearestReservations:
    """Reserve each need in the earliest supply of its product with room for all of it,
    oldest need first; needs no supply can hold are left as they were and reported."""
    locked = _locked_needs(needs)
    supplies = _locked_supplies(sorted({need.product_id for need in locked}))
    reserved_in = supply_reserved_quantities([supply.id for supply in supplies])
    for need in locked:  # releasing first: a need already reserved may move to an earlier one
        if need.status == Need.Status.RESERVED and need.supply_id in reserved_in:
            reserved_in[need.supply_id] -= need.quantity
    reserved: list[Need] = []
    without_supply: list[Need] = []
    for need in locked:
        supply = next(
            (
                supply
                for supply in supplies
                if supply.product_id == need.product_id
                and supply.quantity - reserved_in.get(supply.id, Decimal(0)) >= need.quantity
            ),
            None,
        )
        if supply is None:
            if need.status == Need.Status.RESERVED and need.supply_id in reserved_in:
                reserved_in[need.supply_id] += need.quantity  # it keeps its reservation
            without_supply.append(need)
            continue
        reserved_in[supply.id] = reserved_in.get(supply.id, Decimal(0)) + need.quantity
        _reserve(need, supply)
        reserved.append(need)
    if reserved:
        _answered(reserved, by_user=by_user, comment=comment, fields=RESERVATION_FIELDS)
    return NearestReservations(reserved=reserved, without_supply=without_supply)


@transaction.atomic
def needs_date(
    *, needs: Sequence[Need], expected_date: date, by_user: User, comment: str = ""
) -> list[Need]:
    """Answer needs with the date the goods are expected (frees any reservation)."""
    if expected_date < timezone.localdate():
        raise ValidationError({"expected_date": _("The delivery date cannot be in the past.")})
    locked = _locked_needs(needs)
    for need in locked:
        need.status = Need.Status.DATED
        need.supply = None
        need.expected_date = expected_date
    _answered(locked, by_user=by_user, comment=comment, fields=RESERVATION_FIELDS)
    return locked
