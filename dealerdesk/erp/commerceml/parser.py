"""A streaming reader of CommerceML 2.03–2.10 and 3.1 files.

The file is read with `iterparse` event by event; every record (a group, a product, an offer,
a document) is turned into items of an ERP resource as soon as it ends and is then dropped
from the tree, so memory stays flat whatever the file size. What a file holds is recognised
by its content (`Классификатор`, `Каталог`, `ПакетПредложений`, `Документ`...), never by its
name: 1C names files `import.xml`, `import0_1.xml`, `rests___<guid>.xml`...

The items follow the item schemas of the ERP resources (dealerdesk/erp/resources), so they
take the one import path, `items_receive`, with its validation and journal. Chunks come out
in dependency order: categories, price types and warehouses before the products, products
before their prices and stock.

Decisions worth knowing:
- Characteristics (`<product>#<characteristic>`) are not separate products: their offers go
  to the product (stock summed over the characteristics, the first price kept).
- Documents from 1C about an order placed in the portal become `order-updates` (the portal
  number is `Номер` when 1C gives its own `Номер1С`, or a requisite «Номер на сайте»); other
  orders become `orders`, with the counterparty's `Ид` as `legal_entity_id` (legal entities
  come from the same 1C, so its counterparty GUID is their ERP id).
- Payment and shipment requisites of 1C (`Номер оплаты по 1С`, `Номер отгрузки по 1С`) carry
  neither amounts nor lines: they go into the status comment, not into settlements or
  shipments. 2.09 `Оплаты/Оплата` and 2.10 subordinate documents carry amounts and lines and
  become `settlement-records` (payments) and `shipments`.
- `СодержитТолькоИзменения="false"` marks prices and stock as a full snapshot only when the
  whole list of the package fits in one chunk: a snapshot split over several batches would
  make each batch delete the rows of the others. A larger list is sent as changes.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

logger = logging.getLogger(__name__)

ROOT = "КоммерческаяИнформация"
# The order chunks come out in: a resource's references are written before it.
RESOURCE_ORDER = (
    "categories",
    "price-types",
    "warehouses",
    "products",
    "prices",
    "stock",
    "orders",
    "order-updates",
    "shipments",
    "settlement-records",
)
OFFER_PACKAGES = ("ПакетПредложений", "ИзмененияПакетаПредложений")
DELIVERY_LINE_ID = "ORDER_DELIVERY"
ORDER_OPERATION = "заказ товара"
PAYMENT_OPERATIONS = ("выплата безналичных денег", "выплата наличных денег")
SHIPMENT_OPERATION = "отпуск товара"
SITE_NUMBER_REQUISITES = ("номер на сайте", "номер по данным сайта", "номер заказа на сайте")
SITE_NUMBER_COMMENT = re.compile(r"Номер документа на сайте:\s*([^\]\s]+)")

MONEY = Decimal("0.01")
QUANTITY = Decimal("0.001")
# Field lengths of the resources' item schemas: longer text is cut rather than rejected.
ID_LENGTH = 80
CODE_LENGTH = 64
NAME_LENGTH = 255
PRODUCT_NAME_LENGTH = 500
BRAND_LENGTH = 120
UNIT_LENGTH = 16
TEXT_LENGTH = 255
LONG_TEXT_LENGTH = 20_000

# ОКЕИ codes 1C writes in `БазоваяЕдиница@Код` (with a trailing space: `Код="796 "`).
OKEI_UNITS = {
    "796": "шт",
    "166": "кг",
    "163": "г",
    "168": "т",
    "006": "м",
    "055": "м2",
    "113": "м3",
    "112": "л",
    "715": "пар",
    "704": "набор",
    "778": "упак",
    "839": "компл",
    "018": "пог. м",
    "356": "ч",
}
CURRENCIES = {
    "руб": "RUB",
    "руб.": "RUB",
    "rub": "RUB",
    "rur": "RUB",
    "643": "RUB",
    "грн": "UAH",
    "грн.": "UAH",
    "980": "UAH",
    "usd": "USD",
    "$": "USD",
    "840": "USD",
    "eur": "EUR",
    "€": "EUR",
    "978": "EUR",
    "тенге": "KZT",
    "398": "KZT",
    "бел. руб": "BYN",
    "бел.руб.": "BYN",
    "933": "BYN",
    "юань": "CNY",
    "156": "CNY",
}
# Bitrix's standard status ids (`Статуса заказа ИД`) and the portal's status codes.
BITRIX_STATUSES = {"N": "new", "P": "confirmed", "F": "completed"}
PORTAL_STATUSES = {"new", "confirmed", "assembling", "ready", "shipped", "completed", "cancelled"}


class CommerceMLError(Exception):
    """A file that cannot be read, or data that cannot be understood; `message` says why."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        self.message = f"{message} (строка {line})" if line is not None else message
        super().__init__(self.message)


