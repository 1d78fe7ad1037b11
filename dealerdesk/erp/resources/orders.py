"""Order-side resources: orders entered in the ERP, changes to any order, answers to needs,
shipments and documents.

Nothing here writes an outbox event: these changes come from the ERP, and echoing them back
would make the ERP receive its own data as news.

Orders are referred to by one rule everywhere (`order-updates.id`, `shipments.order_id`,
`documents.order_id`): an order whose ERP id equals the reference (an order pushed through
`orders`) wins; otherwise the reference is the portal number of an order placed in the
portal (`B2B-000123`, sent in the `order.placed` event).
"""

from __future__ import annotations

import base64
import binascii
import datetime
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import PureWindowsPath
from typing import Annotated, Literal, Self, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone
from pydantic import Field, StringConstraints, model_validator

from dealerdesk.catalog.models import Product, Warehouse
from dealerdesk.companies.models import LegalEntity
from dealerdesk.documents.models import Document, DocumentType
from dealerdesk.documents.services import document_attach
from dealerdesk.erp.batches import ApplyContext
from dealerdesk.erp.registry import Applied, ItemErrors, Resource, register
from dealerdesk.erp.schemas import ErpId, ErpItem, LongText, Money, Name, Quantity, Strict, Text
from dealerdesk.orders.models import DeliveryMethod, Need, Order, OrderLine, OrderStatus
from dealerdesk.orders.services import (
    ErpOrderLine,
    NeedAnswer,
    need_answer_error,
    needs_erp_answer,
    order_erp_upsert,
    order_line_cancel,
    order_status_set,
)
from dealerdesk.shipments.models import Shipment
from dealerdesk.shipments.services import ShipmentLineData, shipment_upsert

ErpNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
DocumentNumber = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]

ModelT = TypeVar("ModelT", bound=models.Model)

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

ORDER_REFERENCE = (
    "The order: its ERP id when it was entered in the ERP (pushed through `orders`), "
    "otherwise its portal number (`B2B-000123`, from the `order.placed` event). An ERP id "
    "wins when both could match."
)


# --- shared lookups ----------------------------------------------------------------------------


