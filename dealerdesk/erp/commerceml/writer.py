"""The CommerceML document `type=sale&mode=query` answers: the portal's orders for 1C.

Built from the order documents of the outbox (`dealerdesk.orders.events.order_document`), so 1C
receives exactly what the REST API's `order.placed` event carries. The shape follows what
1C-Bitrix sends (1C is tested against it): `Документ` with `ХозОперация` "Заказ товара", role
"Продавец", the buyer in `Контрагенты`, lines in `Товары`, the portal's details as
`ЗначенияРеквизитов`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from django.utils import timezone

SCHEMA_VERSION = "2.08"
NAMESPACE = "urn:1C.ru:commerceml_2"
ORDER_EVENT_KINDS = ("order.placed", "order.changed")
# ОКЕИ codes of the units the portal uses; a unit not listed is sent by name only.
UNIT_CODES = {
    "шт": ("796", "Штука", "PCE"),
    "м": ("006", "Метр", "MTR"),
    "км": ("008", "Километр", "KMT"),
    "кг": ("166", "Килограмм", "KGM"),
    "т": ("168", "Тонна", "TNE"),
    "л": ("112", "Литр", "LTR"),
    "м2": ("055", "Квадратный метр", "MTK"),
    "м3": ("113", "Кубический метр", "MTQ"),
    "упак": ("778", "Упаковка", "NMP"),
    "компл": ("839", "Комплект", "SET"),
}
CURRENCY_NAMES = {"RUB": "руб"}  # 1C-Bitrix writes `руб`, and 1C maps it to the ruble
VAT = "НДС"


def _text(parent: Element, tag: str, value: Any) -> Element:
    element = SubElement(parent, tag)
    element.text = "" if value is None else str(value)
    return element


def _requisites(parent: Element, values: Sequence[tuple[str, Any]]) -> None:
    container = SubElement(parent, "ЗначенияРеквизитов")
    for name, value in values:
        requisite = SubElement(container, "ЗначениеРеквизита")
        _text(requisite, "Наименование", name)
        _text(requisite, "Значение", value)


def _vat(parent: Element, amount: str) -> None:
    taxes = SubElement(parent, "Налоги")
    tax = SubElement(taxes, "Налог")
    _text(tax, "Наименование", VAT)
    _text(tax, "УчтеноВСумме", "true")  # the portal's prices include VAT
    _text(tax, "Сумма", amount)


def _unit(parent: Element, unit: str) -> None:
    element = _text(parent, "БазоваяЕдиница", unit)
    known = UNIT_CODES.get(unit)
    if known is not None:
        code, full_name, international = known
        element.set("Код", code)
        element.set("НаименованиеПолное", full_name)
        element.set("МеждународноеСокращение", international)


def _rate(value: str) -> str:
    # "22.00" -> "22": 1C writes and expects the rate without decimals.
    return value.split(".")[0] if value.endswith((".00", ".0")) else value


def _order(root: Element, order: dict[str, Any]) -> None:
    placed = timezone.localtime(datetime.datetime.fromisoformat(order["placed_at"]))
    document = SubElement(root, "Документ")
    _text(document, "Ид", order.get("erp_id") or order["number"])
    _text(document, "Номер", order["number"])
    _text(document, "Дата", placed.date().isoformat())
    _text(document, "Время", placed.strftime("%H:%M:%S"))
    _text(document, "ХозОперация", "Заказ товара")
    _text(document, "Роль", "Продавец")
    currency = order.get("currency") or "RUB"
    _text(document, "Валюта", CURRENCY_NAMES.get(currency, currency))
    _text(document, "Курс", "1")
    _text(document, "Сумма", order["amount_with_vat"])

    legal_entity = order["legal_entity"]
    parties = SubElement(document, "Контрагенты")
    party = SubElement(parties, "Контрагент")
    # A legal entity registered in the portal and not yet in the ERP has no ERP id.
    _text(party, "Ид", legal_entity.get("erp_id") or f"portal-{legal_entity['id']}")
    _text(party, "Наименование", legal_entity["name"])
    _text(party, "ОфициальноеНаименование", legal_entity["name"])
    _text(party, "ИНН", legal_entity.get("inn") or "")
    if legal_entity.get("kpp"):
        _text(party, "КПП", legal_entity["kpp"])
    _text(party, "Роль", "Покупатель")

    _text(document, "Комментарий", order.get("comment") or "")
    _vat(document, order["vat_amount"])

    goods = SubElement(document, "Товары")
    for line in order["lines"]:
        product = SubElement(goods, "Товар")
        _text(product, "Ид", line.get("product_erp_id") or line["code"])
        _text(product, "Артикул", line["code"])
        _text(product, "Наименование", line["name"])
        _unit(product, line.get("unit") or "шт")
        _text(product, "ЦенаЗаЕдиницу", line["price"])
        _text(product, "Количество", line["quantity"])
        _text(product, "Сумма", line["amount"])
        rates = SubElement(product, "СтавкиНалогов")
        rate = SubElement(rates, "СтавкаНалога")
        _text(rate, "Наименование", VAT)
        _text(rate, "Ставка", _rate(line["vat_rate"]))
        _vat(product, line["vat_amount"])
        _requisites(
            product,
            [
                ("ВидНоменклатуры", "Товар"),
                ("ТипНоменклатуры", "Товар"),
                ("НомерПозицииКорзины", line["position"]),
            ],
        )

    delivery = order.get("delivery") or {}
    author = order.get("author") or {}
    requisites: list[tuple[str, Any]] = [
        ("Номер на сайте", order["number"]),
        ("Статус заказа", order.get("status") or ""),
        ("Метод доставки", delivery.get("method") or ""),
    ]
    if delivery.get("address"):
        requisites.append(("Адрес доставки", delivery["address"]))
    if delivery.get("warehouse_erp_id"):
        requisites.append(("Склад самовывоза", delivery["warehouse_erp_id"]))
    if order.get("customer_reference"):
        requisites.append(("Номер заказа покупателя", order["customer_reference"]))
    if order.get("comment"):
        requisites.append(("Комментарий", order["comment"]))
    if author.get("email"):
        requisites.append(("Автор", f"{author.get('name') or ''} <{author['email']}>".strip()))
    if order.get("price_type_erp_id"):
        requisites.append(("Тип цен", order["price_type_erp_id"]))
    _requisites(document, requisites)


def orders_document(
    orders: Sequence[dict[str, Any]], *, encoding: str, generated_at: datetime.datetime
) -> bytes:
    """The orders as a CommerceML 2.08 document in `encoding` (windows-1251 or utf-8).

    A character the encoding lacks is written as an XML character reference, so any name
    survives windows-1251."""
    root = Element(
        "КоммерческаяИнформация",
        {
            "xmlns": NAMESPACE,
            "ВерсияСхемы": SCHEMA_VERSION,
            "ДатаФормирования": timezone.localtime(generated_at)
            .replace(microsecond=0, tzinfo=None)
            .isoformat(),
        },
    )
    for order in orders:
        _order(root, order)
    indent(root)  # for the person reading it in the exchange log
    body = tostring(root, encoding="unicode")
    prolog = f'<?xml version="1.0" encoding="{encoding}"?>\n'
    return (prolog + body).encode(encoding, errors="xmlcharrefreplace")
