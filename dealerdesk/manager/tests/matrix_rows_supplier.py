"""Who may open the supplier's settings pages (merged into the manager app's matrix rows).

Head managers only: a manager without the head's role is refused like a dealer, and the
form pages are requested with valid data so an allowed POST really writes (302) while every
denied one leaves the database as it was.
"""

from __future__ import annotations

from typing import Any

from conftest import Persona, World
from dealerdesk.companies.tests.factories import BANK_BIK, BANK_SETTLEMENT_ACCOUNT
from dealerdesk.companies.validators import inn_with_check_digits
from dealerdesk.documents.models import DocumentType
from dealerdesk.orders.models import DeliveryMethod, OrderStatus
from dealerdesk.tenancy.tests.matrix import FORBIDDEN, OK, REDIRECT, Outcome, Row, staff_page

SUPPLIER_INN = inn_with_check_digits("770708389")


def head_manager_page(allowed: Outcome) -> dict[Persona, Outcome]:
    return staff_page(manager=FORBIDDEN, head_manager=allowed)


def company_fields(world: World) -> dict[str, Any]:
    return {
        "name": 'ООО "ЭлектроСнаб"',
        "full_name": 'Общество с ограниченной ответственностью "ЭлектроСнаб"',
        "inn": SUPPLIER_INN,
        "kpp": "770701001",
        "ogrn": "1027700132195",
        "legal_address": "115280, г. Москва, ул. Ленинская Слобода, д. 19",
        "phone": "+7 495 000-00-00",
        "email": "sales@elektrosnab.example",
        "website": "elektrosnab.example",
        "director_name": "Иванов И. И.",
        "accountant_name": "Петрова А. А.",
        "currency": "RUB",
        "default_price_type": world.base_prices.id,
        "invoice_payment_days": "5",
    }


def bank_fields(world: World) -> dict[str, Any]:
    return {
        "bank_name": 'ПАО "Сбербанк"',
        "bik": BANK_BIK,
        "correspondent_account": "30101810400000000225",
        "settlement_account": BANK_SETTLEMENT_ACCOUNT,
    }


def status_fields(world: World) -> dict[str, Any]:
    return {"code": "on_hold", "name": "Приостановлен", "tone": "warning", "sort_order": "35"}


def delivery_method_fields(world: World) -> dict[str, Any]:
    return {"code": "courier", "name": "Курьером", "kind": "delivery", "sort_order": "40"}


def document_type_fields(world: World) -> dict[str, Any]:
    return {"code": "act", "name": "Акт выполненных работ", "sort_order": "90"}


def status_id(world: World) -> list[int]:
    return [OrderStatus.objects.get(code="confirmed").id]


def delivery_method_id(world: World) -> list[int]:
    return [DeliveryMethod.objects.get(code="carrier").id]


def document_type_id(world: World) -> list[int]:
    return [DocumentType.objects.get(code="waybill").id]


def unused_status_id(world: World) -> list[int]:
    return [OrderStatus.objects.create(code="on_hold", name="Приостановлен").id]


def unused_delivery_method_id(world: World) -> list[int]:
    return [DeliveryMethod.objects.create(code="courier", name="Курьером").id]


def unused_document_type_id(world: World) -> list[int]:
    return [DocumentType.objects.create(code="act", name="Акт").id]


ROWS: dict[str, Row] = {
    "manager:supplier_status_delete": Row(
        head_manager_page(REDIRECT), method="post", args=unused_status_id
    ),
    "manager:supplier_delivery_method_delete": Row(
        head_manager_page(REDIRECT), method="post", args=unused_delivery_method_id
    ),
    "manager:supplier_document_type_delete": Row(
        head_manager_page(REDIRECT), method="post", args=unused_document_type_id
    ),
    "manager:supplier_settings": Row(
        head_manager_page(REDIRECT), method="post", data=company_fields
    ),
    "manager:supplier_bank_details": Row(
        head_manager_page(REDIRECT), method="post", data=bank_fields
    ),
    "manager:supplier_vat_rate": Row(
        head_manager_page(REDIRECT), method="post", data=lambda world: {"vat_rate": "20"}
    ),
    "manager:supplier_status_list": Row(head_manager_page(OK)),
    "manager:supplier_status_create": Row(
        head_manager_page(REDIRECT), method="post", data=status_fields
    ),
    "manager:supplier_status_edit": Row(
        head_manager_page(REDIRECT),
        method="post",
        args=status_id,
        data=lambda world: {
            "code": "confirmed",
            "name": "Подтверждён менеджером",
            "tone": "primary",
            "sort_order": "10",
        },
    ),
    "manager:supplier_delivery_method_list": Row(head_manager_page(OK)),
    "manager:supplier_delivery_method_create": Row(
        head_manager_page(REDIRECT), method="post", data=delivery_method_fields
    ),
    "manager:supplier_delivery_method_edit": Row(
        head_manager_page(REDIRECT),
        method="post",
        args=delivery_method_id,
        data=lambda world: {
            "code": "carrier",
            "name": "Транспортной компанией до терминала",
            "kind": "delivery",
            "sort_order": "20",
        },
    ),
    "manager:supplier_delivery_method_active": Row(
        head_manager_page(REDIRECT),
        method="post",
        args=delivery_method_id,
        data=lambda world: {"is_active": "0"},
    ),
    "manager:supplier_document_type_list": Row(head_manager_page(OK)),
    "manager:supplier_document_type_create": Row(
        head_manager_page(REDIRECT), method="post", data=document_type_fields
    ),
    "manager:supplier_document_type_edit": Row(
        head_manager_page(REDIRECT),
        method="post",
        args=document_type_id,
        data=lambda world: {"code": "waybill", "name": "ТОРГ-12", "sort_order": "10"},
    ),
}