@dataclass(frozen=True)
class Chunk:
    resource: str
    items: list[dict[str, Any]]
    options: dict[str, Any]


@dataclass(frozen=True)
class ParsedOrderLine:
    product_id: str
    code: str
    name: str
    quantity: Decimal
    price: Decimal
    amount: Decimal
    vat_rate: Decimal | None = None
    # Whether the price includes VAT; None when the line does not say.
    vat_included: bool | None = None
    is_service: bool = False
    requisites: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedPayment:
    id: str
    number: str
    date: str
    amount: Decimal


@dataclass(frozen=True)
class ParsedShipment:
    id: str
    number: str
    date: str
    lines: list[ParsedOrderLine]


@dataclass(frozen=True)
class ParsedOrder:
    id: str
    number: str
    erp_number: str
    date: datetime.date | None
    time: str
    operation: str
    currency: str
    total: Decimal
    deleted: bool
    comment: str
    counterparty_id: str
    counterparty_name: str
    inn: str
    kpp: str
    requisites: dict[str, str]
    lines: list[ParsedOrderLine]
    payments: list[ParsedPayment] = field(default_factory=list)
    shipments: list[ParsedShipment] = field(default_factory=list)

    @property
    def product_lines(self) -> list[ParsedOrderLine]:
        return [line for line in self.lines if not line.is_service]

    def requisite(self, *names: str) -> str:
        wanted = {name.casefold() for name in names}
        for name, value in self.requisites.items():
            if name.casefold() in wanted and value:
                return value
        return ""

    @property
    def portal_reference(self) -> str:
        """The portal's number of the order when the document is about a portal order."""
        from_requisite = self.requisite(*SITE_NUMBER_REQUISITES)
        if from_requisite:
            return from_requisite
        match = SITE_NUMBER_COMMENT.search(self.comment)
        if match:
            return match.group(1)
        if self.erp_number and self.erp_number != self.number:
            # 1C keeps the site's number in `Номер` and adds its own as `Номер1С`.
            return self.number
        return ""

    @property
    def placed_at(self) -> str:
        if self.date is None:
            return ""
        time = self.time if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", self.time) else "00:00:00"
        return f"{self.date.isoformat()}T{time}"


# --- reading --------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _walk(path: Path) -> Iterator[tuple[Element, list[Element]]]:
    """Every ended element with its ancestors (root first); tags without namespaces."""
    stack: list[Element] = []
    try:
        with path.open("rb") as source:
            events = iterparse(
                source,
                events=("start", "end"),
                forbid_dtd=True,
                forbid_entities=True,
                forbid_external=True,
            )
            for event, element in events:
                if event == "start":
                    element.tag = _local(element.tag)
                    if not stack and element.tag != ROOT:
                        raise CommerceMLError(
                            f"это не файл CommerceML: корневой элемент <{element.tag}>, "
                            f"ожидался <{ROOT}>"
                        )
                    stack.append(element)
                    continue
                stack.pop()
                yield element, stack
    except ParseError as error:
        line = error.position[0] if error.position else None
        raise CommerceMLError(f"файл не является корректным XML: {error.msg}", line=line) from None
    except DefusedXmlException as error:
        raise CommerceMLError(
            f"файл отклонён: DTD, сущности и внешние ссылки запрещены ({type(error).__name__})"
        ) from None
    except UnicodeDecodeError as error:
        raise CommerceMLError(f"файл не в заявленной кодировке: {error.reason}") from None
    except LookupError as error:  # an encoding Python does not know
        raise CommerceMLError(f"неизвестная кодировка файла: {error}") from None
    except OSError as error:
        raise CommerceMLError(f"файл не читается: {error.strerror or error}") from None
    if stack:
        raise CommerceMLError("файл оборван: не все элементы закрыты")


def _text(element: Element | None, path: str = "") -> str:
    if element is None:
        return ""
    found = element.find(path) if path else element
    if found is None or found.text is None:
        return ""
    return found.text.strip()


def _flag(text: str) -> bool:
    return text.strip().casefold() in {"true", "1", "да", "истина"}


def _cut(text: str, length: int) -> str:
    return text[:length].strip()


def _decimal(text: str, what: str) -> Decimal:
    cleaned = re.sub(r"[\s\u00a0]", "", text).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise CommerceMLError(f"{what}: {text!r} — не число") from None
    if not value.is_finite():
        raise CommerceMLError(f"{what}: {text!r} — не число")
    return value