def _aware(moment: datetime.datetime) -> datetime.datetime:
    """A time without an offset is the supplier's local time, as 1C sends it."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _orders_by_reference(references: Collection[str]) -> dict[str, Order]:
    wanted = list(set(references))
    if not wanted:
        return {}
    found = Order.objects.in_bulk(wanted, field_name="number")
    found.update(Order.objects.in_bulk(wanted, field_name="erp_id"))  # an ERP id wins
    return found


def _by_erp_id(model: type[ModelT], erp_ids: Collection[str]) -> dict[str, ModelT]:
    wanted = list(set(erp_ids))
    return model._default_manager.in_bulk(wanted, field_name="erp_id") if wanted else {}


def _report(errors: ItemErrors, index: int, field_name: str, error: ValidationError) -> None:
    """A rule only the domain service checks becomes an item error (the batch rolls back)."""
    errors.add(index, field_name, "invalid", "; ".join(error.messages))


# --- orders entered in the ERP -----------------------------------------------------------------


class OrderLineItem(Strict):
    product_id: ErpId = Field(description="The ERP id of the product.")
    quantity: Quantity = Field(description="Ordered quantity, greater than zero.")
    price: Money = Field(description="Price per unit, VAT included.")
    cancelled_quantity: Quantity = Field(
        Decimal(0), description="The part of the quantity that will not be supplied."
    )
    cancel_reason: Text = Field("", description="Why it will not be supplied; shown to the dealer.")


class OrderItem(ErpItem):
    number: ErpNumber = Field(description="The ERP's number of the order, shown to the dealer.")
    legal_entity_id: ErpId = Field(description="The ERP id of the legal entity that ordered.")
    placed_at: datetime.datetime = Field(description="When the order was taken.")
    status: Code = Field(description="Order status code: new, confirmed, assembling, ...")
    lines: list[OrderLineItem] = Field(min_length=1, description="The order lines, in order.")
    delivery_method: Text = Field(
        "", description="Delivery method code (pickup, delivery, carrier); empty: not set."
    )
    delivery_address: LongText = ""
    comment: LongText = ""


def apply_orders(context: ApplyContext, items: Sequence[OrderItem]) -> Applied:
    fresh = context.fresh(items)
    entities = _by_erp_id(LegalEntity, [item.legal_entity_id for _, item in fresh])
    products = _by_erp_id(Product, [line.product_id for _, item in fresh for line in item.lines])
    statuses = set(OrderStatus.objects.values_list("code", flat=True))
    methods = set(DeliveryMethod.objects.values_list("code", flat=True))
    errors = ItemErrors()
    for index, item in fresh:
        if item.legal_entity_id not in entities:
            errors.unknown(index, "legal_entity_id", "legal entity", item.legal_entity_id)
        if item.status not in statuses:
            errors.unknown(index, "status", "order status", item.status)
        if item.delivery_method and item.delivery_method not in methods:
            errors.unknown(index, "delivery_method", "delivery method", item.delivery_method)
        for position, line in enumerate(item.lines):
            where = f"lines[{position}]"
            if line.product_id not in products:
                errors.unknown(index, f"{where}.product_id", "product", line.product_id)
            if line.quantity <= 0:
                errors.add(index, f"{where}.quantity", "not_positive", "must be greater than 0")
            if line.cancelled_quantity > line.quantity:
                errors.add(
                    index,
                    f"{where}.cancelled_quantity",
                    "exceeds_ordered",
                    f"{line.cancelled_quantity} is more than the ordered {line.quantity}",
                )
    errors.raise_if_any()

    known = set(
        Order.objects.filter(erp_id__in=[item.id for _, item in fresh]).values_list(
            "erp_id", flat=True
        )
    )
    applied = Applied()
    for index, item in fresh:
        try:
            order_erp_upsert(
                erp_id=item.id,
                erp_number=item.number,
                legal_entity=entities[item.legal_entity_id],
                placed_at=_aware(item.placed_at),
                status_code=item.status,
                lines=[
                    ErpOrderLine(
                        product=products[line.product_id],
                        quantity=line.quantity,
                        price=line.price,
                        cancelled_quantity=line.cancelled_quantity,
                        cancel_reason=line.cancel_reason,
                    )
                    for line in item.lines
                ],
                delivery_method_code=item.delivery_method,
                delivery_address=item.delivery_address,
                comment=item.comment,
            )
        except ValidationError as error:
            _report(errors, index, "", error)
            continue
        if item.id in known:
            applied.updated += 1
        else:
            known.add(item.id)
            applied.created += 1
    errors.raise_if_any()
    return applied


register(
    Resource(
        path="orders",
        summary="Orders entered in the ERP",
        description=(
            "Upsert orders a manager entered in the ERP (taken by phone or e-mail), by the "
            "ERP's id. They appear in the dealer's order journal like orders placed in the "
            "portal, with a portal number of their own; amounts are computed from the lines "
            "(price with VAT × (quantity − cancelled_quantity)). Pushing an order again "
            "replaces its lines and moves it to the given status. Statuses are the supplier's "
            "status codes (new, confirmed, assembling, ready, shipped, completed, cancelled). "
            "No event is written back to the outbox. There is no full snapshot: orders are "
            "never deleted by a batch."
        ),
        item=OrderItem,
        apply=apply_orders,
        example={
            "items": [
                {
                    "id": "ЗК-00-004512",
                    "number": "ЗК-4512",
                    "legal_entity_id": "КА-000128",
                    "placed_at": "2025-03-14T11:20:00+03:00",
                    "status": "confirmed",
                    "lines": [
                        {"product_id": "MVA20-3-016-C", "quantity": "40", "price": "412.80"},
                        {
                            "product_id": "1101001",
                            "quantity": "500",
                            "price": "85.50",
                            "cancelled_quantity": "100",
                            "cancel_reason": "Нет в наличии на складе Москва",
                        },
                    ],
                    "delivery_method": "delivery",
                    "delivery_address": "г. Москва, ул. Складская, д. 7",
                    "comment": "Заказ принят по телефону, менеджер Иванова",
                }
            ]
        },
    )
)


# --- changes to any order ----------------------------------------------------------------------


class OrderLineChange(Strict):
    position: int | None = Field(
        None, ge=1, description="The line's position number in the order (1, 2, ...)."
    )
    product_id: ErpId | None = Field(
        None, description="Or the ERP id of the line's product, when it is on one line only."
    )
    cancelled_quantity: Quantity = Field(
        description="How much of the line is cancelled in total (0 restores it)."
    )
    reason: Text = Field("", description="Why; required when something is cancelled.")

    @model_validator(mode="after")
    def one_line_and_a_reason(self) -> Self:
        if (self.position is None) == (self.product_id is None):
            raise ValueError("give either position or product_id of the line")
        if self.cancelled_quantity > 0 and not self.reason:
            raise ValueError("a cancellation needs a reason")
        return self


class OrderUpdateItem(ErpItem):
    id: ErpId = Field(description=ORDER_REFERENCE)
    erp_number: ErpNumber | None = Field(
        None, description="The ERP's number of the order; omitted: unchanged."
    )
    status: Code = Field(description="Order status code: new, confirmed, assembling, ...")
    status_comment: LongText = Field("", description="Shown in the order's status history.")
    lines: list[OrderLineChange] = Field(
        default_factory=list, description="Line cancellations, with their reasons."
    )


def _order_lines(orders: Collection[Order]) -> dict[int, list[OrderLine]]:
    lines: dict[int, list[OrderLine]] = {order.id: [] for order in orders}
    for line in OrderLine.objects.filter(order__in=list(orders)).select_related("product"):
        lines[line.order_id].append(line)
    return lines


def _line_of(lines: list[OrderLine], change: OrderLineChange) -> tuple[OrderLine | None, str, str]:
    """The line a change points at, or None with the error code and message."""
    if change.position is not None:
        matching = [line for line in lines if line.position == change.position]
        what = f"position {change.position}"
    else:
        matching = [line for line in lines if line.product.erp_id == change.product_id]
        what = f"product {change.product_id!r}"
    if not matching:
        return None, "unknown_reference", f"the order has no line with {what}"
    if len(matching) > 1:
        return None, "ambiguous", f"the order has several lines with {what}; give the position"
    return matching[0], "", ""


def apply_order_updates(context: ApplyContext, items: Sequence[OrderUpdateItem]) -> Applied:
    fresh = context.fresh(items)
    orders = _orders_by_reference([item.id for _, item in fresh])
    lines = _order_lines(orders.values())
    statuses = set(OrderStatus.objects.values_list("code", flat=True))
    errors = ItemErrors()
    cancellations: dict[int, list[tuple[int, OrderLine, OrderLineChange]]] = {}
    for index, item in fresh:
        if item.status not in statuses:
            errors.unknown(index, "status", "order status", item.status)
        order = orders.get(item.id)
        if order is None:
            errors.unknown(index, "id", "order", item.id)
            continue
        for position, change in enumerate(item.lines):
            line, code, message = _line_of(lines[order.id], change)
            if line is None:
                errors.add(index, f"lines[{position}]", code, message)
            elif change.cancelled_quantity > line.quantity:
                errors.add(
                    index,
                    f"lines[{position}].cancelled_quantity",
                    "exceeds_ordered",
                    f"{change.cancelled_quantity} is more than the ordered {line.quantity}",
                )
            else:
                cancellations.setdefault(index, []).append((position, line, change))
    errors.raise_if_any()

    applied = Applied()
    for index, item in fresh:
        order = orders[item.id]
        if item.erp_number is not None and item.erp_number != order.erp_number:
            order.erp_number = item.erp_number
            order.save(update_fields=["erp_number", "updated_at"])
        try:
            order_status_set(
                order=order,
                status_code=item.status,
                changed_at=_aware(item.changed_at) if item.changed_at else context.now,
                comment=item.status_comment,
            )
        except ValidationError as error:
            _report(errors, index, "status", error)
        for position, line, change in cancellations.get(index, []):
            try:
                order_line_cancel(
                    line=line, quantity=change.cancelled_quantity, reason=change.reason
                )
            except ValidationError as error:
                _report(errors, index, f"lines[{position}].cancelled_quantity", error)
        applied.updated += 1
    errors.raise_if_any()
    return applied


register(
    Resource(
        path="order-updates",
        summary="Changes to orders",
        description=(
            "The ERP's changes to any order, placed in the portal or entered in the ERP: its "
            "status (with a comment for the history), the ERP's own number of a portal order, "
            "and line cancellations with reasons. `id` refers to the order: "
            + ORDER_REFERENCE
            + " A line is given by its `position` or by `product_id`; `cancelled_quantity` is "
            "the line's cancelled total (not an increment) and cannot exceed the ordered "
            "quantity. No event is written back to the outbox. No full snapshot."
        ),
        item=OrderUpdateItem,
        apply=apply_order_updates,
        example={
            "items": [
                {
                    "id": "B2B-000123",
                    "erp_number": "ЗК-4513",
                    "status": "confirmed",
                    "status_comment": "Подтверждён, отгрузка 18.03",
                    "lines": [
                        {
                            "position": 2,
                            "cancelled_quantity": "10",
                            "reason": "Снят с производства, предложена замена ВА47-63",
                        }
                    ],
                }
            ]
        },
    )
)


# --- answers to needs --------------------------------------------------------------------------


class NeedAnswerItem(ErpItem):
    id: ErpId = Field(description="The need's id, as sent in the `need.raised` event (`id`).")
    status: Literal["reserved", "dated", "closed"] | None = Field(
        None,
        description=(
            "reserved: reserved in an incoming supply; dated: will arrive by `expected_date`; "
            "closed: will not be supplied. Omitted: dated (then `expected_date` is required)."
        ),
    )
    answer: LongText = Field("", description="The manager's answer, shown to the dealer.")
    expected_date: datetime.date | None = Field(None, description="When the goods are expected.")

    @model_validator(mode="after")
    def dated_needs_a_date(self) -> Self:
        if self.status in (None, "dated") and self.expected_date is None:
            raise ValueError("expected_date is required unless status is reserved or closed")
        return self


def _need_ids(fresh: Sequence[tuple[int, NeedAnswerItem]]) -> dict[str, int]:
    return {item.id: int(item.id) for _, item in fresh if item.id.isascii() and item.id.isdigit()}


def apply_need_answers(context: ApplyContext, items: Sequence[NeedAnswerItem]) -> Applied:
    fresh = context.fresh(items)
    ids = _need_ids(fresh)
    needs = Need.objects.in_bulk(list(set(ids.values()))) if ids else {}
    errors = ItemErrors()
    answers: dict[int, tuple[int, NeedAnswer]] = {}  # need id -> its last answer, with index
    for index, item in fresh:
        need = needs.get(ids.get(item.id, 0))
        if need is None:
            errors.unknown(index, "id", "need", item.id)
            continue
        answer = NeedAnswer(
            need=need,
            status=item.status or Need.Status.DATED,
            expected_date=item.expected_date,
            comment=item.answer,
        )
        problem = need_answer_error(answer)
        if problem is not None:
            errors.add(index, "status", "invalid", problem)
        answers[need.id] = (index, answer)
    errors.raise_if_any()
    indexes = [index for index, _ in answers.values()]
    try:
        needs_erp_answer(
            answers=[answer for _, answer in answers.values()], answered_at=context.now
        )
    except ValidationError as error:  # checked above; a rule added to the service lands here
        for position, messages in error.message_dict.items():
            errors.add(indexes[int(position)], "", "invalid", "; ".join(messages))
    errors.raise_if_any()
    return Applied(updated=len(fresh))


register(
    Resource(
        path="need-answers",
        summary="Answers to needs",
        description=(
            "The supplier's answers to needs (потребности: the part of an order line stock "
            "did not cover, sent as `need.raised` events). `id` is the need's id from the "
            "event. The dealer sees the answer on the order page. Answering again replaces "
            "the answer. No event is written back to the outbox. No full snapshot."
        ),
        item=NeedAnswerItem,
        apply=apply_need_answers,
        example={
            "items": [
                {
                    "id": "5812",
                    "status": "dated",
                    "expected_date": "2025-03-28",
                    "answer": "Поставка с завода IEK, приход на склад Москва",
                },
                {"id": "5813", "status": "reserved", "answer": "Зарезервировано в поставке"},
            ]
        },
    )
)


# --- shipments ---------------------------------------------------------------------------------


class ShipmentLineItem(Strict):
    product_id: ErpId = Field(description="The ERP id of the product shipped.")
    quantity: Quantity = Field(description="Shipped quantity, greater than zero.")
    price: Money = Field(Decimal(0), description="Price per unit, VAT included.")
    order_line: int | None = Field(
        None, ge=1, description="The position of the order line shipped (needs `order_id`)."
    )


class ShipmentItem(ErpItem):
    number: ErpNumber = Field(description="The shipment's number (накладная/УПД).")
    shipped_at: datetime.datetime
    legal_entity_id: ErpId = Field(description="The ERP id of the receiving legal entity.")
    order_id: ErpId | None = Field(None, description=ORDER_REFERENCE + " Optional.")
    warehouse_id: ErpId | None = Field(None, description="The ERP id of the shipping warehouse.")
    lines: list[ShipmentLineItem] = Field(min_length=1)


def apply_shipments(context: ApplyContext, items: Sequence[ShipmentItem]) -> Applied:
    fresh = context.fresh(items)
    entities = _by_erp_id(LegalEntity, [item.legal_entity_id for _, item in fresh])
    orders = _orders_by_reference([item.order_id for _, item in fresh if item.order_id])
    warehouses = _by_erp_id(
        Warehouse, [item.warehouse_id for _, item in fresh if item.warehouse_id]
    )
    products = _by_erp_id(Product, [line.product_id for _, item in fresh for line in item.lines])
    order_lines = {
        order_id: {line.position: line for line in lines}
        for order_id, lines in _order_lines(orders.values()).items()
    }
    errors = ItemErrors()
    for index, item in fresh:
        entity = entities.get(item.legal_entity_id)
        if entity is None:
            errors.unknown(index, "legal_entity_id", "legal entity", item.legal_entity_id)
        order = orders.get(item.order_id) if item.order_id else None
        if item.order_id and order is None:
            errors.unknown(index, "order_id", "order", item.order_id)
        if order is not None and entity is not None and order.legal_entity_id != entity.id:
            errors.add(
                index, "order_id", "other_legal_entity", "the order is of another legal entity"
            )
        if item.warehouse_id and item.warehouse_id not in warehouses:
            errors.unknown(index, "warehouse_id", "warehouse", item.warehouse_id)
        for position, line in enumerate(item.lines):
            where = f"lines[{position}]"
            if line.product_id not in products:
                errors.unknown(index, f"{where}.product_id", "product", line.product_id)
            if line.quantity <= 0:
                errors.add(index, f"{where}.quantity", "not_positive", "must be greater than 0")
            if line.order_line is None:
                continue
            if not item.order_id:
                errors.add(index, f"{where}.order_line", "no_order", "the shipment has no order_id")
            elif order is not None:
                order_line = order_lines[order.id].get(line.order_line)
                if order_line is None:
                    errors.add(
                        index,
                        f"{where}.order_line",
                        "unknown_reference",
                        f"the order has no line at position {line.order_line}",
                    )
                elif order_line.product.erp_id != line.product_id:
                    errors.add(
                        index,
                        f"{where}.order_line",
                        "other_product",
                        f"line {line.order_line} of the order is another product",
                    )
    errors.raise_if_any()

    known = set(_by_erp_id(Shipment, [item.id for _, item in fresh]))
    applied = Applied()
    for index, item in fresh:
        order = orders.get(item.order_id) if item.order_id else None
        try:
            shipment_upsert(
                erp_id=item.id,
                number=item.number,
                shipped_at=_aware(item.shipped_at),
                legal_entity=entities[item.legal_entity_id],
                order=order,
                warehouse=warehouses.get(item.warehouse_id) if item.warehouse_id else None,
                lines=[
                    ShipmentLineData(
                        product=products[line.product_id],
                        quantity=line.quantity,
                        price=line.price,
                        order_line=(
                            order_lines[order.id][line.order_line]
                            if order is not None and line.order_line is not None
                            else None
                        ),
                    )
                    for line in item.lines
                ],
            )
        except ValidationError as error:
            _report(errors, index, "", error)
            continue
        if item.id in known:
            applied.updated += 1
        else:
            known.add(item.id)
            applied.created += 1
    errors.raise_if_any()
    return applied


register(
    Resource(
        path="shipments",
        summary="Shipments",
        description=(
            "Upsert shipments (отгрузки) by the ERP's id: goods that left a warehouse for a "
            "legal entity, optionally for an order (`order_id`: " + ORDER_REFERENCE + ") and "
            "its lines (`order_line`: the line's position in that order). Pushing a shipment "
            "again replaces its lines, unless the dealer has filed a claim about it (then the "
            "lines stay). No full snapshot."
        ),
        item=ShipmentItem,
        apply=apply_shipments,
        example={
            "items": [
                {
                    "id": "РТУ-00-001877",
                    "number": "РТУ-1877",
                    "shipped_at": "2025-03-18T09:40:00+03:00",
                    "legal_entity_id": "КА-000128",
                    "order_id": "B2B-000123",
                    "warehouse_id": "WH-MSK",
                    "lines": [
                        {
                            "product_id": "MVA20-3-016-C",
                            "quantity": "40",
                            "price": "412.80",
                            "order_line": 1,
                        }
                    ],
                }
            ]
        },
    )
)


# --- documents ---------------------------------------------------------------------------------


class DocumentItem(ErpItem):
    type: Code = Field(
        description=(
            "Document type code: invoice, waybill (ТОРГ-12), upd (УПД), invoice_factura, "
            "cancelled_items, reconciliation, certificate, other."
        )
    )
    title: Name = Field(description="What the dealer sees in the list.")
    number: DocumentNumber = ""
    date: datetime.date
    legal_entity_id: ErpId = Field(description="The ERP id of the legal entity.")
    order_id: ErpId | None = Field(None, description=ORDER_REFERENCE + " Optional.")
    shipment_id: ErpId | None = Field(None, description="The ERP id of the shipment. Optional.")
    file_name: Name = Field(description="The file's name with its extension, e.g. УПД-1877.pdf.")
    content_base64: str = Field(
        description="The file, base64 (line breaks allowed); at most 20 MB once decoded."
    )


def _decoded(item: DocumentItem) -> tuple[bytes | None, str, str]:
    """The file's bytes, or None with the error code and message."""
    text = "".join(item.content_base64.split())
    if len(text) // 4 * 3 > MAX_DOCUMENT_BYTES + 2:
        return None, "too_large", f"the file is larger than {MAX_DOCUMENT_BYTES // 2**20} MB"
    try:
        content = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None, "not_base64", "is not valid base64"
    if not content:
        return None, "empty", "the file is empty"
    if len(content) > MAX_DOCUMENT_BYTES:
        return None, "too_large", f"the file is larger than {MAX_DOCUMENT_BYTES // 2**20} MB"
    if item.file_name.lower().endswith(".pdf") and not content.startswith(b"%PDF-"):
        return None, "not_a_pdf", "the file is named .pdf but is not a PDF"
    return content, "", ""


