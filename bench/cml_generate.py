"""A CommerceML 2.08 catalog export as 1C:Управление торговлей writes it for "обмен с сайтом":
`import.xml` (classifier with groups and properties, the catalog of products) and `offers.xml`
(price types, warehouses, prices and stock of every product).

The data looks like an electrical equipment distributor's: three levels of groups, real-looking
articles (MVA20-3-016-C), Russian names, ОКЕИ unit 796, VAT 22 %, two price types and stock per
warehouse in the `<Склад ИдСклада КоличествоНаСкладе/>` form. Both files are written product by
product, so 100,000 products take no more memory than 10: the benchmark measures the portal's
memory, not the generator's.

    python -m bench.cml_generate var/bench/cml/sample --products 50
"""

from __future__ import annotations

import argparse
import itertools
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

SCHEMA_VERSION = "2.08"
# A fixed time: the same seed gives byte-identical files, whatever day they are written.
GENERATED_AT = "2026-11-27T09:00:00"
NAMESPACES = (
    'xmlns="urn:1C.ru:commerceml_2" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)
OWNER_INN, OWNER_KPP = "7704123456", "770401001"
OWNER_NAME = 'ООО "ЭлектроСнабКомплект"'
OWNER_FULL_NAME = 'Общество с ограниченной ответственностью "ЭлектроСнабКомплект"'
VAT_RATE = "22"
PRICE_TYPES = ("Розничная", "Оптовая")
WHOLESALE_SHARE = Decimal("0.78")  # the wholesale price is this share of the retail one
WAREHOUSE_NAMES = (
    "Основной склад (Москва)",
    "Склад Санкт-Петербург",
    "Склад Екатеринбург",
    "Склад Новосибирск",
    "Склад Краснодар",
)
BRANDS = ("IEK", "EKF", "КЭАЗ", "DKC", "Navigator", "Кабэкс")


@dataclass(frozen=True)
class Variant:
    """One product of a family: its article, name, properties (name -> value) and price."""

    code: str
    name: str
    properties: dict[str, str]
    price: Decimal


@dataclass(frozen=True)
class Family:
    """A product line in a leaf group: every combination of its parameters is one variant."""

    group: tuple[str, str, str]  # top, middle and leaf group names
    brand: str
    variants: Callable[[], Iterator[Variant]]


def _breakers(series: str, prefix: str, brand: str, breaking: str, base: int) -> Family:
    def variants() -> Iterator[Variant]:
        for poles, current, curve in itertools.product(
            (1, 2, 3, 4), (6, 10, 16, 20, 25, 32, 40, 50, 63), "BCD"
        ):
            yield Variant(
                code=f"{prefix}-{poles}-{current:03d}-{curve}",
                name=f"Автоматический выключатель {series} {poles}Р {current}А {breaking} "
                f"характеристика {curve} {brand}",
                properties={
                    "Число полюсов": str(poles),
                    "Номинальный ток, А": str(current),
                    "Характеристика срабатывания": curve,
                },
                price=Decimal(base * poles + current * 3),
            )

    return Family(("Модульное оборудование", "Автоматические выключатели", series), brand, variants)


def _rcds() -> Family:
    def variants() -> Iterator[Variant]:
        for poles, current, leakage in itertools.product(
            (2, 4), (16, 25, 32, 40, 63, 80, 100), (10, 30, 100, 300)
        ):
            yield Variant(
                code=f"MDV10-{poles}-{current:03d}-{leakage:03d}",
                name=f"Выключатель дифференциального тока (УЗО) ВД1-63 {poles}Р {current}А "
                f"{leakage}мА IEK",
                properties={
                    "Число полюсов": str(poles),
                    "Номинальный ток, А": str(current),
                    "Ток утечки, мА": str(leakage),
                },
                price=Decimal(900 + poles * 210 + current * 9),
            )

    return Family(
        ("Модульное оборудование", "УЗО и дифавтоматы", "Устройства защитного отключения ВД1-63"),
        "IEK",
        variants,
    )


def _contactors() -> Family:
    def variants() -> Iterator[Variant]:
        for current, contacts, voltage in itertools.product(
            (20, 25, 40, 63), ("20", "11", "02", "40", "22", "04"), (24, 230)
        ):
            yield Variant(
                code=f"mdc-{current}-{contacts}-{voltage}",
                name=f"Контактор модульный КМ {current}А {voltage}В AC {contacts[0]}НО+"
                f"{contacts[1]}НЗ EKF PROxima",
                properties={
                    "Номинальный ток, А": str(current),
                    "Напряжение катушки, В": str(voltage),
                },
                price=Decimal(1400 + current * 31),
            )

    return Family(
        ("Модульное оборудование", "Контакторы и реле", "Контакторы модульные КМ"), "EKF", variants
    )


def _cables(kind: str, prefix: str, brand: str, base: int) -> Family:
    def variants() -> Iterator[Variant]:
        for cores, section, length in itertools.product(
            (2, 3, 4, 5), ("1,5", "2,5", "4", "6", "10", "16"), (50, 100, 200)
        ):
            yield Variant(
                code=f"{prefix}-{cores}x{section.replace(',', '.')}-{length}",
                name=f"Кабель {kind} {cores}х{section} ок(N, PE)-0,66 (бухта {length} м) {brand}",
                properties={"Число жил": str(cores), "Сечение жилы, мм²": section},
                price=Decimal(length * (base + cores * 14)),
            )

    return Family(("Кабельно-проводниковая продукция", "Силовой кабель", kind), brand, variants)


def _enclosures() -> Family:
    def variants() -> Iterator[Variant]:
        for modules, protection, door in itertools.product(
            (6, 9, 12, 18, 24, 36, 48, 54, 72), ("31", "54"), ("Z", "ZO")
        ):
            yield Variant(
                code=f"MKM14-N-{modules:02d}-{protection}-{door}",
                name=f"Корпус металлический ЩРН-{modules} (IP{protection}) "
                f"{'с окном ' if door == 'ZO' else ''}IEK",
                properties={"Число модулей": str(modules), "Степень защиты": f"IP{protection}"},
                price=Decimal(1900 + modules * 62),
            )

    return Family(
        ("Щитовое оборудование", "Корпуса металлические", "Щиты распределительные ЩРН"),
        "IEK",
        variants,
    )


def _boxes() -> Family:
    def variants() -> Iterator[Variant]:
        for modules, mounting, color in itertools.product(
            (2, 4, 6, 8, 12, 18, 24), ("N", "V"), ("K", "B")
        ):
            place = "навесной" if mounting == "N" else "встраиваемый"
            shade = "белый" if color == "B" else "прозрачная дверца"
            yield Variant(
                code=f"MKP12-{mounting}-{modules:02d}-40-{color}",
                name=f"Бокс пластиковый КМПн {place} на {modules} модулей IP40 {shade} IEK",
                properties={"Число модулей": str(modules), "Степень защиты": "IP40"},
                price=Decimal(280 + modules * 41),
            )

    return Family(("Щитовое оборудование", "Боксы пластиковые", "Боксы КМПн"), "IEK", variants)


def _panels() -> Family:
    def variants() -> Iterator[Variant]:
        for power, temperature, size in itertools.product(
            (18, 24, 36, 40, 50), (3000, 4000, 6500), ("595x595", "1195x180")
        ):
            yield Variant(
                code=f"LDVO0-{power}-{temperature // 100}-{size.replace('x', '')}",
                name=f"Светильник светодиодный ДВО {power}Вт {temperature}К {size} мм IP20 "
                "Navigator",
                properties={
                    "Мощность, Вт": str(power),
                    "Цветовая температура, К": str(temperature),
                },
                price=Decimal(650 + power * 28),
            )

    return Family(
        ("Светотехника", "Светодиодные светильники", "Панели ДВО офисные"), "Navigator", variants
    )


def _lamps() -> Family:
    def variants() -> Iterator[Variant]:
        for shape, power, temperature, socket in itertools.product(
            ("A60", "G45", "C37", "R63"), (7, 9, 11, 13, 15), (3000, 4000, 6500), ("E14", "E27")
        ):
            yield Variant(
                code=f"LLE-{shape}-{power}-230-{temperature // 100}-{socket}",
                name=f"Лампа светодиодная LED {shape} {power}Вт 230В {temperature}К {socket} EKF",
                properties={"Мощность, Вт": str(power), "Цоколь": socket},
                price=Decimal(85 + power * 9),
            )

    return Family(("Светотехника", "Лампы", "Лампы светодиодные"), "EKF", variants)


FAMILIES = (
    _breakers("ВА47-29", "MVA20", "IEK", "4,5кА", 140),
    _breakers("ВА47-63", "MVA22", "IEK", "6кА", 190),
    _breakers("ВА47-100", "MVA40", "КЭАЗ", "10кА", 620),
    _rcds(),
    _contactors(),
    _cables("ВВГнг(А)-LS", "VVGng-LS", "Кабэкс", 31),
    _cables("КГтп-ХЛ", "KGtp-HL", "Кабэкс", 44),
    _enclosures(),
    _boxes(),
    _panels(),
    _lamps(),
)
TEXT_PROPERTIES = {"Характеристика срабатывания", "Степень защиты", "Цоколь", "Сечение жилы, мм²"}
PROPERTY_NAMES = sorted(
    {name for family in FAMILIES for variant in family.variants() for name in variant.properties}
)


@dataclass(frozen=True)
class Product:
    id: str
    code: str
    name: str
    leaf_group: tuple[str, str, str]
    brand: str
    barcode: str
    properties: dict[str, str]
    retail_price: Decimal


def _ean13(rng: random.Random) -> str:
    digits = "46" + "".join(str(rng.randint(0, 9)) for _ in range(10))
    checksum = sum(int(digit) * (3 if position % 2 else 1) for position, digit in enumerate(digits))
    return digits + str((10 - checksum % 10) % 10)


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _products(count: int, rng: random.Random) -> Iterator[Product]:
    """`count` products, families taken in turn; a family's variants repeat as new series
    with a suffix (MVA20-3-016-C-01), so every article is unique however many are asked."""
    variants = [list(family.variants()) for family in FAMILIES]
    for number in range(count):
        family_index = number % len(FAMILIES)
        round_number, position = divmod(number // len(FAMILIES), len(variants[family_index]))
        variant = variants[family_index][position]
        suffix = f"-{round_number:02d}" if round_number else ""
        yield Product(
            id=_guid(rng),
            code=variant.code + suffix,
            name=variant.name + (f" (серия {round_number:02d})" if round_number else ""),
            leaf_group=FAMILIES[family_index].group,
            brand=FAMILIES[family_index].brand,
            barcode=_ean13(rng),
            properties=variant.properties,
            retail_price=(variant.price * Decimal(rng.randint(90, 130)) / 100).quantize(
                Decimal("0.01")
            ),
        )


def _text(tag: str, value: str) -> str:
    return f"<{tag}>{escape(value)}</{tag}>"


def _header(out: IO[str]) -> None:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(
        f"<КоммерческаяИнформация {NAMESPACES} ВерсияСхемы={quoteattr(SCHEMA_VERSION)} "
        f"ДатаФормирования={quoteattr(GENERATED_AT)}>\n"
    )


def _owner(owner_id: str) -> str:
    return (
        f"<Владелец>{_text('Ид', owner_id)}{_text('Наименование', OWNER_NAME)}"
        f"{_text('ОфициальноеНаименование', OWNER_FULL_NAME)}"
        f"{_text('ИНН', OWNER_INN)}{_text('КПП', OWNER_KPP)}</Владелец>"
    )


@dataclass(frozen=True)
class ExportIds:
    """The `Ид` values of everything but the products; the same for a seed whatever the size."""

    catalog: str
    owner: str
    groups: dict[tuple[str, ...], str]  # group path -> Ид
    properties: dict[str, str]  # property name -> Ид
    brand_values: dict[str, str]  # brand -> ИдЗначения of the «Производитель» reference
    price_types: list[str]
    warehouses: list[str]


def _ids(rng: random.Random, warehouses: int) -> ExportIds:
    groups: dict[tuple[str, ...], str] = {}
    for family in FAMILIES:
        for depth in range(1, 4):
            path = family.group[:depth]
            if path not in groups:
                groups[path] = _guid(rng)
    return ExportIds(
        catalog=_guid(rng),
        owner=_guid(rng),
        groups=groups,
        properties={name: _guid(rng) for name in ["Производитель", *PROPERTY_NAMES]},
        brand_values={brand: _guid(rng) for brand in BRANDS},
        price_types=[_guid(rng) for _ in PRICE_TYPES],
        warehouses=[_guid(rng) for _ in range(warehouses)],
    )


def _write_groups(out: IO[str], ids: ExportIds, parent: tuple[str, ...] = ()) -> None:
    children = [path for path in ids.groups if len(path) == len(parent) + 1 and path[:-1] == parent]
    if not children:
        return
    out.write("<Группы>\n")
    for path in children:
        out.write(f"<Группа>{_text('Ид', ids.groups[path])}{_text('Наименование', path[-1])}")
        _write_groups(out, ids, path)
        out.write("</Группа>\n")
    out.write("</Группы>\n")


def _write_properties(out: IO[str], ids: ExportIds) -> None:
    out.write("<Свойства>\n")
    brands = "".join(
        f"<Справочник>{_text('ИдЗначения', value_id)}{_text('Значение', brand)}</Справочник>"
        for brand, value_id in ids.brand_values.items()
    )
    out.write(
        f"<Свойство>{_text('Ид', ids.properties['Производитель'])}"
        f"{_text('Наименование', 'Производитель')}{_text('ТипЗначений', 'Справочник')}"
        f"<ВариантыЗначений>{brands}</ВариантыЗначений></Свойство>\n"
    )
    for name in PROPERTY_NAMES:
        value_type = "Строка" if name in TEXT_PROPERTIES else "Число"
        out.write(
            f"<Свойство>{_text('Ид', ids.properties[name])}{_text('Наименование', name)}"
            f"{_text('ТипЗначений', value_type)}</Свойство>\n"
        )
    out.write("</Свойства>\n")


_UNIT = (
    '<БазоваяЕдиница Код="796" НаименованиеПолное="Штука" МеждународноеСокращение="PCE">'
    "шт</БазоваяЕдиница>"
)
_VAT = (
    f"<СтавкиНалогов><СтавкаНалога>{_text('Наименование', 'НДС')}{_text('Ставка', VAT_RATE)}"
    "</СтавкаНалога></СтавкиНалогов>"
)


def _value(property_id: str, value: str) -> str:
    return (
        f"<ЗначенияСвойства>{_text('Ид', property_id)}{_text('Значение', value)}</ЗначенияСвойства>"
    )


def _requisite(name: str, value: str) -> str:
    return (
        f"<ЗначениеРеквизита>{_text('Наименование', name)}{_text('Значение', value)}"
        "</ЗначениеРеквизита>"
    )


def _product_xml(product: Product, ids: ExportIds) -> str:
    values = [_value(ids.properties["Производитель"], ids.brand_values[product.brand])]
    values += [_value(ids.properties[name], value) for name, value in product.properties.items()]
    requisites = "".join(
        _requisite(name, value)
        for name, value in (
            ("ВидНоменклатуры", "Товар"),
            ("ТипНоменклатуры", "Товар"),
            ("Полное наименование", product.name),
        )
    )
    return (
        f"<Товар>{_text('Ид', product.id)}{_text('Штрихкод', product.barcode)}"
        f"{_text('Артикул', product.code)}{_text('Наименование', product.name)}{_UNIT}"
        f"<Группы>{_text('Ид', ids.groups[product.leaf_group])}</Группы>"
        f"{_text('Описание', product.name + '. Поставка со склада и под заказ.')}"
        f"<Изготовитель>{_text('Ид', ids.brand_values[product.brand])}"
        f"{_text('Наименование', product.brand)}</Изготовитель>"
        f"<ЗначенияСвойств>{''.join(values)}</ЗначенияСвойств>{_VAT}"
        f"<ЗначенияРеквизитов>{requisites}</ЗначенияРеквизитов></Товар>\n"
    )


def _price_xml(price_type_id: str, amount: Decimal) -> str:
    shown = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
    return (
        f"<Цена>{_text('Представление', f'{shown} RUB за шт')}{_text('ИдТипаЦены', price_type_id)}"
        f"{_text('ЦенаЗаЕдиницу', f'{amount:.2f}')}{_text('Валюта', 'RUB')}"
        f"{_text('Единица', 'шт')}{_text('Коэффициент', '1')}</Цена>"
    )


def _offer_xml(product: Product, ids: ExportIds, stock: list[int]) -> str:
    wholesale = (product.retail_price * WHOLESALE_SHARE).quantize(Decimal("0.01"))
    prices = _price_xml(ids.price_types[0], product.retail_price) + _price_xml(
        ids.price_types[1], wholesale
    )
    per_warehouse = "".join(
        f"<Склад ИдСклада={quoteattr(warehouse)} КоличествоНаСкладе={quoteattr(str(quantity))}/>"
        for warehouse, quantity in zip(ids.warehouses, stock, strict=True)
    )
    return (
        f"<Предложение>{_text('Ид', product.id)}{_text('Штрихкод', product.barcode)}"
        f"{_text('Артикул', product.code)}{_text('Наименование', product.name)}{_UNIT}"
        f"<Цены>{prices}</Цены>{_text('Количество', str(sum(stock)))}{per_warehouse}"
        "</Предложение>\n"
    )


def export_ids(*, warehouses: int = 3, seed: int = 1) -> ExportIds:
    """The ids `write_catalog` uses with this seed: a benchmark finds what it imported by them."""
    return _ids(random.Random(seed), warehouses)


def write_catalog(
    directory: Path, products: int, *, warehouses: int = 3, seed: int = 1
) -> tuple[Path, Path]:
    """Write `import.xml` and `offers.xml` for `products` products into `directory`."""
    if products < 0 or warehouses < 1:
        raise ValueError("products must be 0 or more and warehouses 1 or more")
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    ids = _ids(rng, warehouses)
    classifier_name = "Классификатор (Основной каталог товаров)"
    catalog_path, offers_path = directory / "import.xml", directory / "offers.xml"

    with catalog_path.open("w", encoding="utf-8", newline="\n") as out:
        _header(out)
        out.write(
            f"<Классификатор>{_text('Ид', ids.catalog)}{_text('Наименование', classifier_name)}"
            f"{_owner(ids.owner)}\n"
        )
        _write_groups(out, ids)
        _write_properties(out, ids)
        out.write("</Классификатор>\n")
        out.write(
            f'<Каталог СодержитТолькоИзменения="false">{_text("Ид", ids.catalog)}'
            f"{_text('ИдКлассификатора', ids.catalog)}"
            f"{_text('Наименование', 'Основной каталог товаров')}{_owner(ids.owner)}\n<Товары>\n"
        )
        # The offers need the same products: the generator is replayed from the same seed
        # state instead of keeping 100,000 products in memory.
        state = rng.getstate()
        for product in _products(products, rng):
            out.write(_product_xml(product, ids))
        out.write("</Товары>\n</Каталог>\n</КоммерческаяИнформация>\n")

    stock_rng = random.Random(seed * 7919 + 1)
    with offers_path.open("w", encoding="utf-8", newline="\n") as out:
        _header(out)
        out.write(
            f"<Классификатор>{_text('Ид', ids.catalog)}{_text('Наименование', classifier_name)}"
            f"{_owner(ids.owner)}</Классификатор>\n"
            f'<ПакетПредложений СодержитТолькоИзменения="false">{_text("Ид", ids.catalog + "#")}'
            f"{_text('Наименование', 'Пакет предложений (Основной каталог товаров)')}"
            f"{_text('ИдКаталога', ids.catalog)}{_text('ИдКлассификатора', ids.catalog)}"
            f"{_owner(ids.owner)}\n<ТипыЦен>\n"
        )
        for price_type_id, name in zip(ids.price_types, PRICE_TYPES, strict=True):
            out.write(
                f"<ТипЦены>{_text('Ид', price_type_id)}{_text('Наименование', name)}"
                f"{_text('Валюта', 'RUB')}<Налог>{_text('Наименование', 'НДС')}"
                f"{_text('УчтеноВСумме', 'true')}{_text('Акциз', 'false')}</Налог></ТипЦены>\n"
            )
        out.write("</ТипыЦен>\n<Склады>\n")
        for number, warehouse_id in enumerate(ids.warehouses):
            name = (
                WAREHOUSE_NAMES[number] if number < len(WAREHOUSE_NAMES) else f"Склад {number + 1}"
            )
            out.write(f"<Склад>{_text('Ид', warehouse_id)}{_text('Наименование', name)}</Склад>\n")
        out.write("</Склады>\n<Предложения>\n")
        rng.setstate(state)
        for product in _products(products, rng):
            # A quarter of the positions are out of stock somewhere, as in a real catalog.
            stock = [
                0 if stock_rng.random() < 0.25 else stock_rng.randint(1, 2500)
                for _ in ids.warehouses
            ]
            out.write(_offer_xml(product, ids, stock))
        out.write("</Предложения>\n</ПакетПредложений>\n</КоммерческаяИнформация>\n")
    return catalog_path, offers_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--warehouses", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    for path in write_catalog(
        arguments.directory,
        arguments.products,
        warehouses=arguments.warehouses,
        seed=arguments.seed,
    ):
        print(path)


if __name__ == "__main__":
    main()