def _money(value: Decimal) -> str:
    return str(value.quantize(MONEY, rounding=ROUND_HALF_UP))


def _quantity(value: Decimal) -> str:
    text = f"{value.quantize(QUANTITY, rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _base_id(erp_id: str) -> str:
    """The product of an offer or a line: the part before `#` (the characteristic)."""
    return erp_id.split("#", 1)[0].strip()


def _requisites(element: Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for requisite in element.iterfind("ЗначенияРеквизитов/ЗначениеРеквизита"):
        name = _text(requisite, "Наименование")
        if name:
            values[name] = _text(requisite, "Значение")
    return values


def _deleted(element: Element) -> bool:
    return (
        _flag(_text(element, "ПометкаУдаления"))
        or element.get("Статус", "").strip().casefold() == "удален"
    )


def _vat_rate(element: Element) -> Decimal | None:
    """`СтавкиНалогов/СтавкаНалога` (or a line's `Налоги/Налог`) for НДС: 20, "20%", "Без НДС"."""
    for tax in [
        *element.iterfind("СтавкиНалогов/СтавкаНалога"),
        *element.iterfind("Налоги/Налог"),
    ]:
        name = _text(tax, "Наименование").casefold()
        rate = _text(tax, "Ставка")
        if name not in {"", "ндс"} or not rate:
            continue
        if "без" in rate.casefold():
            return Decimal(0)
        number = rate.replace("%", "").split("/")[0]
        return _decimal(number, "ставка НДС")
    return None


def _currency(text: str) -> str:
    value = text.strip()
    if not value:
        return "RUB"
    mapped = CURRENCIES.get(value.casefold())
    if mapped:
        return mapped
    if re.fullmatch(r"[A-Za-z]{3}", value):
        return value.upper()
    raise CommerceMLError(f"неизвестная валюта {value!r}: укажите код ISO 4217 (RUB, USD...)")


def _date(text: str) -> datetime.date | None:
    value = text.strip()[:10]
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return None


def _moment(text: str) -> str:
    """An ISO date-time from 1C's `2015-06-29T15:39:10`, `2015-06-29` or `29.06.2015 ...`."""
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?", value):
        return value if "T" in value else f"{value}T00:00:00"
    day = _date(value)
    if day is None:
        return ""
    time = re.search(r"\d{1,2}:\d{2}(:\d{2})?", value[10:])
    return f"{day.isoformat()}T{time.group(0) if time else '00:00:00'}"


# --- the catalog --------------------------------------------------------------------------------


@dataclass
class _Property:
    name: str
    variants: dict[str, str]


@dataclass
class _State:
    """What earlier records of the file tell later ones (small: names, not products)."""

    properties: dict[str, _Property] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


def _category(group: Element, ancestors: list[Element]) -> dict[str, Any]:
    erp_id = _text(group, "Ид")
    name = _text(group, "Наименование")
    if not erp_id or not name:
        raise CommerceMLError(f"группа без Ид или Наименования ({erp_id or name!r})")
    item: dict[str, Any] = {"id": _cut(erp_id, ID_LENGTH), "name": _cut(name, NAME_LENGTH)}
    # A nested group's parent is the `Группа` around its `Группы`.
    if len(ancestors) >= 2 and ancestors[-2].tag == "Группа":
        parent_id = _text(ancestors[-2], "Ид")
        if parent_id:
            item["parent_id"] = _cut(parent_id, ID_LENGTH)
    if _deleted(group):
        item["is_active"] = False
    return item


def _property(element: Element, state: _State) -> None:
    erp_id = _text(element, "Ид")
    if not erp_id:
        return
    variants = {
        _text(variant, "ИдЗначения"): _text(variant, "Значение")
        for variant in element.iterfind("ВариантыЗначений/Справочник")
    }
    state.properties[erp_id] = _Property(_text(element, "Наименование"), variants)


def _unit_definition(element: Element, state: _State) -> None:
    short = _text(element, "НаименованиеКраткое")
    if not short:
        return
    for key in (_text(element, "Ид"), _text(element, "Код")):
        if key:
            state.units[key] = short


def _price_type(element: Element) -> dict[str, Any]:
    erp_id = _text(element, "Ид")
    name = _text(element, "Наименование") or erp_id
    if not erp_id:
        raise CommerceMLError(f"тип цены без Ид ({name!r})")
    tax = element.find("Налог")
    includes_vat = True if tax is None else _flag(_text(tax, "УчтеноВСумме") or "true")
    return {
        "id": _cut(erp_id, ID_LENGTH),
        "name": _cut(name, NAME_LENGTH),
        "currency": _currency(_text(element, "Валюта")),
        "includes_vat": includes_vat,
    }


def _warehouse(element: Element) -> dict[str, Any]:
    erp_id = _text(element, "Ид")
    name = _text(element, "Наименование") or erp_id
    if not erp_id:
        raise CommerceMLError(f"склад без Ид ({name!r})")
    item: dict[str, Any] = {"id": _cut(erp_id, ID_LENGTH), "name": _cut(name, NAME_LENGTH)}
    address = _text(element, "Адрес/Представление") or _text(element, "Адрес")
    if address:
        item["address"] = address[:LONG_TEXT_LENGTH]
    if _deleted(element):
        item["is_active"] = False
    return item


def _unit(element: Element | None, state: _State) -> str:
    if element is None:
        return "шт"
    short = element.get("НаименованиеКраткое", "").strip()
    text = (element.text or "").strip()
    code = element.get("Код", "").strip()
    for candidate in (short, text, code):
        if not candidate:
            continue
        if candidate in state.units:
            return _cut(state.units[candidate], UNIT_LENGTH)
        if candidate in OKEI_UNITS:
            return OKEI_UNITS[candidate]
        if not candidate.isdigit():
            return _cut(candidate, UNIT_LENGTH)
    return "шт"


def _attributes(element: Element, state: _State) -> list[dict[str, str]]:
    attributes: list[dict[str, str]] = []
    for value_element in element.iterfind("ЗначенияСвойств/ЗначенияСвойства"):
        definition = state.properties.get(_text(value_element, "Ид"))
        name = definition.name if definition else _text(value_element, "Наименование")
        raw = [(value.text or "").strip() for value in value_element.iterfind("Значение")]
        values = [
            definition.variants.get(value, value) if definition else value for value in raw if value
        ]
        if name and values:
            attributes.append(
                {"name": _cut(name, NAME_LENGTH), "value": _cut(", ".join(values), TEXT_LENGTH)}
            )
    return attributes


def _product(element: Element, state: _State) -> dict[str, Any]:
    raw_id = _text(element, "Ид")
    name = _text(element, "Наименование")
    erp_id = _base_id(raw_id)
    if not erp_id:
        raise CommerceMLError(f"товар без Ид ({name!r})")
    if not name:
        raise CommerceMLError(f"товар {erp_id!r} без Наименования")
    # A product must have a code dealers search by: the article, else the barcode, else the id.
    code = _text(element, "Артикул") or _text(element, "Штрихкод") or erp_id
    item: dict[str, Any] = {
        "id": _cut(erp_id, ID_LENGTH),
        "code": _cut(code, CODE_LENGTH),
        "name": _cut(" ".join(name.split()), PRODUCT_NAME_LENGTH),
        "unit": _unit(element.find("БазоваяЕдиница"), state),
        "attributes": _attributes(element, state),
        "is_active": not _deleted(element),
    }
    category_id = _text(element, "Группы/Ид")
    if category_id:
        item["category_id"] = _cut(category_id, ID_LENGTH)
    brand = _text(element, "Изготовитель/Наименование")
    if brand:
        item["brand"] = _cut(brand, BRAND_LENGTH)
    vat_rate = _vat_rate(element)
    if vat_rate is not None:
        item["vat_rate"] = _money(vat_rate)
    description = _text(element, "Описание")
    if description:
        item["description"] = description[:LONG_TEXT_LENGTH]
    return item


def _offer_prices(offer: Element, product_id: str) -> list[dict[str, Any]]:
    rows = []
    for price in offer.iterfind("Цены/Цена"):
        price_type_id = _text(price, "ИдТипаЦены")
        amount = _text(price, "ЦенаЗаЕдиницу") or _text(price, "Цена")
        if not price_type_id or not amount:
            continue
        value = _decimal(amount, f"цена товара {product_id!r}")
        rows.append(
            {
                "product_id": product_id,
                "price_type_id": _cut(price_type_id, ID_LENGTH),
                "amount": _money(max(value, Decimal(0))),
            }
        )
    return rows


def _offer_stock(offer: Element, product_id: str) -> list[tuple[str, Decimal]]:
    """(warehouse id, quantity) in both forms: `<Склад ИдСклада КоличествоНаСкладе/>` (2.04–2.08)
    and `Остатки/Остаток/Склад/{Ид, Количество}` (the 1C module's rests files, 2.09+, 3.1)."""
    rows: list[tuple[str, Decimal]] = []
    for warehouse in offer.iterfind("Склад"):
        warehouse_id = warehouse.get("ИдСклада", "").strip() or _text(warehouse, "Ид")
        quantity = warehouse.get("КоличествоНаСкладе", "").strip() or _text(warehouse, "Количество")
        if warehouse_id and quantity:
            rows.append((warehouse_id, _decimal(quantity, f"остаток товара {product_id!r}")))
    for warehouse in offer.iterfind("Остатки/Остаток/Склад"):
        warehouse_id = _text(warehouse, "Ид")
        quantity = _text(warehouse, "Количество")
        if warehouse_id and quantity:
            rows.append((warehouse_id, _decimal(quantity, f"остаток товара {product_id!r}")))
    return rows


# --- documents ----------------------------------------------------------------------------------


def _order_line(element: Element) -> ParsedOrderLine:
    raw_id = _text(element, "Ид")
    name = " ".join(_text(element, "Наименование").split())
    requisites = _requisites(element)
    quantity = _decimal(_text(element, "Количество") or "0", f"количество в строке {name!r}")
    price_text = _text(element, "ЦенаЗаЕдиницу") or _text(element, "Цена")
    price = _decimal(price_text or "0", f"цена в строке {name!r}")
    amount_text = _text(element, "Сумма")
    amount = _decimal(amount_text, f"сумма строки {name!r}") if amount_text else price * quantity
    tax = element.find("Налоги/Налог")
    vat_included = None if tax is None else _flag(_text(tax, "УчтеноВСумме"))
    kind = requisites.get("ТипНоменклатуры", "").casefold()
    return ParsedOrderLine(
        product_id=raw_id,
        code=_text(element, "Артикул"),
        name=name,
        quantity=quantity,
        price=price,
        amount=amount,
        vat_rate=_vat_rate(element),
        vat_included=vat_included,
        is_service=raw_id == DELIVERY_LINE_ID or kind == "услуга",
        requisites=requisites,
    )


def _counterparty(document: Element) -> Element | None:
    counterparties = list(document.iterfind("Контрагенты/Контрагент"))
    for counterparty in counterparties:
        if _text(counterparty, "Роль").casefold() == "покупатель":
            return counterparty
    return counterparties[0] if counterparties else None


def _order(document: Element) -> ParsedOrder:
    counterparty = _counterparty(document)
    payments = [
        ParsedPayment(
            id=_text(payment, "НомерТранзакции") or _text(payment, "НомерДокумента"),
            number=_text(payment, "НомерДокумента"),
            date=_moment(_text(payment, "ДатаОплаты")),
            amount=_decimal(_text(payment, "СуммаОплаты") or "0", "сумма оплаты"),
        )
        for payment in document.iterfind("Оплаты/Оплата")
    ]
    shipments = []
    for subordinate in document.iterfind("ПодчиненныеДокументы/ПодчиненныйДокумент"):
        operation = _text(subordinate, "ХозОперация").casefold()
        date = _text(subordinate, "Дата")
        time = _text(subordinate, "Время")
        moment = _moment(f"{date}T{time}" if date and time and "T" not in date else date)
        if operation in PAYMENT_OPERATIONS:
            payments.append(
                ParsedPayment(
                    id=_text(subordinate, "Ид") or _text(subordinate, "Номер"),
                    number=_text(subordinate, "Номер"),
                    date=moment,
                    amount=_decimal(_text(subordinate, "Сумма") or "0", "сумма оплаты"),
                )
            )
        elif operation == SHIPMENT_OPERATION:
            shipments.append(
                ParsedShipment(
                    id=_text(subordinate, "Ид") or _text(subordinate, "Номер"),
                    number=_text(subordinate, "Номер"),
                    date=moment,
                    lines=[_order_line(line) for line in subordinate.iterfind("Товары/Товар")],
                )
            )
        else:
            logger.info("CommerceML: подчинённый документ %r пропущен", operation)
    total_text = _text(document, "Сумма")
    return ParsedOrder(
        id=_text(document, "Ид"),
        number=_text(document, "Номер"),
        erp_number=_text(document, "Номер1С"),
        date=_date(_text(document, "Дата")),
        time=_text(document, "Время"),
        operation=_text(document, "ХозОперация"),
        currency=_text(document, "Валюта"),
        total=_decimal(total_text, "сумма документа") if total_text else Decimal(0),
        deleted=_flag(_text(document, "ПометкаУдаления")),
        comment=_text(document, "Комментарий"),
        counterparty_id=_text(counterparty, "Ид"),
        counterparty_name=_text(counterparty, "Наименование")
        or _text(counterparty, "ОфициальноеНаименование"),
        inn=_text(counterparty, "ИНН"),
        kpp=_text(counterparty, "КПП"),
        requisites=_requisites(document),
        lines=[_order_line(line) for line in document.iterfind("Товары/Товар")],
        payments=payments,
        shipments=shipments,
    )


def _order_status(order: ParsedOrder) -> str:
    if order.deleted or _flag(order.requisite("Отменен")):
        return "cancelled"
    if _flag(order.requisite("Финальный статус")):
        return "completed"
    status_id = order.requisite("Статуса заказа ИД", "Статус заказа ИД")
    if status_id.casefold() in PORTAL_STATUSES:
        return status_id.casefold()
    if status_id in BITRIX_STATUSES:
        return BITRIX_STATUSES[status_id]
    if order.shipments or order.requisite("Номер отгрузки по 1С"):
        return "shipped"
    if _flag(order.requisite("Проведен")):
        return "confirmed"
    return "new"


def _status_comment(order: ParsedOrder) -> str:
    notes = []
    for what, number_name, date_name in (
        ("Оплата", "Номер оплаты по 1С", "Дата оплаты по 1С"),
        ("Отгрузка", "Номер отгрузки по 1С", "Дата отгрузки по 1С"),
    ):
        number = order.requisite(number_name)
        if number:
            day = _date(order.requisite(date_name))
            notes.append(f"{what} {number}" + (f" от {day:%d.%m.%Y}" if day else ""))
    status_name = order.requisite("Статус заказа")
    if status_name:
        notes.append(status_name)
    return "; ".join(notes)


def _price_with_vat(line: ParsedOrderLine) -> Decimal:
    """The portal's line price includes VAT; 1C may send it without (`УчтеноВСумме=false`)."""
    if line.vat_included is False and line.vat_rate:
        return line.price * (1 + line.vat_rate / 100)
    return line.price


def _delivery_method(order: ParsedOrder) -> str:
    method = order.requisite("Способ доставки").casefold()
    if "самовывоз" in method:
        return "pickup"
    if "транспортн" in method:
        return "carrier"
    if "доставк" in method or "курьер" in method:
        return "delivery"
    return ""


def _order_items(order: ParsedOrder) -> dict[str, list[dict[str, Any]]]:
    """The items of the resources a `Заказ товара` document feeds."""
    items: dict[str, list[dict[str, Any]]] = {}
    reference = order.portal_reference
    order_id = reference or order.id
    status = _order_status(order)
    if reference:
        update: dict[str, Any] = {"id": _cut(reference, ID_LENGTH), "status": status}
        erp_number = order.erp_number or (order.number if order.number != reference else "")
        if erp_number:
            update["erp_number"] = _cut(erp_number, 60)
        comment = _status_comment(order)
        if comment:
            update["status_comment"] = comment
        items["order-updates"] = [update]
    else:
        lines = [
            {
                "product_id": _cut(_base_id(line.product_id), ID_LENGTH),
                "quantity": _quantity(line.quantity),
                "price": _money(_price_with_vat(line)),
            }
            for line in order.product_lines
            if _base_id(line.product_id) and line.quantity > 0
        ]
        if not order.id or not lines:
            logger.info("CommerceML: заказ %r без Ид или без товаров пропущен", order.number)
            return items
        comment = "\n".join(
            part for part in (order.comment, order.requisite("Комментарии покупателя")) if part
        )
        items["orders"] = [
            {
                "id": _cut(order.id, ID_LENGTH),
                "number": _cut(order.erp_number or order.number or order.id, 60),
                "legal_entity_id": _cut(order.counterparty_id, ID_LENGTH),
                "placed_at": order.placed_at,
                "status": status,
                "lines": lines,
                "delivery_method": _delivery_method(order),
                "delivery_address": order.requisite("Адрес доставки")[:LONG_TEXT_LENGTH],
                "comment": comment[:LONG_TEXT_LENGTH],
            }
        ]
    legal_entity_id = _cut(order.counterparty_id, ID_LENGTH)
    for shipment in order.shipments:
        lines = [
            {
                "product_id": _cut(_base_id(line.product_id), ID_LENGTH),
                "quantity": _quantity(line.quantity),
                "price": _money(_price_with_vat(line)),
            }
            for line in shipment.lines
            if not line.is_service and line.quantity > 0
        ]
        if shipment.id and shipment.date and legal_entity_id and lines:
            items.setdefault("shipments", []).append(
                {
                    "id": _cut(shipment.id, ID_LENGTH),
                    "number": _cut(shipment.number or shipment.id, 60),
                    "shipped_at": shipment.date,
                    "legal_entity_id": legal_entity_id,
                    "order_id": _cut(order_id, ID_LENGTH),
                    "lines": lines,
                }
            )
    for payment in order.payments:
        if payment.id and payment.date and legal_entity_id and payment.amount > 0:
            items.setdefault("settlement-records", []).append(
                {
                    "id": _cut(payment.id, ID_LENGTH),
                    "legal_entity_id": legal_entity_id,
                    "kind": "payment",
                    "date": payment.date[:10],
                    "number": _cut(payment.number, 60),
                    "credit": _money(payment.amount),
                    "order_id": _cut(order_id, ID_LENGTH),
                }
            )
    return items


# --- chunking -----------------------------------------------------------------------------------


class _Output:
    """Buffers items per resource and hands out chunks in dependency order."""

    def __init__(self, chunk_size: int) -> None:
        self.chunk_size = max(1, chunk_size)
        self.buffers: dict[str, list[dict[str, Any]]] = {name: [] for name in RESOURCE_ORDER}
        self.category_depth: list[int] = []
        self.stock: dict[tuple[str, str], Decimal] = {}
        self.prices: dict[tuple[str, str], dict[str, Any]] = {}
        self.product_ids: set[str] = set()
        self.last_offer_product = ""
        self.package_split = False

    def _chunks(self, resource: str, options: dict[str, Any] | None = None) -> Iterator[Chunk]:
        items = self.buffers[resource]
        if resource == "categories":
            # Parents before children: a nested group ends (and is read) before its parent.
            order = sorted(range(len(items)), key=self.category_depth.__getitem__)
            items = [items[index] for index in order]
            self.category_depth = []
        if resource == "products":
            self.product_ids.clear()  # only the batch being built is checked for repeats
        self.buffers[resource] = []
        for start in range(0, len(items), self.chunk_size):
            yield Chunk(resource, items[start : start + self.chunk_size], dict(options or {}))

    def before(self, resource: str) -> Iterator[Chunk]:
        """Everything a resource may refer to, written out before its first item."""
        for name in RESOURCE_ORDER[: RESOURCE_ORDER.index(resource)]:
            if name in ("prices", "stock"):
                yield from self.offer_chunks(snapshot=False)
            elif self.buffers[name]:
                yield from self._chunks(name)

    def add(self, resource: str, items: list[dict[str, Any]]) -> Iterator[Chunk]:
        if not items:
            return
        yield from self.before(resource)
        self.buffers[resource].extend(items)
        if resource != "categories" and len(self.buffers[resource]) >= self.chunk_size:
            yield from self._chunks(resource)

    def add_category(self, item: dict[str, Any], depth: int) -> None:
        self.buffers["categories"].append(item)
        self.category_depth.append(depth)

    def add_product(self, item: dict[str, Any]) -> Iterator[Chunk]:
        # Characteristics sent as products share the product's id: the first one stands.
        if item["id"] in self.product_ids:
            return
        self.product_ids.add(item["id"])
        yield from self.add("products", [item])

    def add_offer(
        self,
        product_id: str,
        prices: list[dict[str, Any]],
        stock: list[tuple[str, Decimal]],
    ) -> Iterator[Chunk]:
        if not prices and not stock:
            return
        yield from self.before("prices")
        if product_id != self.last_offer_product and (
            len(self.prices) >= self.chunk_size or len(self.stock) >= self.chunk_size
        ):
            # Cut only between products: the characteristics of one product, summed or
            # deduplicated below, must stay in one batch.
            self.package_split = True
            yield from self.offer_chunks(snapshot=False)
        self.last_offer_product = product_id
        for row in prices:
            self.prices.setdefault((row["product_id"], row["price_type_id"]), row)
        for warehouse_id, quantity in stock:
            key = (product_id, _cut(warehouse_id, ID_LENGTH))
            self.stock[key] = self.stock.get(key, Decimal(0)) + quantity

    def offer_chunks(self, *, snapshot: bool) -> Iterator[Chunk]:
        options = {"full_snapshot": True} if snapshot and not self.package_split else {}
        if self.prices:
            self.buffers["prices"] = list(self.prices.values())
            self.prices = {}
            yield from self._chunks("prices", options)
        if self.stock:
            # A negative balance (1C allows them) is no stock for a dealer.
            self.buffers["stock"] = [
                {
                    "product_id": product_id,
                    "warehouse_id": warehouse_id,
                    "quantity": _quantity(max(quantity, Decimal(0))),
                }
                for (product_id, warehouse_id), quantity in self.stock.items()
            ]
            self.stock = {}
            yield from self._chunks("stock", options)

    def end_package(self, *, snapshot: bool) -> Iterator[Chunk]:
        yield from self.offer_chunks(snapshot=snapshot)
        self.package_split = False
        self.last_offer_product = ""

    def finish(self) -> Iterator[Chunk]:
        yield from self.before(RESOURCE_ORDER[-1])
        yield from self._chunks(RESOURCE_ORDER[-1])


def _inside(ancestors: list[Element], tag: str) -> bool:
    return any(element.tag == tag for element in ancestors)


def read_document(path: Path, *, chunk_size: int = 2000) -> Iterator[Chunk]:
    """Stream one CommerceML file (any name) and yield chunks in dependency order."""
    state = _State()
    output = _Output(chunk_size)
    for element, ancestors in _walk(path):
        parent = ancestors[-1] if ancestors else None
        parent_tag = parent.tag if parent is not None else ""
        tag = element.tag
        record = True
        if tag == "Группа" and parent_tag == "Группы" and _inside(ancestors, "Классификатор"):
            depth = sum(1 for ancestor in ancestors if ancestor.tag == "Группа")
            output.add_category(_category(element, ancestors), depth)
        elif tag == "Свойство" and parent_tag == "Свойства":
            _property(element, state)
        elif tag == "ЕдиницаИзмерения" and parent_tag == "ЕдиницыИзмерения":
            _unit_definition(element, state)
        elif tag == "ТипЦены" and parent_tag == "ТипыЦен" and not _inside(ancestors, "Документ"):
            yield from output.add("price-types", [_price_type(element)])
        elif tag == "Склад" and parent_tag == "Склады" and not _inside(ancestors, "Документ"):
            yield from output.add("warehouses", [_warehouse(element)])
        elif tag == "Товар" and parent_tag == "Товары" and _inside(ancestors, "Каталог"):
            yield from output.add_product(_product(element, state))
        elif tag == "Предложение" and parent_tag == "Предложения":
            product_id = _cut(_base_id(_text(element, "Ид")), ID_LENGTH)
            if not product_id:
                raise CommerceMLError(f"предложение без Ид ({_text(element, 'Наименование')!r})")
            yield from output.add_offer(
                product_id, _offer_prices(element, product_id), _offer_stock(element, product_id)
            )
        elif tag == "Документ" and parent_tag in (ROOT, "Контейнер"):
            order = _order(element)
            if order.operation.casefold() == ORDER_OPERATION:
                for resource, items in _order_items(order).items():
                    yield from output.add(resource, items)
            else:
                logger.info("CommerceML: документ %r (%s) пропущен", order.number, order.operation)
        elif tag in OFFER_PACKAGES and parent_tag == ROOT:
            snapshot = tag == "ПакетПредложений" and (
                element.get("СодержитТолькоИзменения", "").strip().casefold() == "false"
            )
            yield from output.end_package(snapshot=snapshot)
        elif tag == "Контрагент" and parent_tag == "Контрагенты" and len(ancestors) <= 2:
            # A contractors file (3.1): legal entities come through the portal's own
            # requests and the `legal-entities` resource, which needs more than 1C sends.
            logger.info("CommerceML: контрагент %r пропущен", _text(element, "Ид"))
        else:
            record = False
        if record and parent is not None:
            parent.remove(element)  # the record is read: keep memory flat
    yield from output.finish()


def read_orders(path: Path) -> list[ParsedOrder]:
    """The `Заказ товара` documents of a file, as written (service lines included)."""
    orders = []
    for element, ancestors in _walk(path):
        parent = ancestors[-1] if ancestors else None
        if element.tag == "Документ" and parent is not None and parent.tag in (ROOT, "Контейнер"):
            order = _order(element)
            if order.operation.casefold() == ORDER_OPERATION:
                orders.append(order)
            parent.remove(element)
    return orders


def drop_unknown_products(
    chunk: Chunk, known: Callable[[Collection[str]], Collection[str]]
) -> tuple[Chunk, list[str]]:
    """The chunk without the prices or stock of products the portal does not have, and their
    ids. An offers file often lists goods the catalog file did not send (services, goods
    not published); one such row must not reject the prices of all the others. `known` gets
    the product ids and answers those that exist (a query by the caller). The chunk may come
    back empty: skip it."""
    if chunk.resource not in ("prices", "stock"):
        return chunk, []
    wanted = {item["product_id"] for item in chunk.items}
    existing = set(known(wanted))
    missing = sorted(wanted - existing)
    if not missing:
        return chunk, []
    items = [item for item in chunk.items if item["product_id"] in existing]
    # A snapshot with no known product left would zero every stored stock row: a file about
    # goods the portal does not have is no news about the goods it has.
    options = chunk.options if items else {}
    return Chunk(chunk.resource, items, options), missing