@contextmanager
def _files_removed_on_failure() -> Iterator[Callable[[Document], None]]:
    """Files are not rolled back with the database; a failed batch removes those it stored."""
    stored: list[str] = []
    try:
        yield lambda document: stored.append(document.file.name or "")
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def apply_documents(context: ApplyContext, items: Sequence[DocumentItem]) -> Applied:
    fresh = context.fresh(items)
    types = set(DocumentType.objects.values_list("code", flat=True))
    entities = _by_erp_id(LegalEntity, [item.legal_entity_id for _, item in fresh])
    orders = _orders_by_reference([item.order_id for _, item in fresh if item.order_id])
    shipments = _by_erp_id(Shipment, [item.shipment_id for _, item in fresh if item.shipment_id])
    errors = ItemErrors()
    contents: dict[int, bytes] = {}
    for index, item in fresh:
        if item.type not in types:
            errors.unknown(index, "type", "document type", item.type)
        entity = entities.get(item.legal_entity_id)
        if entity is None:
            errors.unknown(index, "legal_entity_id", "legal entity", item.legal_entity_id)
        owners = (
            ("order_id", "order", item.order_id, orders),
            ("shipment_id", "shipment", item.shipment_id, shipments),
        )
        for field_name, what, reference, known in owners:
            if not reference:
                continue
            owner = known.get(reference)
            if owner is None:
                errors.unknown(index, field_name, what, reference)
            elif entity is not None and owner.legal_entity_id != entity.id:
                errors.add(
                    index,
                    field_name,
                    "other_legal_entity",
                    f"the {what} is of another legal entity",
                )
        if not PureWindowsPath(item.file_name).name.strip(" ."):
            errors.add(index, "file_name", "invalid", "is not a file name")
        content, code, message = _decoded(item)
        if content is None:
            errors.add(index, "content_base64", code, message)
        else:
            contents[index] = content
    errors.raise_if_any()

    known_ids = set(
        Document.objects.filter(erp_id__in=[item.id for _, item in fresh]).values_list(
            "erp_id", flat=True
        )
    )
    applied = Applied()
    with _files_removed_on_failure() as remember:
        for index, item in fresh:
            file_name = PureWindowsPath(item.file_name).name.strip()
            try:
                document = document_attach(
                    type_code=item.type,
                    legal_entity=entities[item.legal_entity_id],
                    title=item.title,
                    date=item.date,
                    file=ContentFile(contents.pop(index), name=file_name),
                    file_name=file_name,
                    number=item.number,
                    order=orders.get(item.order_id) if item.order_id else None,
                    shipment=shipments.get(item.shipment_id) if item.shipment_id else None,
                    erp_id=item.id,
                )
            except ValidationError as error:
                _report(errors, index, "", error)
                continue
            remember(document)
            if item.id in known_ids:
                applied.updated += 1
            else:
                known_ids.add(item.id)
                applied.created += 1
        errors.raise_if_any()
    return applied


register(
    Resource(
        path="documents",
        summary="Documents",
        description=(
            "Attach files (invoices, waybills, УПД, certificates, ...) to a legal entity, and "
            "optionally to one of its orders (`order_id`: " + ORDER_REFERENCE + ") or "
            "shipments (`shipment_id`). The dealer downloads them from the portal; financial "
            "types (reconciliation) only with the right to see finance. Pushing a document "
            "again (same id) replaces its file. The content is base64 (line breaks allowed), at "
            "most 20 MB decoded; a `.pdf` name needs PDF content. Keep to one large file per "
            "batch: a batch is at most 50 MB. No full snapshot."
        ),
        item=DocumentItem,
        apply=apply_documents,
        example={
            "items": [
                {
                    "id": "УПД-00-001877",
                    "type": "upd",
                    "title": "УПД № 1877 от 18.03.2025",
                    "number": "1877",
                    "date": "2025-03-18",
                    "legal_entity_id": "КА-000128",
                    "order_id": "B2B-000123",
                    "shipment_id": "РТУ-00-001877",
                    "file_name": "УПД-1877.pdf",
                    "content_base64": "JVBERi0xLjQKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+Pgo=",
                }
            ]
        },
    )
)
