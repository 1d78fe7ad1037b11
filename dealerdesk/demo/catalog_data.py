"""The demo catalog as a Russian electrical wholesaler lists it, and its generators.

Pure Python and deterministic for a seed: the same arguments give the same products, prices
and stock on any machine, so the demo, the tests and the benchmark agree.

A product family (a series such as ВА47-29) multiplies its brands by its axes (poles,
ratings, curves...) into base variants, each with the article code and name that brand
really prints. A catalog larger than all base variants repeats them as numbered versions
(`MVA20-3-016-C-01`, "..., УХЛ3"); `DemoCatalog` checks at build time that base codes can
never collide with one another or with a numbered version, so codes stay unique at any size.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from dealerdesk.core.text import normalize_code

Params = Mapping[str, Any]

# --- Brands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BrandSpec:
    name: str
    erp_id: str
    price_factor: float  # relative to an IEK product of the same kind
    # Brands with numeric articles (КЭАЗ `221455`, Legrand, cable) number them from here;
    # the ranges of different brands never overlap.
    serial_start: int = 0
    serial_stop: int = 0
    is_own_trademark: bool = False


OWN_TRADEMARK = "ЭлектроПрофи"

BRANDS: tuple[BrandSpec, ...] = (
    BrandSpec("IEK", "demo-brand-iek", 1.0, 11_000_000, 11_999_999),
    BrandSpec("EKF", "demo-brand-ekf", 0.95, 12_000_000, 12_999_999),
    BrandSpec("Schneider Electric", "demo-brand-schneider", 2.2),
    BrandSpec("ABB", "demo-brand-abb", 2.8, 60_000, 99_999),
    BrandSpec("КЭАЗ", "demo-brand-keaz", 1.35, 100_000, 399_999),
    BrandSpec("DEKraft", "demo-brand-dekraft", 1.15, 10_000, 99_999),
    BrandSpec("TDM", "demo-brand-tdm", 0.82, 13_000_000, 13_999_999),
    BrandSpec("Legrand", "demo-brand-legrand", 2.5, 400_000, 999_999),
    BrandSpec("Navigator", "demo-brand-navigator", 0.9, 10_000, 99_999),
    BrandSpec("Gauss", "demo-brand-gauss", 1.2, 100_000_000, 199_999_999),
    BrandSpec(
        OWN_TRADEMARK,
        "demo-brand-elektroprofi",
        0.78,
        10_000_000,
        10_999_999,
        is_own_trademark=True,
    ),
)
BRAND_BY_NAME: Mapping[str, BrandSpec] = {brand.name: brand for brand in BRANDS}

# --- Category tree: top level -> subcategory -> series (one per product family) ---------------


@dataclass(frozen=True)
class CategorySpec:
    key: str
    name: str


TOP_CATEGORIES: tuple[tuple[CategorySpec, tuple[CategorySpec, ...]], ...] = (
    (
        CategorySpec("modular", "Модульное оборудование"),
        (
            CategorySpec("breakers", "Автоматические выключатели"),
            CategorySpec("rcd", "Устройства защитного отключения (УЗО)"),
            CategorySpec("rcbo", "Дифференциальные автоматы"),
            CategorySpec("load-break-switches", "Выключатели нагрузки"),
        ),
    ),
    (
        CategorySpec("cable", "Кабельно-проводниковая продукция"),
        (
            CategorySpec("power-cable", "Силовой кабель"),
            CategorySpec("wire", "Провод"),
        ),
    ),
    (
        CategorySpec("enclosures", "Щиты и корпуса"),
        (
            CategorySpec("distribution-boards", "Щиты распределительные"),
            CategorySpec("metal-boards", "Щиты металлические"),
            CategorySpec("plastic-boxes", "Боксы пластиковые"),
        ),
    ),
    (
        CategorySpec("lighting", "Светотехника"),
        (
            CategorySpec("led-luminaires", "Светильники светодиодные"),
            CategorySpec("floodlights", "Прожекторы"),
            CategorySpec("lamps", "Лампы"),
        ),
    ),
    (
        CategorySpec("wiring-devices", "Электроустановочные изделия"),
        (
            CategorySpec("sockets", "Розетки"),
            CategorySpec("switches", "Выключатели"),
            CategorySpec("frames", "Рамки"),
        ),
    ),
    (
        CategorySpec("low-voltage", "Низковольтная аппаратура"),
        (
            CategorySpec("mccb", "Автоматические выключатели в литом корпусе"),
            CategorySpec("contactors", "Контакторы и пускатели"),
            CategorySpec("load-switches", "Рубильники"),
            CategorySpec("relays", "Реле"),
        ),
    ),
    (
        CategorySpec("cable-management", "Кабеленесущие системы"),
        (
            CategorySpec("trays", "Лотки"),
            CategorySpec("conduits", "Гофротруба"),
            CategorySpec("trunking", "Кабель-каналы"),
            CategorySpec("ties", "Хомуты и стяжки"),
        ),
    ),
    (
        CategorySpec("installation", "Электромонтажные изделия"),
        (
            CategorySpec("lugs", "Наконечники и гильзы"),
            CategorySpec("extension-cords", "Удлинители"),
            CategorySpec("insulation", "Изоляционные материалы"),
        ),
    ),
    (
        CategorySpec("metering", "Измерительные приборы"),
        (
            CategorySpec("meters", "Счётчики электроэнергии"),
            CategorySpec("current-transformers", "Трансформаторы тока"),
            CategorySpec("panel-meters", "Щитовые приборы"),
        ),
    ),
)
SUBCATEGORY_PARENT: Mapping[str, str] = {
    sub.key: top.key for top, subs in TOP_CATEGORIES for sub in subs
}

# --- Product families -------------------------------------------------------------------------


@dataclass(frozen=True)
class BrandStyle:
    """How one brand writes a family's article codes and names (`str.format` templates).

    `FamilySpec.styles` is keyed by brand name, or by "brand|line" for a second product line
    of the same brand. Besides the family's axes and derived values the templates may use
    `{brand}`, `{index}` (1, 2, ... within the line's variants of this family) and `{serial}`
    (the brand's running article number, for brands with numeric codes).
    """

    code: str
    name: str


@dataclass(frozen=True)
class FamilySpec:
    key: str
    subcategory: str
    series: str  # the leaf category
    styles: Mapping[str, BrandStyle]
    axes: tuple[tuple[str, tuple[Any, ...]], ...]
    attributes: tuple[tuple[str, str], ...]  # (name, value template)
    price: Callable[[Params], float]  # rubles per unit for an IEK-priced brand
    description: str
    standard: str
    unit: Callable[[Params], str] = lambda params: "шт"
    multiplicity: Callable[[Params], int] = lambda params: 1
    derive: Callable[[Params], Mapping[str, Any]] | None = None
    allows: Callable[[Params], bool] | None = None
    has_manual: bool = False


def ru(value: float) -> str:
    """A number as Russian documents print it: `2,5`, `0,75`, `16`."""
    return f"{value:g}".replace(".", ",")


def _breaker_derive(breaking_ka: float, module_width: float = 1.0) -> Callable[[Params], dict]:
    def derive(params: Params) -> dict[str, Any]:
        poles = params["poles"]
        return {
            "breaking": ru(breaking_ka),
            "voltage": 230 if poles == 1 else 400,
            "modules": ru(poles * module_width),
            "curve_schneider": {"B": 1, "C": 3, "D": 5}[params["curve"]],
            "curve_acti9": {"B": 78, "C": 79, "D": 75}[params["curve"]],
            "curve_abb": {"B": 5, "C": 4, "D": 1}[params["curve"]],
        }

    return derive


_POLE_PRICE = {1: 1.0, 2: 2.2, 3: 3.4, 4: 4.6}
_CURVE_PRICE = {"B": 1.05, "C": 1.0, "D": 1.45}


def _breaker_price(one_pole_price: float) -> Callable[[Params], float]:
    def price(params: Params) -> float:
        rating_surcharge = 1 + max(0, params["rating"] - 32) / 45
        return (
            one_pole_price
            * _POLE_PRICE[params["poles"]]
            * rating_surcharge
            * _CURVE_PRICE[params["curve"]]
        )

    return price


BREAKER_ATTRIBUTES = (
    ("Число полюсов", "{poles}"),
    ("Номинальный ток", "{rating} А"),
    ("Характеристика срабатывания", "{curve}"),
    ("Отключающая способность", "{breaking} кА"),
    ("Номинальное напряжение", "{voltage} В"),
    ("Ширина, модулей DIN", "{modules}"),
    ("Степень защиты IP", "IP20"),
)
RATINGS_63 = (1, 2, 3, 4, 5, 6, 8, 10, 13, 16, 20, 25, 32, 40, 50, 63)
RATINGS_SCHNEIDER = (6, 10, 16, 20, 25, 32, 40, 50, 63)
RATINGS_100 = (10, 16, 20, 25, 32, 35, 40, 50, 63, 80, 100, 125)
POLES = (1, 2, 3, 4)
CURVES = ("B", "C", "D")
BREAKER_STANDARD = "ГОСТ IEC 60898-1-2020"
BREAKER_DESCRIPTION = (
    "Модульный автоматический выключатель для защиты линий распределительных и групповых "
    "сетей от перегрузки и короткого замыкания. Монтаж на DIN-рейку 35 мм."
)


def _breaker_pack(params: Params) -> int:
    # Single-pole breakers of the mass brands ship in boxes of 12 and are sold by the box.
    return 12 if params["poles"] == 1 and params["brand"] in ("IEK", "TDM") else 1


def _breakers() -> list[FamilySpec]:
    common: dict[str, Any] = {
        "subcategory": "breakers",
        "attributes": BREAKER_ATTRIBUTES,
        "description": BREAKER_DESCRIPTION,
        "standard": BREAKER_STANDARD,
        "multiplicity": _breaker_pack,
    }
    return [
        FamilySpec(
            key="va47-29",
            series="ВА47-29",
            styles={
                "IEK": BrandStyle(
                    "MVA20-{poles}-{rating:03d}-{curve}",
                    "Автоматический выключатель ВА47-29 {poles}Р {rating}А {curve} 4,5кА IEK",
                ),
                "EKF": BrandStyle(
                    "mcb4729-{poles}-{rating:02d}{curve}-pro",
                    "Выключатель автоматический ВА 47-29 {poles}P {rating}А ({curve}) 4,5кА "
                    "EKF PROxima",
                ),
                "EKF|Basic": BrandStyle(
                    "mcb4729-{poles}-{rating:02d}{curve}",
                    "Выключатель автоматический ВА 47-29 {poles}P {rating}А ({curve}) 4,5кА "
                    "EKF Basic",
                ),
                "TDM": BrandStyle(
                    "SQ0206-{index:04d}",
                    "Авт. выкл. ВА47-29 {poles}Р {rating}А {curve} 4,5кА TDM",
                ),
                "TDM|Народная": BrandStyle(
                    "SQ0214-{index:04d}",
                    "Авт. выкл. ВА47-29 {poles}Р {rating}А {curve} 4,5кА Народная серия TDM",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-BA29-{poles}{curve}{rating:02d}",
                    "Автоматический выключатель ВА47-29 {poles}P {curve}{rating} 4,5кА "
                    "ЭлектроПрофи",
                ),
            },
            axes=(("poles", POLES), ("rating", RATINGS_63), ("curve", CURVES)),
            price=_breaker_price(165),
            derive=_breaker_derive(4.5),
            **common,
        ),
        FamilySpec(
            key="va47-63",
            series="ВА47-63",
            styles={
                "EKF": BrandStyle(
                    "mcb4763-{poles}-{rating:02d}{curve}-pro",
                    "Выключатель автоматический ВА 47-63 {poles}P {rating}А ({curve}) 6кА "
                    "EKF PROxima",
                ),
                "TDM": BrandStyle(
                    "SQ0218-{index:04d}",
                    "Авт. выкл. ВА47-63 {poles}Р {rating}А {curve} 6кА TDM",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-BA63-{poles}{curve}{rating:02d}",
                    "Автоматический выключатель ВА47-63 {poles}P {curve}{rating} 6кА ЭлектроПрофи",
                ),
            },
            axes=(("poles", POLES), ("rating", RATINGS_63), ("curve", CURVES)),
            price=_breaker_price(210),
            derive=_breaker_derive(6),
            **common,
        ),
        FamilySpec(
            key="va47-60",
            series="ВА47-60",
            styles={
                "IEK": BrandStyle(
                    "MVA41-{poles}-{rating:03d}-{curve}",
                    "Автоматический выключатель ВА47-60 {poles}Р {rating}А {curve} 6кА IEK",
                ),
                "КЭАЗ": BrandStyle(
                    "{serial}",
                    "Выключатель автоматический ВА47-60 {poles}Р {curve}{rating} 6кА КЭАЗ",
                ),
            },
            axes=(("poles", POLES), ("rating", RATINGS_63), ("curve", CURVES)),
            price=_breaker_price(230),
            derive=_breaker_derive(6),
            **common,
        ),
        FamilySpec(
            key="va47-100",
            series="ВА47-100",
            styles={
                "IEK": BrandStyle(
                    "MVA40-{poles}-{rating:03d}-{curve}",
                    "Автоматический выключатель ВА47-100 {poles}Р {rating}А {curve} 10кА IEK",
                ),
                "EKF": BrandStyle(
                    "mcb47100-{poles}-{rating:03d}{curve}-pro",
                    "Выключатель автоматический ВА 47-100 {poles}P {rating}А ({curve}) 10кА "
                    "EKF PROxima",
                ),
                "TDM": BrandStyle(
                    "SQ0207-{index:04d}",
                    "Авт. выкл. ВА47-100 {poles}Р {rating}А {curve} 10кА TDM",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-BA100-{poles}{curve}{rating:03d}",
                    "Автоматический выключатель ВА47-100 {poles}P {curve}{rating} 10кА "
                    "ЭлектроПрофи",
                ),
            },
            axes=(("poles", POLES), ("rating", RATINGS_100), ("curve", CURVES)),
            price=_breaker_price(420),
            derive=_breaker_derive(10, 1.5),
            **common,
        ),
        FamilySpec(
            key="easy9",
            series="Easy9",
            styles={
                "Schneider Electric": BrandStyle(
                    "EZ9F{curve_schneider}4{poles}{rating:02d}",
                    "Автоматический выключатель Easy9 {poles}П {rating}А {curve} 4,5кА "
                    "{voltage}В Schneider Electric",
                ),
            },
            axes=(("poles", POLES), ("rating", RATINGS_SCHNEIDER), ("curve", ("B", "C"))),
            price=_breaker_price(190),
            derive=_breaker_derive(4.5),
            **common,
        ),
        FamilySpec(
            key="acti9-ic60n",
            series="Acti9 iC60N",
            styles={
                "Schneider Electric": BrandStyle(
                    "A9F{curve_acti9}{poles}{rating:02d}",
                    "Автоматический выключатель Acti9 iC60N {poles}П {rating}А {curve} 6кА "
                    "Schneider Electric",
                ),
            },
            axes=(("poles", POLES), ("rating", RATINGS_63), ("curve", CURVES)),
            price=_breaker_price(420),
            derive=_breaker_derive(6),
            **common,
        ),
        FamilySpec(
            key="abb-s200",
            series="S200",
            styles={
                "ABB": BrandStyle(
                    "2CDS25{poles}001R0{rating:02d}{curve_abb}",
                    "Автоматический выключатель ABB S20{poles} {curve}{rating} {poles}P 6кА",
                ),
            },
            axes=(("poles", POLES), ("rating", RATINGS_63), ("curve", CURVES)),
            price=_breaker_price(260),
            derive=_breaker_derive(6),
            **common,
        ),
        FamilySpec(
            key="abb-sh200",
            series="SH200",
            styles={
                "ABB": BrandStyle(
                    "2CDS24{poles}001R0{rating:02d}{curve_abb}",
                    "Автоматический выключатель ABB SH20{poles} {curve}{rating} {poles}P 6кА",
                ),
            },
            axes=(("poles", POLES), ("rating", RATINGS_63), ("curve", CURVES)),
            price=_breaker_price(190),
            derive=_breaker_derive(6),
            **common,
        ),
        FamilySpec(
            key="optidin-bm63",
            series="OptiDin ВМ63",
            styles={
                "КЭАЗ": BrandStyle(
                    "{serial}",
                    "Выключатель автоматический OptiDin BM63-{poles}{curve}{rating}-УХЛ3 КЭАЗ",
                ),
            },
            axes=(("poles", POLES), ("rating", RATINGS_63), ("curve", CURVES)),
            price=_breaker_price(230),
            derive=_breaker_derive(6),
            **common,
        ),
        FamilySpec(
            key="dekraft-va101",
            series="ВА-101",
            styles={
                "DEKraft": BrandStyle(
                    "{serial}DEK",
                    "Автоматический выключатель {poles}Р {rating}А тип {curve} 4,5кА ВА-101 "
                    "DEKraft",
                ),
            },
            axes=(("poles", POLES), ("rating", RATINGS_63), ("curve", CURVES)),
            price=_breaker_price(160),
            derive=_breaker_derive(4.5),
            **common,
        ),
        FamilySpec(
            key="legrand-rx3",
            series="RX3",
            styles={
                "Legrand": BrandStyle(
                    "{serial}",
                    "Автоматический выключатель RX3 {poles}П {curve}{rating}А 4500 Legrand",
                ),
            },
            axes=(("poles", POLES), ("rating", RATINGS_63), ("curve", ("B", "C"))),
            price=_breaker_price(150),
            derive=_breaker_derive(4.5),
            **common,
        ),
        FamilySpec(
            key="legrand-dx3",
            series="DX3",
            styles={
                "Legrand": BrandStyle(
                    "{serial}",
                    "Автоматический выключатель DX3 {poles}П {curve}{rating}А 6000/10кА Legrand",
                ),
            },
            axes=(("poles", POLES), ("rating", RATINGS_63), ("curve", CURVES)),
            price=_breaker_price(240),
            derive=_breaker_derive(10),
            **common,
        ),
    ]


RCD_ATTRIBUTES = (
    ("Число полюсов", "{poles}"),
    ("Номинальный ток", "{rating} А"),
    ("Номинальный отключающий дифференциальный ток", "{leak} мА"),
    ("Тип по роду тока утечки", "{leak_type}"),
    ("Номинальное напряжение", "{voltage} В"),
    ("Степень защиты IP", "IP20"),
)
RCD_LEAKS = (10, 30, 100, 300)
RCD_RATINGS = (16, 25, 32, 40, 50, 63, 80, 100)


def _rcd_derive(params: Params) -> dict[str, Any]:
    poles = params["poles"]
    leak = params["leak"]
    return {
        "voltage": 230 if poles == 2 else 400,
        "type_digit": 0 if params["leak_type"] == "AC" else 1,
        "type_slug": "em" if params["leak_type"] == "AC" else "a",
        "leak_amperes": ru(leak / 1000),
        "leak_schneider": {10: 14, 30: 34, 100: 54, 300: 64}[leak],
        "leak_abb": {10: 1, 30: 4, 100: 6, 300: 7}[leak],
    }


def _rcd_price(params: Params) -> float:
    base = 780 if params["poles"] == 2 else 1350
    return (
        base
        * (1 + params["rating"] / 160)
        * (1.35 if params["leak_type"] == "A" else 1.0)
        * (1.25 if params["leak"] == 10 else 1.0)
    )


def _rcd() -> list[FamilySpec]:
    common: dict[str, Any] = {
        "subcategory": "rcd",
        "attributes": RCD_ATTRIBUTES,
        "price": _rcd_price,
        "derive": _rcd_derive,
        "description": (
            "Устройство защитного отключения (выключатель дифференциального тока) для защиты "
            "людей от поражения электрическим током и предотвращения пожаров из-за токов утечки."
        ),
        "standard": "ГОСТ IEC 61008-1-2020",
    }
    leak_types = ("leak_type", ("AC", "A"))
    return [
        FamilySpec(
            key="vd1-63",
            series="ВД1-63",
            styles={
                "IEK": BrandStyle(
                    "MDV1{type_digit}-{poles}-{rating:03d}-{leak:03d}",
                    "Выключатель дифференциальный (УЗО) ВД1-63 {poles}Р {rating}А {leak}мА "
                    "тип {leak_type} IEK",
                ),
                "TDM": BrandStyle(
                    "SQ0203-{index:04d}",
                    "УЗО ВД1-63 {poles}Р {rating}А {leak}мА тип {leak_type} TDM",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-VD63-{poles}-{rating:03d}-{leak:03d}{leak_type}",
                    "УЗО ВД1-63 {poles}P {rating}А {leak}мА тип {leak_type} ЭлектроПрофи",
                ),
            },
            axes=(("poles", (2, 4)), ("rating", RCD_RATINGS), ("leak", RCD_LEAKS), leak_types),
            **common,
        ),
        FamilySpec(
            key="vd-100",
            series="ВД-100",
            styles={
                "EKF": BrandStyle(
                    "elcb-{poles}-{rating}-{leak}-{type_slug}-pro",
                    "Устройство защитного отключения ВД-100 {poles}P {rating}А/{leak}мА "
                    "тип {leak_type} EKF PROxima",
                ),
            },
            axes=(("poles", (2, 4)), ("rating", RCD_RATINGS), ("leak", RCD_LEAKS), leak_types),
            **common,
        ),
        FamilySpec(
            key="easy9-rcd",
            series="Easy9 ВДТ",
            styles={
                "Schneider Electric": BrandStyle(
                    "EZ9R{leak_schneider}{poles}{rating:02d}",
                    "Выключатель дифференциального тока (УЗО) Easy9 {poles}П {rating}А {leak}мА "
                    "тип AC {voltage}В Schneider Electric",
                ),
            },
            axes=(
                ("poles", (2, 4)),
                ("rating", (25, 40, 63)),
                ("leak", RCD_LEAKS),
                ("leak_type", ("AC",)),
            ),
            **common,
        ),
        FamilySpec(
            key="abb-f200",
            series="F200",
            styles={
                "ABB": BrandStyle(
                    "2CSF20{poles}{type_digit}0{leak_abb}R1{rating:03d}",
                    "Выключатель дифференциального тока ABB F20{poles} {leak_type}-{rating}/"
                    "{leak_amperes} {poles}P {rating}А {leak}мА",
                ),
            },
            axes=(("poles", (2, 4)), ("rating", RCD_RATINGS), ("leak", RCD_LEAKS), leak_types),
            **common,
        ),
    ]


def _rcbo_derive(params: Params) -> dict[str, Any]:
    return {
        "series": "АД12" if params["poles"] == 2 else "АД14",
        "poles_text": "1Р+N" if params["poles"] == 2 else "3Р+N",
        "curve_abb": {"B": 5, "C": 4}[params["curve"]],
        "leak_abb": {10: 1, 30: 4, 100: 6, 300: 7}[params["leak"]],
    }


def _rcbo_price(params: Params) -> float:
    return (1150 if params["poles"] == 2 else 2600) * (1 + params["rating"] / 120)


def _rcbo() -> list[FamilySpec]:
    common: dict[str, Any] = {
        "subcategory": "rcbo",
        "attributes": (
            ("Число полюсов", "{poles_text}"),
            ("Номинальный ток", "{rating} А"),
            ("Характеристика срабатывания", "{curve}"),
            ("Номинальный отключающий дифференциальный ток", "{leak} мА"),
            ("Отключающая способность", "4,5 кА"),
            ("Степень защиты IP", "IP20"),
        ),
        "price": _rcbo_price,
        "derive": _rcbo_derive,
        "description": (
            "Автоматический выключатель дифференциального тока: защита от сверхтоков и от "
            "токов утечки в одном модульном аппарате."
        ),
        "standard": "ГОСТ IEC 61009-1-2020",
    }
    ratings = (6, 10, 16, 20, 25, 32, 40, 50, 63)
    return [
        FamilySpec(
            key="ad12",
            series="АД12, АД14",
            styles={
                "IEK": BrandStyle(
                    "MAD1{poles}-{poles}-{rating:03d}-{curve}-{leak:03d}",
                    "Автоматический выключатель дифференциального тока {series} {poles_text} "
                    "{curve}{rating} {leak}мА IEK",
                ),
            },
            axes=(
                ("poles", (2, 4)),
                ("rating", ratings),
                ("curve", ("B", "C")),
                ("leak", RCD_LEAKS),
            ),
            **common,
        ),
        FamilySpec(
            key="avdt-32",
            series="АВДТ 32",
            styles={
                "EKF": BrandStyle(
                    "DA32-{rating:02d}-{leak}-{curve}-pro",
                    "Дифференциальный автомат АВДТ 32 {curve}{rating} {leak}мА EKF PROxima",
                ),
                "TDM": BrandStyle(
                    "SQ0202-{index:04d}",
                    "Дифференциальный автомат АВДТ 32 {poles_text} {curve}{rating} {leak}мА TDM",
                ),
                "DEKraft": BrandStyle(
                    "{serial}DEK",
                    "Дифференциальный автомат {poles_text} {rating}А {leak}мА тип AC х-ка "
                    "{curve} 4,5кА ДИФ-103 DEKraft",
                ),
            },
            axes=(("poles", (2,)), ("rating", ratings), ("curve", ("B", "C")), ("leak", RCD_LEAKS)),
            **common,
        ),
        FamilySpec(
            key="abb-ds201",
            series="DS201",
            styles={
                "ABB": BrandStyle(
                    "2CSR255{leak_abb}40R1{rating:03d}{curve_abb}",
                    "Автоматический выключатель дифференциального тока ABB DS201 {curve}{rating} "
                    "AC{leak}",
                ),
            },
            axes=(
                ("poles", (2,)),
                ("rating", ratings),
                ("curve", ("B", "C")),
                ("leak", RCD_LEAKS),
            ),
            **common,
        ),
    ]


def _load_break_switches() -> list[FamilySpec]:
    return [
        FamilySpec(
            key="vn-32",
            subcategory="load-break-switches",
            series="ВН-32",
            styles={
                "IEK": BrandStyle(
                    "MNV10-{poles}-{rating:03d}",
                    "Выключатель нагрузки (мини-рубильник) ВН-32 {poles}Р {rating}А IEK",
                ),
                "EKF": BrandStyle(
                    "SL32-{poles}-{rating}-pro",
                    "Выключатель нагрузки ВН-32 {poles}P {rating}А EKF PROxima",
                ),
                "TDM": BrandStyle(
                    "SQ0211-{index:04d}",
                    "Выключатель нагрузки ВН-32 {poles}Р {rating}А TDM",
                ),
                "DEKraft": BrandStyle(
                    "{serial}DEK",
                    "Выключатель нагрузки {poles}Р {rating}А ВН-102 DEKraft",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-VN32-{poles}-{rating}",
                    "Выключатель нагрузки ВН-32 {poles}P {rating}А ЭлектроПрофи",
                ),
            },
            axes=(("poles", POLES), ("rating", (16, 20, 25, 32, 40, 50, 63, 80, 100, 125))),
            attributes=(
                ("Число полюсов", "{poles}"),
                ("Номинальный ток", "{rating} А"),
                ("Ширина, модулей DIN", "{poles}"),
            ),
            price=lambda params: (210 + 2.2 * params["rating"]) * _POLE_PRICE[params["poles"]],
            description="Модульный выключатель нагрузки для оперативной коммутации цепей "
            "под нагрузкой; защитных функций не выполняет.",
            standard="ГОСТ IEC 60947-3-2016",
        ),
    ]


# Cable --------------------------------------------------------------------------------------

CABLE_BRANDS = (OWN_TRADEMARK, "IEK", "EKF", "TDM")
SECTIONS = (1.5, 2.5, 4, 6, 10, 16, 25, 35, 50, 70, 95, 120, 150, 185, 240)
# The same cable is a different article in a coil and on a drum.
CABLE_SUPPLY = ("coil", "drum")


def _cable_pack(params: Params) -> int:
    """Small sections ship in 100 m coils, medium in 50 m; a drum is cut to any length."""
    if params["supply"] == "drum":
        return 1
    return 100 if params["section"] <= 6 else 50


def _cable_allows(max_section_of_two_cores: float = 35) -> Callable[[Params], bool]:
    def allows(params: Params) -> bool:
        section = params["section"]
        if params["supply"] == "coil" and section > 25:
            return False  # nobody coils 35 mm² and above
        return params["cores"] > 2 or section <= max_section_of_two_cores

    return allows


def _cable_derive(metal: str) -> Callable[[Params], dict[str, Any]]:
    def derive(params: Params) -> dict[str, Any]:
        cores = params["cores"]
        section = params["section"]
        shape = "ок" if section <= 10 else "мк" if section <= 50 else "мс"
        pack = _cable_pack(params)
        return {
            "metal": metal,
            "section_text": ru(section),
            "shape": shape,
            "marking": {1: "", 2: "(N)", 3: "(N,PE)", 4: "(N)", 5: "(N,PE)"}[cores],
            "kilovolts": "0,66" if section <= 6 else "1",
            "shape_name": {"ок": "однопроволочная", "мк": "многопроволочная", "мс": "секторная"}[
                shape
            ],
            "supply_text": f"бухта {pack} м" if pack > 1 else "барабан",
        }

    return derive


CABLE_ATTRIBUTES = (
    ("Количество жил", "{cores}"),
    ("Сечение жилы", "{section_text} мм²"),
    ("Материал жилы", "{metal}"),
    ("Форма жилы", "{shape_name}"),
    ("Номинальное напряжение", "{kilovolts} кВ"),
    ("Тип поставки", "{supply_text}"),
)


def _cable_price(rubles_per_mm2: float, factor: float) -> Callable[[Params], float]:
    def price(params: Params) -> float:
        return (rubles_per_mm2 * params["cores"] * params["section"] + 9) * factor

    return price


def _cable_styles(name: str) -> dict[str, BrandStyle]:
    """Cable is listed under a numeric article; the name carries the construction."""
    return {
        brand: BrandStyle("{serial}", f"Кабель {name} ({{supply_text}}) {{brand}}")
        for brand in CABLE_BRANDS
    }


def _cable(
    key: str,
    name: str,
    *,
    cores: tuple[int, ...] = (1, 2, 3, 4, 5),
    sections: tuple[float, ...] = SECTIONS,
    metal: str = "медь",
    price: Callable[[Params], float],
    description: str,
    standard: str = "ГОСТ 31996-2012",
    max_section_of_two_cores: float = 35,
) -> FamilySpec:
    series = name.split(" ")[0]
    return FamilySpec(
        key=key,
        subcategory="power-cable",
        series=series,
        styles=_cable_styles(name),
        axes=(("cores", cores), ("section", sections), ("supply", CABLE_SUPPLY)),
        allows=_cable_allows(max_section_of_two_cores),
        attributes=CABLE_ATTRIBUTES,
        derive=_cable_derive(metal),
        price=price,
        unit=lambda params: "м",
        multiplicity=_cable_pack,
        description=description,
        standard=standard,
    )


def _cables() -> list[FamilySpec]:
    return [
        _cable(
            "vvgng-ls",
            "ВВГнг(А)-LS {cores}х{section_text} {shape}{marking} {kilovolts}кВ",
            price=_cable_price(13, 1.18),
            description=(
                "Силовой кабель с медными жилами, изоляцией и оболочкой из ПВХ пониженной "
                "пожароопасности с низким дымо- и газовыделением. Для групповой прокладки "
                "в зданиях, в том числе в путях эвакуации."
            ),
        ),
        _cable(
            "vvgng",
            "ВВГнг(А) {cores}х{section_text} {shape}{marking} {kilovolts}кВ",
            price=_cable_price(13, 1.08),
            description=(
                "Силовой кабель с медными жилами в ПВХ изоляции и оболочке, не "
                "распространяющий горение при групповой прокладке."
            ),
        ),
        _cable(
            "vvgng-frls",
            "ВВГнг(А)-FRLS {cores}х{section_text} {shape}{marking} {kilovolts}кВ",
            cores=(2, 3, 4, 5),
            price=_cable_price(13, 1.45),
            description=(
                "Огнестойкий силовой кабель с медными жилами и слюдосодержащей лентой: "
                "сохраняет работоспособность в пламени. Для систем противопожарной защиты."
            ),
        ),
        _cable(
            "vbshv",
            "ВБШвнг(А)-LS {cores}х{section_text} {shape}{marking} {kilovolts}кВ",
            cores=(2, 3, 4, 5),
            price=_cable_price(13, 1.6),
            description=(
                "Бронированный силовой кабель с медными жилами для прокладки в земле "
                "и в местах, где возможны механические повреждения."
            ),
        ),
        _cable(
            "kg",
            "КГтп-ХЛ {cores}х{section_text} 0,66кВ",
            sections=(1, *SECTIONS[:13]),
            price=_cable_price(14, 1.3),
            description=(
                "Гибкий кабель с медными многопроволочными жилами в резиновой изоляции "
                "для подключения передвижных механизмов, в том числе на морозе."
            ),
            standard="ГОСТ 24334-2020",
            max_section_of_two_cores=50,
        ),
        _cable(
            "vvg-png",
            "ВВГ-Пнг(А) {cores}х{section_text} {marking} 0,66кВ",
            cores=(2, 3),
            sections=(1.5, 2.5, 4, 6),
            price=_cable_price(13, 1.0),
            description=(
                "Плоский силовой кабель с медными жилами в ПВХ изоляции, не распространяющий "
                "горение при групповой прокладке. Для внутренней электропроводки."
            ),
        ),
        _cable(
            "nym",
            "NYM {cores}х{section_text} 0,66кВ",
            cores=(2, 3, 4, 5),
            sections=(1.5, 2.5, 4, 6, 10, 16, 25, 35),
            price=_cable_price(13, 1.1),
            description=(
                "Кабель с медными жилами в ПВХ изоляции, промежуточной оболочкой из "
                "мелованной резины и внешней оболочкой из ПВХ. Для стационарной прокладки."
            ),
        ),
        _cable(
            "avvg",
            "АВВГ {cores}х{section_text} {shape}-1",
            cores=(2, 3, 4, 5),
            sections=SECTIONS[1:],
            metal="алюминий",
            price=_cable_price(4.6, 1.0),
            description=(
                "Силовой кабель с алюминиевыми жилами, изоляцией и оболочкой из ПВХ. "
                "Для передачи и распределения электроэнергии в стационарных установках."
            ),
        ),
        _cable(
            "avvgng-ls",
            "АВВГнг(А)-LS {cores}х{section_text} {shape}-1",
            cores=(2, 3, 4, 5),
            sections=SECTIONS[1:],
            metal="алюминий",
            price=_cable_price(4.6, 1.2),
            description=(
                "Силовой кабель с алюминиевыми жилами в ПВХ пониженной пожароопасности "
                "для групповой прокладки в кабельных сооружениях."
            ),
        ),
    ]


COLOURS_WIRE = (
    "белый",
    "красный",
    "синий",
    "жёлто-зелёный",
    "чёрный",
    "коричневый",
    "серый",
    "голубой",
)


def _wire_derive(params: Params) -> dict[str, Any]:
    return {
        "cores": params.get("cores", 1),
        "section_text": ru(params["section"]),
        "pack": 100 if params["section"] <= 10 else 50,
    }


def _wires() -> list[FamilySpec]:
    common: dict[str, Any] = {
        "subcategory": "wire",
        "attributes": (
            ("Количество жил", "{cores}"),
            ("Сечение жилы", "{section_text} мм²"),
            ("Материал жилы", "медь"),
            ("Цвет изоляции", "{colour}"),
            ("Номинальное напряжение", "{volts} В"),
        ),
        "derive": _wire_derive,
        "unit": lambda params: "м",
        "multiplicity": lambda params: 100 if params["section"] <= 10 else 50,
    }
    single_core_name = "Провод {series} 1х{section_text} {colour} (бухта {pack} м) {brand}"
    return [
        FamilySpec(
            key="pugv",
            series="ПуГВ",
            styles={brand: BrandStyle("{serial}", single_core_name) for brand in CABLE_BRANDS},
            axes=(
                ("series", ("ПуГВ",)),
                ("section", (0.5, 0.75, 1, 1.5, 2.5, 4, 6, 10, 16, 25, 35, 50, 70, 95)),
                ("colour", COLOURS_WIRE),
                ("volts", (450,)),
            ),
            price=lambda params: 13.5 * params["section"] + 3.2,
            description=(
                "Гибкий установочный провод с медной многопроволочной жилой в ПВХ изоляции."
            ),
            standard="ГОСТ 31947-2012",
            **common,
        ),
        FamilySpec(
            key="puv",
            series="ПуВ",
            styles={brand: BrandStyle("{serial}", single_core_name) for brand in CABLE_BRANDS},
            axes=(
                ("series", ("ПуВ",)),
                ("section", (0.75, 1, 1.5, 2.5, 4, 6, 10, 16)),
                ("colour", COLOURS_WIRE),
                ("volts", (450,)),
            ),
            price=lambda params: 12.8 * params["section"] + 2.9,
            description="Установочный провод с медной однопроволочной жилой в ПВХ изоляции.",
            standard="ГОСТ 31947-2012",
            **common,
        ),
        FamilySpec(
            key="shvvp",
            series="ШВВП",
            styles={
                brand: BrandStyle("{serial}", "Шнур ШВВП {cores}х{section_text} {colour} {brand}")
                for brand in CABLE_BRANDS
            },
            axes=(
                ("cores", (2, 3)),
                ("section", (0.5, 0.75)),
                ("colour", ("белый", "чёрный")),
                ("volts", (380,)),
            ),
            price=lambda params: 14.0 * params["cores"] * params["section"] + 6,
            description="Соединительный плоский шнур для бытовых электроприборов и удлинителей.",
            standard="ГОСТ 7399-97",
            **common,
        ),
        FamilySpec(
            key="pvs",
            series="ПВС",
            styles={
                brand: BrandStyle("{serial}", "Провод ПВС {cores}х{section_text} {colour} {brand}")
                for brand in CABLE_BRANDS
            },
            axes=(
                ("cores", (2, 3, 4, 5)),
                ("section", (0.75, 1, 1.5, 2.5, 4, 6)),
                ("colour", ("белый", "чёрный")),
                ("volts", (380,)),
            ),
            price=lambda params: 14.5 * params["cores"] * params["section"] + 8,
            description="Гибкий соединительный провод с медными жилами в ПВХ изоляции и оболочке.",
            standard="ГОСТ 7399-97",
            **common,
        ),
    ]


# Enclosures ---------------------------------------------------------------------------------


def _board_derive(params: Params) -> dict[str, Any]:
    modules = params["modules"]
    rows = max(1, math.ceil(modules / 18))
    return {
        "height": 180 + 130 * rows,
        "width": 220 + 10 * min(modules, 18) + (60 if modules > 36 else 0),
        "lock_code": "Z" if params["lock"] == "з" else "N",
        "lock_text": "с замком" if params["lock"] == "з" else "без замка",
    }


def _enclosures() -> list[FamilySpec]:
    board_attributes = (
        ("Количество модулей", "{modules}"),
        ("Степень защиты IP", "IP{ip}"),
        ("Габариты (ВхШ), мм", "{height}х{width}"),
        ("Материал корпуса", "сталь"),
        ("Замок", "{lock_text}"),
    )
    board_axes = (
        ("modules", (9, 12, 18, 24, 36, 48, 54, 72, 96)),
        ("ip", (31, 54)),
        ("lock", ("з", "")),
    )
    metal_sizes = (
        (1, 400, 300, 220),
        (2, 500, 400, 220),
        (3, 650, 500, 220),
        (4, 800, 650, 250),
        (5, 1000, 650, 285),
        (6, 1200, 750, 300),
        (7, 1400, 900, 300),
    )
    board_standard = "ГОСТ IEC 61439-3-2015"
    return [
        FamilySpec(
            key="shrn",
            subcategory="distribution-boards",
            series="ЩРН",
            styles={
                "IEK": BrandStyle(
                    "MKM14-N-{modules:02d}-{ip}-{lock_code}",
                    "Корпус металлический ЩРН-{modules}{lock} ({height}х{width}х120) IP{ip} IEK",
                ),
                "EKF": BrandStyle(
                    "mb21-n-{modules}-{ip}{lock_code}",
                    "Щит распределительный навесной ЩРН-{modules}{lock} ({height}х{width}х120) "
                    "IP{ip} EKF PROxima",
                ),
                "TDM": BrandStyle(
                    "SQ0905-{index:04d}",
                    "Щит распределительный навесной ЩРН-{modules}{lock} IP{ip} TDM",
                ),
                "КЭАЗ": BrandStyle(
                    "{serial}",
                    "Щит распределительный навесной ЩРН-{modules}{lock} IP{ip} УХЛ3 КЭАЗ",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-SHRN-{modules}-{ip}{lock_code}",
                    "Щит распределительный навесной ЩРН-{modules}{lock} IP{ip} ЭлектроПрофи",
                ),
            },
            axes=board_axes,
            attributes=board_attributes,
            derive=_board_derive,
            price=lambda params: (
                (950 + 38 * params["modules"]) * (1.3 if params["ip"] == 54 else 1)
            ),
            description="Навесной металлический щит для сборки распределительных устройств на "
            "модульном оборудовании.",
            standard=board_standard,
        ),
        FamilySpec(
            key="shrv",
            subcategory="distribution-boards",
            series="ЩРВ",
            styles={
                "IEK": BrandStyle(
                    "MKM15-V-{modules:02d}-{ip}-{lock_code}",
                    "Корпус металлический ЩРВ-{modules}{lock} ({height}х{width}х120) IP{ip} IEK",
                ),
                "EKF": BrandStyle(
                    "mb24-v-{modules}-{ip}{lock_code}",
                    "Щит распределительный встраиваемый ЩРВ-{modules}{lock} IP{ip} EKF PROxima",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-SHRV-{modules}-{ip}{lock_code}",
                    "Щит распределительный встраиваемый ЩРВ-{modules}{lock} IP{ip} ЭлектроПрофи",
                ),
            },
            axes=board_axes,
            attributes=board_attributes,
            derive=_board_derive,
            price=lambda params: (
                (1050 + 40 * params["modules"]) * (1.3 if params["ip"] == 54 else 1)
            ),
            description="Встраиваемый металлический щит для квартир, офисов и коттеджей.",
            standard=board_standard,
        ),
        FamilySpec(
            key="shmp",
            subcategory="metal-boards",
            series="ЩМП",
            styles={
                "IEK": BrandStyle(
                    "YKM40-{size:02d}-{ip}",
                    "Щит с монтажной панелью ЩМП-{size}-0 ({height}х{width}х{depth}) У2 IP{ip} IEK",
                ),
                "EKF": BrandStyle(
                    "mb22-{size}-{ip}",
                    "Щит с монтажной панелью ЩМП-{size}.0 ({height}х{width}х{depth}) IP{ip} "
                    "EKF PROxima",
                ),
                "DEKraft": BrandStyle(
                    "{serial}DEK",
                    "Щит с монтажной панелью ЩМП-{size}-0 {height}х{width}х{depth} IP{ip} DEKraft",
                ),
                "КЭАЗ": BrandStyle(
                    "{serial}",
                    "Корпус металлический ЩМП-{size} {height}х{width}х{depth} IP{ip} УХЛ1 КЭАЗ",
                ),
            },
            axes=(("size", tuple(size[0] for size in metal_sizes)), ("ip", (31, 54, 65))),
            attributes=(
                ("Габариты (ВхШхГ), мм", "{height}х{width}х{depth}"),
                ("Степень защиты IP", "IP{ip}"),
                ("Материал корпуса", "сталь"),
                ("Монтажная панель", "оцинкованная"),
            ),
            derive=lambda params: dict(
                zip(
                    ("height", "width", "depth"),
                    metal_sizes[params["size"] - 1][1:],
                    strict=True,
                )
            ),
            price=lambda params: (1900 + 1150 * params["size"]) * (1 + (params["ip"] - 31) / 80),
            description="Металлический щит с монтажной панелью для сборки щитов учёта, "
            "управления и автоматики.",
            standard=board_standard,
        ),
        FamilySpec(
            key="kmpn",
            subcategory="plastic-boxes",
            series="КМПн",
            styles={
                "IEK": BrandStyle(
                    "MKP42-N-{modules:02d}-{ip}-{colour_code}",
                    "Бокс КМПн {modules} модулей для автоматов наружной установки IP{ip} "
                    "{colour} IEK",
                ),
                "EKF": BrandStyle(
                    "pb40-n-{modules}-{ip}{colour_code}",
                    "Бокс пластиковый КМПн-{modules} IP{ip} {colour} EKF PROxima",
                ),
                "TDM": BrandStyle(
                    "SQ0901-{index:04d}",
                    "Бокс КМПн {modules} мод. IP{ip} {colour} TDM",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-KMPN-{modules}-{ip}{colour_code}",
                    "Бокс КМПн на {modules} модулей IP{ip} {colour} ЭлектроПрофи",
                ),
            },
            axes=(
                ("modules", (1, 2, 4, 6, 8, 9, 12, 18, 24, 36)),
                ("ip", (30, 41, 55)),
                ("colour", ("белый", "серый", "прозрачная дверца")),
            ),
            attributes=(
                ("Количество модулей", "{modules}"),
                ("Степень защиты IP", "IP{ip}"),
                ("Материал корпуса", "ABS-пластик"),
                ("Исполнение", "{colour}"),
            ),
            derive=lambda params: {
                "colour_code": {"белый": "W", "серый": "G", "прозрачная дверца": "T"}[
                    params["colour"]
                ]
            },
            price=lambda params: (95 + 24 * params["modules"]) * (1.5 if params["ip"] == 55 else 1),
            description="Пластиковый бокс для установки модульных аппаратов на DIN-рейку.",
            standard="ГОСТ IEC 60670-24-2016",
        ),
        FamilySpec(
            key="shrn-p",
            subcategory="plastic-boxes",
            series="ЩРН-П",
            styles={
                "IEK": BrandStyle(
                    "MKP12-N-{modules:02d}-{ip}-{door_code}",
                    "Корпус пластиковый ЩРН-П-{modules} IP{ip} {door} дверца IEK",
                ),
                "Legrand": BrandStyle(
                    "{serial}",
                    "Щиток распределительный Practibox S {modules} мод. IP{ip} {door} дверца "
                    "Legrand",
                ),
                "Schneider Electric": BrandStyle(
                    "MIP{ip}{modules:03d}{door_code}",
                    "Щит распределительный Mini Pragma {modules} мод. IP{ip} {door} дверь "
                    "Schneider Electric",
                ),
            },
            axes=(
                ("modules", (4, 6, 8, 12, 18, 24, 36, 48)),
                ("ip", (40, 41, 65)),
                ("door", ("прозрачная", "белая", "дымчатая")),
            ),
            attributes=(
                ("Количество модулей", "{modules}"),
                ("Степень защиты IP", "IP{ip}"),
                ("Дверца", "{door}"),
                ("Материал корпуса", "поликарбонат"),
            ),
            derive=lambda params: {
                "door_code": {"прозрачная": "T", "белая": "W", "дымчатая": "S"}[params["door"]]
            },
            price=lambda params: 320 + 45 * params["modules"],
            description="Пластиковый навесной щиток для квартирных и этажных распределительных "
            "устройств.",
            standard="ГОСТ IEC 61439-3-2015",
        ),
    ]


# Lighting -----------------------------------------------------------------------------------

CCTS = (3000, 4000, 6500)


def _lighting() -> list[FamilySpec]:
    luminaire_standard = "ГОСТ IEC 60598-1-2017"
    return [
        FamilySpec(
            key="dvo-panels",
            subcategory="led-luminaires",
            series="Панели LED (ДВО)",
            styles={
                "IEK": BrandStyle(
                    "LDVO0-6560-{power}-{cct}-{diffuser_code}",
                    "Светильник светодиодный ДВО 6560-{diffuser_code} {power}Вт {cct}К "
                    "{diffuser} IP40 IEK",
                ),
                "Navigator": BrandStyle(
                    "{serial}",
                    "Панель светодиодная Navigator NLP-{diffuser_code}1-{power}-{cct_short}K "
                    "595х595 {power}Вт {cct}К",
                ),
                "Gauss": BrandStyle(
                    "{serial}",
                    "Светильник светодиодный Gauss Panel {power}Вт {cct}К 595х595х19 {diffuser}",
                ),
                "EKF": BrandStyle(
                    "LP-{power}-{cct}-{diffuser_code}",
                    "Панель светодиодная LP {power}Вт {cct}К 595х595 {diffuser} EKF Basic",
                ),
                "TDM": BrandStyle(
                    "SQ0329-9{index:03d}",
                    "Панель светодиодная СВО {power}Вт {cct}К {diffuser} TDM",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-PANEL-{power}-{cct_short}K-{diffuser_code}",
                    "Панель светодиодная {power}Вт {cct}К 595х595 {diffuser} ЭлектроПрофи",
                ),
            },
            axes=(
                ("power", (18, 24, 32, 36, 40, 45, 50)),
                ("cct", CCTS),
                ("diffuser", ("призма", "опал", "микропризма")),
            ),
            attributes=(
                ("Мощность", "{power} Вт"),
                ("Цветовая температура", "{cct} К"),
                ("Световой поток", "{flux} лм"),
                ("Рассеиватель", "{diffuser}"),
                ("Степень защиты IP", "IP40"),
                ("Габариты, мм", "595х595х19"),
            ),
            derive=lambda params: {
                "diffuser_code": {"призма": "PR", "опал": "OP", "микропризма": "MP"}[
                    params["diffuser"]
                ],
                "cct_short": params["cct"] // 1000,
                "flux": params["power"] * 100,
            },
            price=lambda params: 780 + 24 * params["power"],
            description="Светодиодная панель для потолков типа «Армстронг» в офисах, "
            "учебных и торговых помещениях.",
            standard=luminaire_standard,
        ),
        FamilySpec(
            key="dpo",
            subcategory="led-luminaires",
            series="ДПО",
            styles={
                "IEK": BrandStyle(
                    "LDPO0-{model}-{power}-{cct}-K01",
                    "Светильник светодиодный ДПО {model} {power}Вт {cct}К IP{ip} IEK",
                ),
                "TDM": BrandStyle(
                    "SQ0329-{index:04d}",
                    "Светильник светодиодный ДПО-{power}Вт {cct}К IP{ip} линейный TDM",
                ),
                "Gauss": BrandStyle(
                    "{serial}",
                    "Светильник светодиодный Gauss ДПО {model} {power}Вт {cct}К IP{ip}",
                ),
            },
            axes=(
                ("model", (4001, 4002, 4003, 4005)),
                ("power", (18, 24, 36, 40, 50)),
                ("cct", (4000, 6500)),
            ),
            attributes=(
                ("Мощность", "{power} Вт"),
                ("Цветовая температура", "{cct} К"),
                ("Световой поток", "{flux} лм"),
                ("Степень защиты IP", "IP{ip}"),
                ("Длина, мм", "{length}"),
            ),
            derive=lambda params: {
                "ip": 20 if params["model"] in (4001, 4002) else 40,
                "flux": params["power"] * 90,
                "length": 600 if params["power"] <= 18 else 1200,
            },
            price=lambda params: 390 + 17 * params["power"],
            description="Накладной светодиодный светильник для общего освещения "
            "административных и бытовых помещений.",
            standard=luminaire_standard,
        ),
        FamilySpec(
            key="dsp",
            subcategory="led-luminaires",
            series="ДСП",
            styles={
                "IEK": BrandStyle(
                    "LDSP0-{model}-{power}-{cct}-{ip}",
                    "Светильник светодиодный ДСП {model} {power}Вт {cct}К IP{ip} IEK",
                ),
                "EKF": BrandStyle(
                    "dsp-{power}-{cct}-ip{ip}-{model}",
                    "Светильник светодиодный пылевлагозащищённый ДСП {model} {power}Вт {cct}К "
                    "IP{ip} EKF Basic",
                ),
                "Navigator": BrandStyle(
                    "{serial}",
                    "Светильник Navigator DSP {model} {power}Вт {cct}К IP{ip}",
                ),
                "Gauss": BrandStyle(
                    "{serial}",
                    "Светильник светодиодный Gauss ДСП {model} {power}Вт {cct}К IP{ip}",
                ),
                "TDM": BrandStyle(
                    "SQ0330-{index:04d}",
                    "Светильник ДСП {model} {power}Вт {cct}К IP{ip} TDM",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-DSP{model}-{power}-{cct}-{ip}",
                    "Светильник светодиодный ДСП {model} {power}Вт {cct}К IP{ip} ЭлектроПрофи",
                ),
            },
            axes=(
                ("model", (1304, 1305, 1310)),
                ("power", (18, 36, 54)),
                ("cct", (4000, 4500, 6500)),
                ("ip", (65, 67)),
            ),
            attributes=(
                ("Мощность", "{power} Вт"),
                ("Цветовая температура", "{cct} К"),
                ("Степень защиты IP", "IP{ip}"),
                ("Материал рассеивателя", "поликарбонат"),
            ),
            price=lambda params: (520 + 19 * params["power"]) * (1.2 if params["ip"] == 67 else 1),
            description="Пылевлагозащищённый светильник для складов, паркингов, подвалов "
            "и производственных помещений.",
            standard=luminaire_standard,
        ),
        FamilySpec(
            key="sdo",
            subcategory="floodlights",
            series="СДО",
            styles={
                "IEK": BrandStyle(
                    "LPDO601-{power}-{cct_short}-K0{colour_code}",
                    "Прожектор светодиодный СДО 06-{power} IP65 {cct}К {colour} IEK",
                ),
                "EKF": BrandStyle(
                    "fl-{power}-{cct_short}-{colour_code}",
                    "Прожектор светодиодный СДО-{power}Вт {cct}К IP65 {colour} EKF Basic",
                ),
                "Navigator": BrandStyle(
                    "{serial}",
                    "Прожектор светодиодный Navigator NFL-M-{power}-{cct_short}K-IP65 {colour}",
                ),
                "Gauss": BrandStyle(
                    "{serial}",
                    "Прожектор светодиодный Gauss Qplus {power}Вт {cct}К IP65 {colour}",
                ),
                "TDM": BrandStyle(
                    "SQ0336-{index:04d}",
                    "Прожектор светодиодный СДО-{power}Вт {cct}К IP65 {colour} TDM",
                ),
            },
            axes=(
                ("power", (10, 20, 30, 50, 70, 100, 150, 200, 300)),
                ("cct", (4000, 6500)),
                ("colour", ("чёрный", "белый", "серый")),
            ),
            attributes=(
                ("Мощность", "{power} Вт"),
                ("Цветовая температура", "{cct} К"),
                ("Световой поток", "{flux} лм"),
                ("Степень защиты IP", "IP65"),
                ("Цвет корпуса", "{colour}"),
            ),
            derive=lambda params: {
                "cct_short": params["cct"] // 100,
                "colour_code": {"белый": 1, "чёрный": 2, "серый": 3}[params["colour"]],
                "flux": params["power"] * 95,
            },
            price=lambda params: 260 + 12.5 * params["power"],
            description="Светодиодный прожектор для архитектурной подсветки, освещения "
            "строительных площадок и территорий.",
            standard=luminaire_standard,
        ),
        FamilySpec(
            key="led-lamps",
            subcategory="lamps",
            series="Лампы светодиодные",
            styles={
                "IEK": BrandStyle(
                    "LLE-{shape}-{power}-230-{cct_short}-{base}",
                    "Лампа светодиодная ECO {shape} {shape_name} {power}Вт 230В {cct}К {base} IEK",
                ),
                "Navigator": BrandStyle(
                    "{serial}",
                    "Лампа светодиодная Navigator NLL-{shape}-{power}-230-{cct_k}K-{base}",
                ),
                "Gauss": BrandStyle(
                    "{serial}",
                    "Лампа светодиодная Gauss Elementary {shape} {power}Вт {cct}К {base}",
                ),
                "TDM": BrandStyle(
                    "SQ0340-{index:04d}",
                    "Лампа светодиодная {shape} {shape_name} {power}Вт 230В {cct}К {base} TDM",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-LED-{shape}-{power}W-{cct_k}K-{base}",
                    "Лампа светодиодная {shape} {power}Вт {cct}К {base} ЭлектроПрофи",
                ),
            },
            axes=(
                ("shape", ("A60", "A65", "C37", "G45", "R63", "T8")),
                ("power", (4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 20, 25, 30)),
                ("cct", CCTS),
                ("base", ("E14", "E27", "G13")),
            ),
            allows=lambda params: (
                (params["shape"] == "T8") == (params["base"] == "G13")
                and not (params["shape"] in ("C37", "G45") and params["power"] > 11)
                and not (
                    params["shape"] in ("A60", "A65", "R63")
                    and params["base"] == "E14"
                    and params["power"] > 11
                )
                and not (params["shape"] == "T8" and params["power"] not in (9, 10, 20, 25))
            ),
            attributes=(
                ("Мощность", "{power} Вт"),
                ("Цветовая температура", "{cct} К"),
                ("Цоколь", "{base}"),
                ("Форма колбы", "{shape} ({shape_name})"),
                ("Напряжение", "230 В"),
            ),
            derive=lambda params: {
                "shape_name": {
                    "A60": "шар",
                    "A65": "шар",
                    "C37": "свеча",
                    "G45": "шарик",
                    "R63": "рефлектор",
                    "T8": "трубка",
                }[params["shape"]],
                "cct_short": params["cct"] // 100,
                "cct_k": params["cct"] // 1000,
            },
            price=lambda params: 55 + 9 * params["power"],
            description="Светодиодная лампа для замены ламп накаливания и люминесцентных ламп.",
            standard="ГОСТ IEC 62560-2017",
        ),
        FamilySpec(
            key="filament-lamps",
            subcategory="lamps",
            series="Лампы филаментные",
            styles={
                "Navigator": BrandStyle(
                    "{serial}",
                    "Лампа светодиодная филаментная Navigator NLL-F-{shape}-{power}-230-{cct_k}K-"
                    "{base}-{glass_code}",
                ),
                "Gauss": BrandStyle(
                    "{serial}",
                    "Лампа светодиодная Gauss Filament {shape} {power}Вт {cct}К {base} {glass}",
                ),
                "IEK": BrandStyle(
                    "LLF-{shape}-{power}-230-{cct_short}-{base}-{glass_code}",
                    "Лампа светодиодная филаментная {shape} {power}Вт 230В {cct}К {base} "
                    "{glass} IEK",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-FIL-{shape}-{power}W-{cct_k}K-{base}-{glass_code}",
                    "Лампа филаментная {shape} {power}Вт {cct}К {base} {glass} ЭлектроПрофи",
                ),
            },
            axes=(
                ("shape", ("A60", "C35", "CA35", "G45", "ST64", "G95", "G125")),
                ("power", (5, 7, 9, 11, 13, 15)),
                ("cct", (2700, 4000)),
                ("base", ("E14", "E27")),
                ("glass", ("прозрачная", "матовая", "золотистая")),
            ),
            allows=lambda params: (
                not (
                    (params["base"] == "E14" and params["shape"] not in ("C35", "CA35", "G45"))
                    or (params["shape"] in ("C35", "CA35", "G45") and params["power"] > 9)
                )
            ),
            attributes=(
                ("Мощность", "{power} Вт"),
                ("Цветовая температура", "{cct} К"),
                ("Цоколь", "{base}"),
                ("Форма колбы", "{shape}"),
                ("Колба", "{glass}"),
            ),
            derive=lambda params: {
                "glass_code": {"прозрачная": "CL", "матовая": "FR", "золотистая": "GD"}[
                    params["glass"]
                ],
                "cct_short": params["cct"] // 100,
                "cct_k": ru(params["cct"] / 1000),
            },
            price=lambda params: 95 + 14 * params["power"],
            description="Филаментная светодиодная лампа для декоративных светильников и люстр.",
            standard="ГОСТ IEC 62560-2017",
        ),
    ]


# Wiring devices -----------------------------------------------------------------------------

SOCKET_TYPES = (
    ("с заземлением", 41),
    ("с заземлением и защитными шторками", 43),
    ("двойная с заземлением", 26),
    ("с заземлением и крышкой IP44", 47),
    ("с USB A+C", 32),
)
SWITCH_TYPES = (
    ("одноклавишный", 51),
    ("двухклавишный", 52),
    ("одноклавишный с подсветкой", 53),
    ("проходной одноклавишный", 61),
    ("трёхклавишный", 71),
)
FRAME_TYPES = (
    ("1-постовая", 81),
    ("2-постовая", 82),
    ("3-постовая", 83),
    ("4-постовая", 84),
    ("5-постовая", 85),
)
DEVICE_COLOURS = (
    ("белый", 1),
    ("бежевый", 2),
    ("антрацит", 7),
    ("алюминий", 3),
    ("слоновая кость", 4),
    ("графит", 8),
    ("сталь", 5),
    ("чёрный", 6),
)
# (series, key, brand, article template); articles share one template across sockets, switches
# and frames because the kind codes of the three never overlap.
WIRING_SERIES = (
    ("Glossa", "glossa", "Schneider Electric", "GSL000{colour_code}{kind_code}"),
    ("AtlasDesign", "atlasdesign", "Schneider Electric", "ATN000{colour_code}{kind_code}"),
    ("Unica", "unica", "Schneider Electric", "NU5{kind_code}{colour_code:02d}"),
    ("Valena Life", "valena-life", "Legrand", "{serial}"),
    ("Etika", "etika", "Legrand", "{serial}"),
    ("BRITE", "brite", "IEK", "BR-{kind_code}-K{colour_code:02d}"),
    ("Zenit", "zenit", "ABB", "2CLA{kind_code}{colour_code:02d}00N1"),
    ("Basic 55", "basic55", "ABB", "2CLB{kind_code}{colour_code:02d}00N1"),
    ("Ладога", "ladoga", "TDM", "SQ18{kind_code}-{colour_code:04d}"),
    ("Минск", "minsk", "EKF", "ERR{kind_code}-K{colour_code:02d}"),
)
WIRING_DEVICE_BASE_PRICE = {41: 165, 43: 190, 26: 330, 47: 260, 32: 720, 51: 150, 52: 180, 53: 240}
SERIES_PRICE_FACTOR = {"Unica": 1.2, "AtlasDesign": 0.85, "Etika": 0.8, "Basic 55": 0.75}


def _wiring_device_price(params: Params) -> float:
    kind_code = params["kind"][1]
    base = WIRING_DEVICE_BASE_PRICE.get(kind_code, 90 * (kind_code - 79) if kind_code > 80 else 270)
    colour_factor = 1.15 if params["colour"][0] != "белый" else 1
    return base * colour_factor * SERIES_PRICE_FACTOR.get(params["series"], 1)


def _wiring_device_derive(params: Params) -> dict[str, Any]:
    return {
        "kind_text": params["kind"][0],
        "kind_code": params["kind"][1],
        "colour_text": params["colour"][0],
        "colour_code": params["colour"][1],
    }


def _wiring_devices() -> list[FamilySpec]:
    kinds = (
        (
            "sockets",
            SOCKET_TYPES,
            "Розетка {series} {kind_text} 16А {colour_text} {brand}",
            (("Тип", "розетка {kind_text}"), ("Номинальный ток", "16 А")),
            "Розетка серии {series} для скрытой установки в монтажную коробку.",
            "ГОСТ IEC 60884-1-2013",
        ),
        (
            "switches",
            SWITCH_TYPES,
            "Выключатель {series} {kind_text} 10А {colour_text} {brand}",
            (("Тип", "выключатель {kind_text}"), ("Номинальный ток", "10 А")),
            "Выключатель серии {series} для скрытой установки.",
            "ГОСТ IEC 60669-1-2016",
        ),
        (
            "frames",
            FRAME_TYPES,
            "Рамка {kind_text} {series} {colour_text} {brand}",
            (("Тип", "рамка {kind_text}"),),
            "Декоративная рамка серии {series} для горизонтальной и вертикальной установки.",
            "ГОСТ IEC 60670-1-2016",
        ),
    )
    families = []
    for series, slug, brand, code_template in WIRING_SERIES:
        for subcategory, kind_values, name, kind_attributes, description, standard in kinds:
            families.append(
                FamilySpec(
                    key=f"{subcategory}-{slug}",
                    subcategory=subcategory,
                    series=series,
                    styles={brand: BrandStyle(code_template, name)},
                    axes=(
                        ("series", (series,)),
                        ("kind", kind_values),
                        ("colour", DEVICE_COLOURS),
                    ),
                    attributes=(
                        *kind_attributes,
                        ("Цвет", "{colour_text}"),
                        ("Серия", "{series}"),
                        ("Способ монтажа", "скрытый"),
                    ),
                    derive=_wiring_device_derive,
                    price=_wiring_device_price,
                    description=description.format(series=series),
                    standard=standard,
                )
            )
    return families


# Low-voltage apparatus ----------------------------------------------------------------------

CONTACTOR_RATINGS = (9, 12, 18, 25, 32, 40, 50, 65, 80, 95)
COILS = (24, 36, 110, 230, 400)


def _contactor_derive(params: Params) -> dict[str, Any]:
    rating = params["rating"]
    frame = 1 if rating <= 18 else 2 if rating <= 32 else 4
    return {
        "frame": frame,
        "kmi": f"{frame}{rating:02d}{params['contacts']}",
        "contacts_text": "1НО" if params["contacts"] == "10" else "1НЗ",
        "coil_schneider": {24: "B7", 36: "C7", 110: "F7", 230: "P7", 400: "V7"}[params["coil"]],
        "contacts_slug": "no" if params["contacts"] == "10" else "nc",
    }


MCCB_RATINGS = (16, 20, 25, 32, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630)
MCCB_RATINGS_LARGE = (800, 1000, 1250, 1600)


def _mccb_derive(params: Params) -> dict[str, Any]:
    rating = params["rating"]
    frame_index = next(
        index for index, limit in enumerate((125, 250, 400, 630, 1000, 1600)) if rating <= limit
    )
    electronic = params["release"] == "электронный"
    return {
        "frame_iek": (32, 35, 37, 39, 40, 43)[frame_index],
        "frame_ekf": (125, 250, 400, 630, 1000, 1600)[frame_index],
        "frame_keaz": (125, 250, 400, 630, 1000, 1600)[frame_index],
        "frame_schneider": (100, 250, 400, 630, 1000, 1600)[frame_index],
        "release_code": "E" if electronic else "T",
        "release_short": "ЭР" if electronic else "ТМ",
        "breaking_letter": {25: "B", 36: "F", 50: "N"}[params["breaking"]],
    }


def _mccb_price(params: Params) -> float:
    return (
        (2300 + 21 * params["rating"])
        * (1.3 if params["poles"] == 4 else 1)
        * (1 + (params["breaking"] - 25) / 50)
        * (1.8 if params["release"] == "электронный" else 1)
    )


def _low_voltage() -> list[FamilySpec]:
    contactor_common: dict[str, Any] = {
        "subcategory": "contactors",
        "attributes": (
            ("Номинальный ток (AC-3)", "{rating} А"),
            ("Напряжение катушки", "{coil} В AC"),
            ("Вспомогательные контакты", "{contacts_text}"),
            ("Число полюсов", "3"),
        ),
        "derive": _contactor_derive,
        "price": lambda params: 520 + 27 * params["rating"],
        "description": "Контактор для пуска и управления трёхфазными асинхронными двигателями "
        "и коммутации цепей переменного тока.",
        "standard": "ГОСТ IEC 60947-4-1-2015",
        "has_manual": True,
    }
    contactor_axes = (
        ("rating", CONTACTOR_RATINGS),
        ("coil", COILS),
        ("contacts", ("10", "01")),
    )
    thermal_ranges = (
        ("0,1-0,16", 1),
        ("0,25-0,4", 3),
        ("0,63-1", 5),
        ("1-1,6", 6),
        ("1,6-2,5", 7),
        ("2,5-4", 8),
        ("4-6", 10),
        ("5,5-8", 12),
        ("7-10", 14),
        ("9-13", 16),
        ("12-18", 21),
        ("17-25", 22),
        ("23-32", 32),
        ("30-40", 35),
        ("37-50", 53),
        ("48-65", 57),
        ("55-70", 59),
        ("63-80", 63),
        ("80-93", 65),
    )
    mccb = FamilySpec(
        key="mccb",
        subcategory="mccb",
        series="Автоматы в литом корпусе",
        styles={
            "IEK": BrandStyle(
                "SVA{frame_iek}-{poles}-{rating:04d}-{breaking}{release_code}",
                "Автоматический выключатель ВА88-{frame_iek} {poles}Р {rating}А {breaking}кА "
                "{release_short} IEK",
            ),
            "EKF": BrandStyle(
                "mccb99-{frame_ekf}-{rating}{release_code}-{poles}p-{breaking}",
                "Выключатель автоматический ВА-99 {frame_ekf}/{rating}А {poles}P {breaking}кА "
                "{release_short} EKF PROxima",
            ),
            "КЭАЗ": BrandStyle(
                "{serial}",
                "Выключатель автоматический OptiMat D{frame_keaz}N-{rating}-{breaking}кА-"
                "{poles}P-{release_short}-УХЛ3 КЭАЗ",
            ),
            "Schneider Electric": BrandStyle(
                "LV5{frame_schneider:04d}{rating:04d}{poles}{breaking_letter}{release_code}",
                "Автоматический выключатель EasyPact CVS{frame_schneider}{breaking_letter} "
                "{rating}А {poles}P {release_short} Schneider Electric",
            ),
            "ABB": BrandStyle(
                "1SDA0{serial}R1",
                "Автоматический выключатель ABB Tmax XT {poles}P {rating}А {breaking}кА "
                "{release_short}",
            ),
            "DEKraft": BrandStyle(
                "{serial}DEK",
                "Автоматический выключатель ВА-302 {poles}Р {rating}А {breaking}кА "
                "{release_short} DEKraft",
            ),
        },
        axes=(
            ("rating", MCCB_RATINGS + MCCB_RATINGS_LARGE),
            ("poles", (3, 4)),
            ("breaking", (25, 36, 50)),
            ("release", ("термомагнитный", "электронный")),
        ),
        allows=lambda params: (
            (params["release"] == "термомагнитный" or params["rating"] >= 100)
            and (params["breaking"] < 50 or params["rating"] >= 100)
        ),
        attributes=(
            ("Номинальный ток", "{rating} А"),
            ("Число полюсов", "{poles}"),
            ("Отключающая способность", "{breaking} кА"),
            ("Тип расцепителя", "{release}"),
            ("Номинальное напряжение", "400 В"),
        ),
        derive=_mccb_derive,
        price=_mccb_price,
        description="Автоматический выключатель в литом корпусе для защиты вводов, "
        "распределительных сетей и двигателей на токи до 1600 А.",
        standard="ГОСТ IEC 60947-2-2021",
        has_manual=True,
    )
    return [
        mccb,
        FamilySpec(
            key="kmi",
            series="КМИ",
            styles={
                "IEK": BrandStyle(
                    "KKM{frame}{contacts}-{rating:03d}-{coil}",
                    "Контактор КМИ-{kmi} {rating}А {coil}В/АС3 {contacts_text} IEK",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-KMI{contacts}-{rating:03d}-{coil}",
                    "Контактор КМИ-{kmi} {rating}А катушка {coil}В {contacts_text} ЭлектроПрофи",
                ),
            },
            axes=contactor_axes,
            **contactor_common,
        ),
        FamilySpec(
            key="tesys-d",
            series="TeSys D",
            styles={
                "Schneider Electric": BrandStyle(
                    "LC1D{rating:02d}{coil_schneider}{contacts}",
                    "Контактор TeSys D 3P {rating}А {contacts_text} {coil}В 50/60Гц "
                    "Schneider Electric",
                ),
            },
            axes=contactor_axes,
            **contactor_common,
        ),
        FamilySpec(
            key="kme",
            series="КМЭ",
            styles={
                "EKF": BrandStyle(
                    "ctr-s-{rating}-{coil}-{contacts_slug}",
                    "Контактор малогабаритный КМЭ {rating}А {coil}В {contacts_text} EKF PROxima",
                ),
                "DEKraft": BrandStyle(
                    "{serial}DEK",
                    "Контактор КМ-102 {rating}А {coil}В AC3 {contacts_text} DEKraft",
                ),
                "КЭАЗ": BrandStyle(
                    "{serial}",
                    "Контактор КМ-103 {rating}А {coil}В AC3 {contacts_text} КЭАЗ",
                ),
            },
            axes=contactor_axes,
            **contactor_common,
        ),
        FamilySpec(
            key="vr32",
            subcategory="load-switches",
            series="ВР32",
            styles={
                "IEK": BrandStyle(
                    "SRK{size}-{handle_code}{chambers_code}-{rating:03d}",
                    "Рубильник ВР32-{size} {handle} {chambers} {rating}А IEK",
                ),
                "EKF": BrandStyle(
                    "rb-32-{size}-{handle_code}{chambers_code}-{rating}",
                    "Рубильник ВР32-{size} {rating}А {handle} {chambers} EKF PROxima",
                ),
                "КЭАЗ": BrandStyle(
                    "{serial}",
                    "Выключатель-разъединитель ВР32-{size} {rating}А {handle} {chambers} КЭАЗ",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-VR32-{size}-{handle_code}{chambers_code}-{rating}",
                    "Рубильник ВР32-{size} {rating}А {handle} {chambers} ЭлектроПрофи",
                ),
            },
            axes=(
                ("rating", (100, 250, 400, 630)),
                (
                    "handle",
                    (
                        "с передней смещённой рукояткой",
                        "с боковой рукояткой",
                        "с центральной рукояткой",
                    ),
                ),
                ("chambers", ("с дугогасительными камерами", "без дугогасительных камер")),
            ),
            attributes=(
                ("Номинальный ток", "{rating} А"),
                ("Число полюсов", "3"),
                ("Привод", "{handle}"),
                ("Дугогасительные камеры", "{chambers_yes}"),
            ),
            derive=lambda params: {
                "size": {100: 31, 250: 35, 400: 37, 630: 39}[params["rating"]],
                "handle_code": {
                    "с передней смещённой рукояткой": "F",
                    "с боковой рукояткой": "S",
                    "с центральной рукояткой": "C",
                }[params["handle"]],
                "chambers_code": "A" if params["chambers"].startswith("с ") else "N",
                "chambers_yes": "есть" if params["chambers"].startswith("с ") else "нет",
            },
            price=lambda params: 1800 + 9.5 * params["rating"],
            description="Рубильник (выключатель-разъединитель) для нечастых коммутаций "
            "и видимого разрыва цепи в распределительных устройствах.",
            standard="ГОСТ IEC 60947-3-2016",
            has_manual=True,
        ),
        FamilySpec(
            key="thermal-relays",
            subcategory="relays",
            series="Реле тепловые",
            styles={
                "IEK": BrandStyle(
                    "DRT{frame}-D{range_code:03d}",
                    "Реле электротепловое РТИ-{frame}{range_code:02d} {range}А IEK",
                ),
                "EKF": BrandStyle(
                    "rt-03-{range_code}",
                    "Реле тепловое РТ-03 {range}А EKF PROxima",
                ),
                "Schneider Electric": BrandStyle(
                    "LRD{range_code:02d}",
                    "Тепловое реле TeSys LRD {range}А класс 10A Schneider Electric",
                ),
            },
            axes=(("thermal", thermal_ranges),),
            attributes=(
                ("Диапазон уставки тока", "{range} А"),
                ("Класс расцепления", "10A"),
                ("Число полюсов", "3"),
            ),
            derive=lambda params: {
                "range": params["thermal"][0],
                "range_code": params["thermal"][1],
                "frame": 13 if params["thermal"][1] <= 22 else 33,
            },
            price=lambda params: 640 + 11 * params["thermal"][1],
            description="Электротепловое реле защиты электродвигателей от перегрузки "
            "и обрыва фазы; монтируется непосредственно на контактор.",
            standard="ГОСТ IEC 60947-4-1-2015",
        ),
        FamilySpec(
            key="voltage-relays",
            subcategory="relays",
            series="Реле напряжения",
            styles={
                "IEK": BrandStyle(
                    "ORN{phases}0-{current:03d}-{display_code}",
                    "Реле напряжения {phases_text} {current}А {display} IEK",
                ),
                "EKF": BrandStyle(
                    "rnpp-{phases}-{current}-{display_code}",
                    "Реле контроля напряжения {phases_text} {current}А {display} EKF PROxima",
                ),
                "DEKraft": BrandStyle(
                    "{serial}DEK",
                    "Реле напряжения РН-{phases}0{current} {phases_text} {display} DEKraft",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-RN{phases}-{current}-{display_code}",
                    "Реле напряжения {phases_text} {current}А {display} ЭлектроПрофи",
                ),
            },
            axes=(
                ("phases", (1, 3)),
                ("current", (25, 32, 40, 50, 63, 80)),
                ("display", ("с цифровым индикатором", "без индикатора")),
            ),
            attributes=(
                ("Число фаз", "{phases}"),
                ("Номинальный ток нагрузки", "{current} А"),
                ("Индикация", "{display}"),
            ),
            derive=lambda params: {
                "phases_text": "однофазное" if params["phases"] == 1 else "трёхфазное",
                "display_code": "D" if params["display"].startswith("с ") else "N",
            },
            price=lambda params: (1150 if params["phases"] == 1 else 2900) + 14 * params["current"],
            description="Реле защиты потребителей от недопустимых колебаний напряжения сети.",
            standard="ГОСТ IEC 60255-1-2014",
        ),
    ]


# Cable management ---------------------------------------------------------------------------


def _tray_price(params: Params) -> float:
    hot_dip_factor = 1.6 if params["coating"] == "горячеоцинкованный" else 1
    sheet_factor = params["thickness"] / 0.7
    return (120 + params["width"] * params["height"] / 42) * hot_dip_factor * sheet_factor


def _cable_management() -> list[FamilySpec]:
    tray_axes = (
        ("width", (50, 80, 100, 150, 200, 300, 400, 500, 600)),
        ("height", (35, 50, 80, 100)),
        ("coating", ("оцинкованный", "горячеоцинкованный")),
        ("thickness", (0.55, 0.7, 0.8, 1.0)),
    )
    tray_attributes = (
        ("Ширина", "{width} мм"),
        ("Высота борта", "{height} мм"),
        ("Толщина металла", "{thickness_text} мм"),
        ("Длина секции", "3000 мм"),
        ("Покрытие", "{coating}"),
    )

    def tray_derive(params: Params) -> dict[str, Any]:
        return {
            "coating_code": "HDZ" if params["coating"].startswith("горячео") else "ZN",
            "thickness_text": ru(params["thickness"]),
            "thickness_code": round(params["thickness"] * 100),
        }

    def tray_allows(params: Params) -> bool:
        # Wide trays are never made of thin sheet.
        return params["thickness"] >= (0.55 if params["width"] <= 200 else 0.8)

    tray_common: dict[str, Any] = {
        "subcategory": "trays",
        "axes": tray_axes,
        "attributes": tray_attributes,
        "derive": tray_derive,
        "price": _tray_price,
        "allows": tray_allows,
        # Trays are sold by the metre in whole 3 m sections.
        "unit": lambda params: "м",
        "multiplicity": lambda params: 3,
        "standard": "ГОСТ Р 52868-2021",
    }
    conduit_packs = {16: 100, 20: 100, 25: 50, 32: 50, 40: 25, 50: 25, 63: 15}
    tie_sizes = (
        (2.5, 100),
        (2.5, 150),
        (2.5, 200),
        (3.6, 150),
        (3.6, 200),
        (3.6, 250),
        (3.6, 300),
        (4.8, 200),
        (4.8, 300),
        (4.8, 400),
        (7.6, 400),
        (7.6, 500),
    )
    return [
        FamilySpec(
            key="trays-perforated",
            series="Лоток перфорированный",
            styles={
                "IEK": BrandStyle(
                    "CLP1P-{height:03d}-{width:03d}-3-{thickness_code:03d}{coating_code}",
                    "Лоток перфорированный {width}х{height}х3000 {thickness_text} мм {coating} IEK",
                ),
                "EKF": BrandStyle(
                    "lp{width}{height}-{thickness_code:03d}{coating_code}",
                    "Лоток перфорированный {width}х{height}х3000 мм s{thickness_text} {coating} "
                    "EKF",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-LP-{width}-{height}-{thickness_code:03d}{coating_code}",
                    "Лоток перфорированный {width}х{height} L3000 s{thickness_text} {coating} "
                    "ЭлектроПрофи",
                ),
            },
            description="Перфорированный кабельный лоток для открытой прокладки кабеля "
            "с естественным охлаждением.",
            **tray_common,
        ),
        FamilySpec(
            key="trays-solid",
            series="Лоток неперфорированный",
            styles={
                "IEK": BrandStyle(
                    "CLP1N-{height:03d}-{width:03d}-3-{thickness_code:03d}{coating_code}",
                    "Лоток неперфорированный {width}х{height}х3000 {thickness_text} мм {coating} "
                    "IEK",
                ),
                "EKF": BrandStyle(
                    "ln{width}{height}-{thickness_code:03d}{coating_code}",
                    "Лоток неперфорированный {width}х{height}х3000 мм s{thickness_text} {coating} "
                    "EKF",
                ),
            },
            description="Сплошной кабельный лоток для защиты кабеля от механических "
            "повреждений и пыли.",
            **tray_common,
        ),
        FamilySpec(
            key="trays-ladder",
            series="Лоток лестничный",
            styles={
                "IEK": BrandStyle(
                    "CLL1-{height:03d}-{width:03d}-3-{thickness_code:03d}{coating_code}",
                    "Лоток лестничный {width}х{height}х3000 {thickness_text} мм {coating} IEK",
                ),
                "EKF": BrandStyle(
                    "ll{width}{height}-{thickness_code:03d}{coating_code}",
                    "Лоток лестничный {width}х{height}х3000 мм s{thickness_text} {coating} EKF",
                ),
            },
            description="Лестничный лоток для прокладки силовых кабелей большого сечения.",
            **{
                **tray_common,
                "allows": lambda params: params["width"] >= 200 and tray_allows(params),
            },
        ),
        FamilySpec(
            key="conduit-pvc",
            subcategory="conduits",
            series="Гофротруба ПВХ",
            styles={
                "IEK": BrandStyle(
                    "CTG20-{diameter}-K{colour_code}-{pack}{probe_code}",
                    "Труба гофрированная ПВХ d{diameter} {probe} {colour} ({pack} м) IEK",
                ),
                "EKF": BrandStyle(
                    "tg-z-{diameter}-{pack}-{colour_slug}{probe_code}",
                    "Труба гофрированная ПВХ {diameter} мм {probe} {colour} ({pack} м) EKF-Plast",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-GOF-{diameter}-{colour_slug}{probe_code}",
                    "Гофротруба ПВХ d{diameter} {probe} {colour} (бухта {pack} м) ЭлектроПрофи",
                ),
            },
            axes=(
                ("diameter", (16, 20, 25, 32, 40, 50, 63)),
                ("probe", ("с протяжкой", "без протяжки")),
                ("colour", ("серая", "белая", "чёрная")),
            ),
            attributes=(
                ("Наружный диаметр", "{diameter} мм"),
                ("Материал", "ПВХ"),
                ("Протяжка", "{probe}"),
                ("Цвет", "{colour}"),
                ("Длина бухты", "{pack} м"),
            ),
            derive=lambda params: {
                "pack": conduit_packs[params["diameter"]],
                "probe_code": "I" if params["probe"] == "с протяжкой" else "",
                "colour_code": {"серая": 41, "белая": "01", "чёрная": 20}[params["colour"]],
                "colour_slug": {"серая": "gr", "белая": "wh", "чёрная": "bl"}[params["colour"]],
            },
            price=lambda params: 5.2 + 0.42 * params["diameter"],
            unit=lambda params: "м",
            multiplicity=lambda params: conduit_packs[params["diameter"]],
            description="Гибкая гофрированная труба из самозатухающего ПВХ для защиты "
            "проводки внутри помещений.",
            standard="ГОСТ IEC 61386-22-2022",
        ),
        FamilySpec(
            key="conduit-pnd",
            subcategory="conduits",
            series="Гофротруба ПНД",
            styles={
                "IEK": BrandStyle(
                    "CTG12-{diameter}-K{colour_code}-{pack}{probe_code}",
                    "Труба гофрированная ПНД d{diameter} {probe} {colour} ({pack} м) IEK",
                ),
                "EKF": BrandStyle(
                    "tg-pnd-{diameter}-{pack}-{colour_slug}{probe_code}",
                    "Труба гофрированная ПНД {diameter} мм {probe} {colour} ({pack} м) EKF-Plast",
                ),
            },
            axes=(
                ("diameter", (16, 20, 25, 32, 40, 50, 63)),
                ("probe", ("с протяжкой", "без протяжки")),
                ("colour", ("чёрная", "оранжевая")),
            ),
            attributes=(
                ("Наружный диаметр", "{diameter} мм"),
                ("Материал", "ПНД"),
                ("Протяжка", "{probe}"),
                ("Цвет", "{colour}"),
                ("Длина бухты", "{pack} м"),
            ),
            derive=lambda params: {
                "pack": conduit_packs[params["diameter"]],
                "probe_code": "I" if params["probe"] == "с протяжкой" else "",
                "colour_code": {"чёрная": 20, "оранжевая": 30}[params["colour"]],
                "colour_slug": {"чёрная": "bl", "оранжевая": "or"}[params["colour"]],
            },
            price=lambda params: 6.4 + 0.5 * params["diameter"],
            unit=lambda params: "м",
            multiplicity=lambda params: conduit_packs[params["diameter"]],
            description="Гофрированная труба из ПНД для прокладки кабеля вне помещений, "
            "в бетоне и в земле.",
            standard="ГОСТ IEC 61386-22-2022",
        ),
        FamilySpec(
            key="trunking",
            subcategory="trunking",
            series="Кабель-каналы ПВХ",
            styles={
                "IEK": BrandStyle(
                    "CKK10-{width:03d}-{height:03d}-1-K{colour_code}",
                    "Кабель-канал КМ {width}х{height} {colour} (2 м) IEK",
                ),
                "EKF": BrandStyle(
                    "kk-{width}-{height}-{colour_slug}",
                    "Кабель-канал {width}х{height} мм {colour} (2 м) EKF-Plast",
                ),
                "Legrand": BrandStyle(
                    "{serial}",
                    "Кабель-канал DLP {width}х{height} мм {colour} (2 м) Legrand",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-KK-{width}x{height}-{colour_slug}",
                    "Кабель-канал {width}х{height} {colour} 2 м ЭлектроПрофи",
                ),
            },
            axes=(
                (
                    "size",
                    (
                        (12, 12),
                        (15, 10),
                        (16, 16),
                        (20, 10),
                        (25, 16),
                        (25, 25),
                        (40, 16),
                        (40, 25),
                        (40, 40),
                        (60, 40),
                        (80, 40),
                        (100, 40),
                        (100, 60),
                    ),
                ),
                ("colour", ("белый", "коричневый", "серый")),
            ),
            attributes=(
                ("Размер (ШхВ)", "{width}х{height} мм"),
                ("Длина", "2 м"),
                ("Материал", "ПВХ"),
                ("Цвет", "{colour}"),
            ),
            derive=lambda params: {
                "width": params["size"][0],
                "height": params["size"][1],
                "colour_code": {"белый": "01", "коричневый": "04", "серый": "41"}[params["colour"]],
                "colour_slug": {"белый": "w", "коричневый": "br", "серый": "gr"}[params["colour"]],
            },
            price=lambda params: 14 + params["size"][0] * params["size"][1] / 48,
            unit=lambda params: "м",
            multiplicity=lambda params: 2,
            description="Кабель-канал из самозатухающего ПВХ для открытой прокладки "
            "проводов по стенам и потолкам.",
            standard="ГОСТ IEC 61084-1-2013",
        ),
        FamilySpec(
            key="cable-ties",
            subcategory="ties",
            series="Хомуты-стяжки",
            styles={
                "IEK": BrandStyle(
                    "UHH31-D{width_code:03d}-{length}-100-{colour_slug}",
                    "Хомут-стяжка кабельная {width_text}х{length} нейлон {colour} (100 шт) IEK",
                ),
                "EKF": BrandStyle(
                    "plc-kz-{width_text_dot}x{length}-{colour_slug}",
                    "Хомут-стяжка нейлоновая {width_text}х{length} мм {colour} EKF-Plast",
                ),
                "TDM": BrandStyle(
                    "SQ0515-{index:04d}",
                    "Хомут-стяжка нейлон {width_text}х{length} мм {colour} (100 шт) TDM",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-HS-{width_code}-{length}-{colour_slug}",
                    "Стяжка кабельная {width_text}х{length} {colour} (упак. 100 шт) ЭлектроПрофи",
                ),
            },
            axes=(("size", tie_sizes), ("colour", ("белый", "чёрный"))),
            attributes=(
                ("Ширина", "{width_text} мм"),
                ("Длина", "{length} мм"),
                ("Материал", "полиамид 6.6"),
                ("Цвет", "{colour}"),
                ("Количество в упаковке", "100 шт"),
            ),
            derive=lambda params: {
                "width_text": ru(params["size"][0]),
                "width_text_dot": f"{params['size'][0]:g}",
                "width_code": round(params["size"][0] * 10),
                "length": params["size"][1],
                "colour_slug": "w" if params["colour"] == "белый" else "b",
            },
            price=lambda params: (
                (45 + params["size"][0] * params["size"][1] / 7)
                * (1 if params["brand"] != "EKF" else 0.01)
            ),
            # EKF lists ties per piece (ordered by the hundred); the others per pack of 100.
            unit=lambda params: "шт" if params["brand"] == "EKF" else "упак",
            multiplicity=lambda params: 100 if params["brand"] == "EKF" else 1,
            description="Нейлоновый хомут-стяжка для крепления и маркировки жгутов проводов.",
            standard="ГОСТ Р МЭК 62275-2013",
        ),
    ]


# Metering -----------------------------------------------------------------------------------


def _metering() -> list[FamilySpec]:
    meter_attributes = (
        ("Число фаз", "{phases}"),
        ("Номинальный (максимальный) ток", "{current} А"),
        ("Тарифность", "{tariffs}"),
        ("Интерфейс", "{interface}"),
        ("Класс точности", "1,0"),
        ("Способ установки", "{mounting}"),
    )

    def meter_derive(params: Params) -> dict[str, Any]:
        return {
            "interface_code": {
                "без интерфейса": "N",
                "RS-485": "R",
                "PLC": "P",
                "радиомодем": "W",
            }[params["interface"]],
            "tariff_code": 1 if params["tariffs"] == "однотарифный" else 4,
            "mounting_code": "D" if params["mounting"] == "на DIN-рейку" else "S",
            "current_code": params["current"].replace("(", "-").replace(")", ""),
        }

    meter_axes_common = (
        ("tariffs", ("однотарифный", "многотарифный")),
        ("interface", ("без интерфейса", "RS-485", "PLC", "радиомодем")),
        ("mounting", ("на DIN-рейку", "в щиток")),
    )
    transformer_ratios = (
        50,
        75,
        100,
        150,
        200,
        250,
        300,
        400,
        500,
        600,
        750,
        800,
        1000,
        1200,
        1500,
        2000,
        2500,
        3000,
        4000,
    )
    return [
        FamilySpec(
            key="meters-1ph",
            subcategory="meters",
            series="Однофазные счётчики",
            styles={
                "IEK": BrandStyle(
                    "CCE-1{tariff_code}-{current_code}-{interface_code}{mounting_code}",
                    "Счётчик электроэнергии однофазный {tariffs} STAR 10{tariff_code} "
                    "{current}А {interface} {mounting} IEK",
                ),
                "EKF": BrandStyle(
                    "rbm-1{tariff_code}-{current_code}-{interface_code}{mounting_code}",
                    "Счётчик электрической энергии однофазный {tariffs} {current}А "
                    "{interface} {mounting} EKF",
                ),
                "DEKraft": BrandStyle(
                    "{serial}DEK",
                    "Счётчик однофазный {tariffs} СЕ-1 {current}А {interface} DEKraft",
                ),
            },
            axes=(("current", ("5(60)", "5(80)", "5(100)", "10(100)")), *meter_axes_common),
            attributes=meter_attributes,
            derive=lambda params: {**meter_derive(params), "phases": 1},
            price=lambda params: (
                (1450 if params["tariffs"] == "однотарифный" else 3900)
                + (0 if params["interface"] == "без интерфейса" else 1900)
            ),
            description="Однофазный электронный счётчик активной энергии для квартир, "
            "частных домов и небольших объектов.",
            standard="ГОСТ 31818.11-2012, ГОСТ 31819.21-2012",
            has_manual=True,
        ),
        FamilySpec(
            key="meters-3ph",
            subcategory="meters",
            series="Трёхфазные счётчики",
            styles={
                "IEK": BrandStyle(
                    "CCE-3{tariff_code}-{current_code}-{interface_code}{mounting_code}",
                    "Счётчик электроэнергии трёхфазный {tariffs} STAR 30{tariff_code} "
                    "{current}А {interface} {mounting} IEK",
                ),
                "EKF": BrandStyle(
                    "rbm-3{tariff_code}-{current_code}-{interface_code}{mounting_code}",
                    "Счётчик электрической энергии трёхфазный {tariffs} {current}А "
                    "{interface} {mounting} EKF",
                ),
            },
            axes=(("current", ("5(10)", "5(60)", "5(80)", "10(100)")), *meter_axes_common),
            attributes=meter_attributes,
            derive=lambda params: {**meter_derive(params), "phases": 3},
            price=lambda params: (
                (3900 if params["tariffs"] == "однотарифный" else 8400)
                + (0 if params["interface"] == "без интерфейса" else 2600)
            ),
            description="Трёхфазный электронный счётчик активной и реактивной энергии прямого "
            "или трансформаторного включения.",
            standard="ГОСТ 31818.11-2012, ГОСТ 31819.22-2012",
            has_manual=True,
        ),
        FamilySpec(
            key="tti",
            subcategory="current-transformers",
            series="ТТИ",
            styles={
                "IEK": BrandStyle(
                    "ITT{frame}-{class_code}-{volt_amperes:02d}-{ratio:04d}{set_code}",
                    "Трансформатор тока ТТИ-{frame_name} {ratio}/5А {volt_amperes}ВА "
                    "класс {accuracy}{set_text} IEK",
                ),
                "EKF": BrandStyle(
                    "tc-{frame}-{ratio}-{class_code}{set_code}",
                    "Трансформатор тока ТТЕ-{frame_name} {ratio}/5А класс точности {accuracy} "
                    "{volt_amperes}ВА{set_text} EKF PROxima",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-TT-{ratio}-{class_code}{set_code}",
                    "Трансформатор тока ТТИ-{frame_name} {ratio}/5А {volt_amperes}ВА "
                    "класс {accuracy}{set_text} ЭлектроПрофи",
                ),
            },
            axes=(
                ("ratio", transformer_ratios),
                ("accuracy", ("0,5", "0,5S")),
                ("set", ("single", "three")),
            ),
            attributes=(
                ("Коэффициент трансформации", "{ratio}/5"),
                ("Класс точности", "{accuracy}"),
                ("Номинальная мощность", "{volt_amperes} ВА"),
                ("Комплектность", "{set_name}"),
            ),
            derive=lambda params: {
                "frame": 1 if params["ratio"] <= 300 else 4 if params["ratio"] <= 1000 else 8,
                "frame_name": "А"
                if params["ratio"] <= 300
                else "40"
                if params["ratio"] <= 1000
                else "85",
                "class_code": "05S" if params["accuracy"] == "0,5S" else "05",
                "volt_amperes": 5 if params["ratio"] <= 300 else 10,
                "set_code": "-K3" if params["set"] == "three" else "",
                "set_text": " (комплект 3 шт)" if params["set"] == "three" else "",
                "set_name": "комплект из 3 шт" if params["set"] == "three" else "1 шт",
            },
            price=lambda params: (
                (290 + 0.35 * params["ratio"]) * (3 if params["set"] == "three" else 1)
            ),
            unit=lambda params: "компл" if params["set"] == "three" else "шт",
            description="Измерительный трансформатор тока для подключения счётчиков "
            "и измерительных приборов в сетях 0,66 кВ.",
            standard="ГОСТ 7746-2015",
        ),
        FamilySpec(
            key="panel-meters",
            subcategory="panel-meters",
            series="Амперметры и вольтметры",
            styles={
                "IEK": BrandStyle(
                    "IP{kind_code}{size_code}-{range_code}",
                    "{kind_text} Э{size_code}7 {range} {size} IEK",
                ),
                "EKF": BrandStyle(
                    "{kind_slug}-{size_code}-{range_code}",
                    "{kind_text} щитовой {range} {size} EKF PROxima",
                ),
                "DEKraft": BrandStyle(
                    "{serial}DEK",
                    "{kind_text} {range} {size} DEKraft",
                ),
            },
            axes=(
                (
                    "measure",
                    (
                        ("А", "0-5А прямого включения", "005"),
                        ("А", "0-50А через ТТ", "050"),
                        ("А", "0-100А через ТТ", "100"),
                        ("А", "0-200А через ТТ", "200"),
                        ("А", "0-400А через ТТ", "400"),
                        ("А", "0-600А через ТТ", "600"),
                        ("А", "0-1000А через ТТ", "1K0"),
                        ("V", "0-300В", "300"),
                        ("V", "0-500В", "500"),
                    ),
                ),
                ("size", ("на DIN-рейку", "72х72 мм", "96х96 мм")),
            ),
            attributes=(
                ("Тип прибора", "{kind_text}"),
                ("Диапазон измерений", "{range}"),
                ("Исполнение", "{size}"),
                ("Класс точности", "1,5"),
            ),
            derive=lambda params: {
                "kind_code": "A" if params["measure"][0] == "А" else "V",
                "kind_slug": "amp" if params["measure"][0] == "А" else "volt",
                "kind_text": "Амперметр" if params["measure"][0] == "А" else "Вольтметр",
                "range": params["measure"][1],
                "range_code": params["measure"][2],
                "size_code": {"на DIN-рейку": 4, "72х72 мм": 7, "96х96 мм": 9}[params["size"]],
            },
            price=lambda params: 890 if params["size"] == "на DIN-рейку" else 1240,
            description="Аналоговый щитовой прибор для контроля тока или напряжения.",
            standard="ГОСТ 30012.1-2002",
        ),
    ]


# Installation products ----------------------------------------------------------------------

LUG_BOLTS_BY_SECTION = {
    1.5: (4, 5, 6),
    2.5: (4, 5, 6, 8),
    4: (4, 5, 6, 8),
    6: (5, 6, 8, 10),
    10: (5, 6, 8, 10),
    16: (6, 8, 10, 12),
    25: (6, 8, 10, 12),
    35: (8, 10, 12),
    50: (8, 10, 12, 14),
    70: (8, 10, 12, 14),
    95: (10, 12, 14, 16),
    120: (10, 12, 14, 16),
    150: (12, 14, 16),
    185: (12, 14, 16, 20),
    240: (12, 16, 20),
}


def _installation() -> list[FamilySpec]:
    return [
        FamilySpec(
            key="lugs-tml",
            subcategory="lugs",
            series="Наконечники ТМЛ",
            styles={
                "IEK": BrandStyle(
                    "UNL-{section_code:03d}-{bolt:02d}{tin_code}",
                    "Наконечник ТМЛ {section_text}-{bolt}-{hole} {tin} IEK",
                ),
                "EKF": BrandStyle(
                    "tml-{section_code}-{bolt}{tin_code}",
                    "Наконечник медный {tin} ТМЛ {section_text}-{bolt}-{hole} EKF PROxima",
                ),
                "TDM": BrandStyle(
                    "SQ0536-{index:04d}",
                    "Наконечник ТМЛ {section_text}-{bolt}-{hole} {tin} TDM",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-TML-{section_code}-{bolt}{tin_code}",
                    "Наконечник трубчатый ТМЛ {section_text}-{bolt}-{hole} {tin} ЭлектроПрофи",
                ),
            },
            axes=(
                ("section", tuple(LUG_BOLTS_BY_SECTION)),
                ("bolt", (4, 5, 6, 8, 10, 12, 14, 16, 20)),
                ("tin", ("луженый", "без покрытия")),
            ),
            allows=lambda params: params["bolt"] in LUG_BOLTS_BY_SECTION[params["section"]],
            attributes=(
                ("Сечение провода", "{section_text} мм²"),
                ("Диаметр болта", "М{bolt}"),
                ("Материал", "медь"),
                ("Покрытие", "{tin}"),
            ),
            derive=lambda params: {
                "section_text": ru(params["section"]),
                "section_code": round(params["section"] * 10),
                "hole": {1.5: 2, 2.5: 2.5, 4: 3, 6: 4}.get(params["section"], 5),
                "tin_code": "T" if params["tin"] == "луженый" else "",
            },
            price=lambda params: (
                (12 + 1.4 * params["section"]) * (1.2 if params["tin"] == "луженый" else 1)
            ),
            # Small lugs are sold by the ten.
            multiplicity=lambda params: 10 if params["section"] <= 35 else 1,
            description="Медный трубчатый наконечник для оконцевания жил кабеля опрессовкой.",
            standard="ГОСТ 7386-80",
        ),
        FamilySpec(
            key="ferrules",
            subcategory="lugs",
            series="Наконечники НШВИ",
            styles={
                "IEK": BrandStyle(
                    "UGN{double_code}-{section_code:03d}-{length:02d}",
                    "Наконечник-гильза {kind} {section_text}-{length} (100 шт) IEK",
                ),
                "EKF": BrandStyle(
                    "nshvi{double_code}-{section_code}-{length}",
                    "Наконечник штыревой втулочный изолированный {kind} {section_text}-{length} "
                    "(100 шт) EKF",
                ),
                "TDM": BrandStyle(
                    "SQ0556-{index:04d}",
                    "Наконечник {kind} {section_text}-{length} (100 шт) TDM",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-NSHVI{double_code}-{section_code}-{length}",
                    "Наконечник-гильза {kind} {section_text}-{length} (упак. 100 шт) ЭлектроПрофи",
                ),
            },
            axes=(
                ("section", (0.25, 0.5, 0.75, 1, 1.5, 2.5, 4, 6, 10, 16, 25, 35, 50)),
                ("length", (8, 10, 12, 18)),
                ("double", (False, True)),
            ),
            allows=lambda params: not (params["double"] and params["section"] > 16),
            attributes=(
                ("Сечение провода", "{section_text} мм²"),
                ("Длина гильзы", "{length} мм"),
                ("Исполнение", "{kind}"),
                ("Количество в упаковке", "100 шт"),
            ),
            derive=lambda params: {
                "section_text": ru(params["section"]),
                "section_code": round(params["section"] * 100),
                "kind": "НШВИ(2)" if params["double"] else "НШВИ",
                "double_code": "2" if params["double"] else "",
            },
            price=lambda params: (70 + 22 * params["section"]) * (1.6 if params["double"] else 1),
            unit=lambda params: "упак",
            description="Изолированный наконечник-гильза для оконцевания многопроволочных жил.",
            standard="ГОСТ 23469.3-79",
        ),
        FamilySpec(
            key="extension-cords",
            subcategory="extension-cords",
            series="Удлинители",
            styles={
                "IEK": BrandStyle(
                    "WYP{sockets}{earth_code}-{length:02d}-{switch_code}",
                    "Удлинитель {sockets} гн. {length} м {earth} {switch} IEK",
                ),
                "TDM": BrandStyle(
                    "SQ1303-{index:04d}",
                    "Удлинитель {sockets} гн. {length} м {earth} {switch} TDM",
                ),
                "Legrand": BrandStyle(
                    "{serial}",
                    "Удлинитель {sockets}х2К+З {length} м {switch} Legrand",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-UD{sockets}-{length}-{earth_code}{switch_code}",
                    "Удлинитель {sockets} гнезда {length} м {earth} {switch} ЭлектроПрофи",
                ),
            },
            axes=(
                ("sockets", (1, 2, 3, 4, 5, 6)),
                ("length", (2, 3, 5, 7, 10, 20, 30, 50)),
                ("earth", ("с заземлением", "без заземления")),
                ("switch", ("с выключателем", "без выключателя")),
            ),
            allows=lambda params: params["length"] < 20 or params["sockets"] <= 4,
            attributes=(
                ("Количество гнёзд", "{sockets}"),
                ("Длина шнура", "{length} м"),
                ("Заземление", "{earth}"),
                ("Выключатель", "{switch}"),
            ),
            derive=lambda params: {
                "earth_code": "Z" if params["earth"] == "с заземлением" else "N",
                "switch_code": "S" if params["switch"] == "с выключателем" else "0",
            },
            price=lambda params: 190 + 45 * params["sockets"] + 38 * params["length"],
            description="Удлинитель силовой бытовой и на катушке для временного подключения "
            "электроинструмента.",
            standard="ГОСТ IEC 61242-2012",
        ),
        FamilySpec(
            key="insulating-tape",
            subcategory="insulation",
            series="Изолента",
            styles={
                "IEK": BrandStyle(
                    "UIZ-{thickness_code}-{width}-{length}-K{colour_code}",
                    "Изолента ПВХ {width}мм х {length}м {colour} IEK",
                ),
                "EKF": BrandStyle(
                    "plc-iz-{thickness_code}-{width}-{length}-{colour_slug}",
                    "Изолента ПВХ {thickness_text}х{width} мм {colour} {length} м EKF",
                ),
                "TDM": BrandStyle(
                    "SQ0526-{index:04d}",
                    "Изолента ПВХ {width}мм {length}м {colour} TDM",
                ),
                "Navigator": BrandStyle(
                    "{serial}",
                    "Изолента Navigator NIT-A{width}-{length}/{colour_slug} {colour}",
                ),
                OWN_TRADEMARK: BrandStyle(
                    "EP-IZ-{thickness_code}-{width}-{length}-{colour_slug}",
                    "Изолента ПВХ {thickness_text}х{width}х{length} {colour} ЭлектроПрофи",
                ),
            },
            axes=(
                ("width", (15, 19)),
                ("length", (10, 20, 25)),
                ("thickness", (0.13, 0.15, 0.18)),
                (
                    "colour",
                    ("синяя", "красная", "чёрная", "белая", "жёлто-зелёная", "жёлтая", "зелёная"),
                ),
            ),
            attributes=(
                ("Ширина", "{width} мм"),
                ("Длина", "{length} м"),
                ("Толщина", "{thickness_text} мм"),
                ("Цвет", "{colour}"),
            ),
            derive=lambda params: {
                "thickness_text": ru(params["thickness"]),
                "thickness_code": round(params["thickness"] * 100),
                "colour_code": {
                    "синяя": "07",
                    "красная": "04",
                    "чёрная": "02",
                    "белая": "01",
                    "жёлто-зелёная": "52",
                    "жёлтая": "05",
                    "зелёная": "06",
                }[params["colour"]],
                "colour_slug": {
                    "синяя": "b",
                    "красная": "r",
                    "чёрная": "k",
                    "белая": "w",
                    "жёлто-зелёная": "yg",
                    "жёлтая": "y",
                    "зелёная": "g",
                }[params["colour"]],
            },
            price=lambda params: 22 + 1.9 * params["length"] * params["thickness"] * 10,
            description="Изоляционная лента из пластифицированного ПВХ для изоляции "
            "электрических соединений.",
            standard="ГОСТ 16214-86",
        ),
    ]


def all_family_specs() -> list[FamilySpec]:
    return [
        *_breakers(),
        *_rcd(),
        *_rcbo(),
        *_load_break_switches(),
        *_cables(),
        *_wires(),
        *_enclosures(),
        *_lighting(),
        *_wiring_devices(),
        *_low_voltage(),
        *_cable_management(),
        *_installation(),
        *_metering(),
    ]


# --- Building the catalog -------------------------------------------------------------------


class BaseVariant(NamedTuple):
    """One brand's product of a family before any numbered version: what every copy shares."""

    code: str
    name: str
    unit: str
    multiplicity: int
    attributes_json: str
    price_kopecks: int  # the base price type, before per-version variation
    brand_index: int


@dataclass
class Family:
    spec: FamilySpec
    index: int
    params: list[dict[str, Any]]  # one per base variant, brand included
    serials: list[int]

    @property
    def size(self) -> int:
        return len(self.params)

    def base_variant(self, position: int, price_jitter: float = 1.0) -> BaseVariant:
        params = self.params[position]
        brand = BRAND_BY_NAME[params["brand"]]
        style = self.spec.styles[params["line"]]
        values = {**params, "serial": self.serials[position]}
        attributes = [
            {"name": name, "value": template.format_map(values)}
            for name, template in self.spec.attributes
        ]
        rubles = self.spec.price(params) * brand.price_factor * price_jitter
        return BaseVariant(
            code=style.code.format_map(values),
            name=style.name.format_map(values),
            unit=self.spec.unit(params),
            multiplicity=self.spec.multiplicity(params),
            attributes_json=json.dumps(attributes, ensure_ascii=False),
            price_kopecks=max(100, round(rubles * 100)),
            brand_index=BRANDS.index(brand),
        )


_NUMBERED_VERSION = re.compile(r"-[0-9]+$")


@dataclass
class DemoCatalog:
    families: list[Family] = field(default_factory=list)

    @property
    def base_variant_count(self) -> int:
        return sum(family.size for family in self.families)


def _expand(spec: FamilySpec) -> list[dict[str, Any]]:
    names = [name for name, _values in spec.axes]
    variants = []
    for line in spec.styles:
        brand = line.split("|")[0]
        for values in itertools.product(*(values for _name, values in spec.axes)):
            params: dict[str, Any] = {
                "brand": brand,
                "line": line,
                **dict(zip(names, values, strict=True)),
            }
            if spec.allows is not None and not spec.allows(params):
                continue
            if spec.derive is not None:
                params.update(spec.derive(params))
            variants.append(params)
    return variants


@cache
def demo_catalog() -> DemoCatalog:
    """Every family expanded into base variants, with numeric articles allotted per brand."""
    catalog = DemoCatalog()
    next_serial = {brand.name: brand.serial_start for brand in BRANDS}
    for family_index, spec in enumerate(all_family_specs()):
        variants = _expand(spec)
        serials: list[int] = []
        per_line: dict[str, int] = {}
        for params in variants:
            brand, line = params["brand"], params["line"]
            per_line[line] = per_line.get(line, 0) + 1
            params["index"] = per_line[line]
            serials.append(next_serial[brand])
            next_serial[brand] += 1
        # The next family of a brand starts at a round number, as manufacturers' lists do.
        for brand in {params["brand"] for params in variants}:
            next_serial[brand] = math.ceil((next_serial[brand] + 1) / 100) * 100 + 1
        catalog.families.append(Family(spec, family_index, variants, serials))
    _check_codes(catalog, next_serial)
    return catalog


def _check_codes(catalog: DemoCatalog, next_serial: Mapping[str, int]) -> None:
    """Base codes must be unique, and none may look like another one's numbered version."""
    for brand in BRANDS:
        if brand.serial_start and next_serial[brand.name] > brand.serial_stop:
            raise ValueError(f"{brand.name}: numeric articles overflow their range")
    seen: dict[str, str] = {}
    for family in catalog.families:
        for position in range(family.size):
            code = family.base_variant(position).code
            key = normalize_code(code)
            if key in seen:
                raise ValueError(f"duplicate demo code {code} ({seen[key]}, {family.spec.key})")
            seen[key] = family.spec.key
    for key in seen:
        if _NUMBERED_VERSION.search(key) and _NUMBERED_VERSION.sub("", key) in seen:
            raise ValueError(f"demo code {key} reads as a numbered version of another code")


# --- Generating products --------------------------------------------------------------------


class GeneratedProduct(NamedTuple):
    number: int  # 1, 2, ... in generation order
    family_index: int
    brand_index: int
    code: str
    name: str
    unit: str
    multiplicity: int
    attributes_json: str
    price_kopecks: int  # in the base price type
    is_active: bool


def allocate(total: int, sizes: Sequence[int]) -> list[int]:
    """Split `total` over families in proportion to their sizes (largest remainders)."""
    whole = sum(sizes)
    exact = [total * size / whole for size in sizes]
    shares = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(sizes)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


# What tells versions of one article apart in real price lists: climate and protection
# classes, colours, finishes, options and packaging. Each appears in a small share of a large
# catalog, as real words do; a single shared word ("исп. 01") in every name would make the
# benchmark's search queries unlike a dealer's.
VERSION_DESCRIPTORS = (
    "УХЛ3",
    "УХЛ4",
    "У1",
    "У2",
    "Т3",
    "IP54",
    "IP65",
    "IP67",
    "белый",
    "серый",
    "чёрный",
    "бежевый",
    "слоновая кость",
    "антрацит",
    "алюминий",
    "нержавеющая сталь",
    "оцинкованный",
    "с индикатором",
    "с подсветкой",
    "с защитными шторками",
    "с заземлением",
    "без заземления",
    "для ЖКХ",
    "эконом",
    "PRO",
    "PLUS",
    "MAX",
    "Smart",
    "упаковка 2 шт",
    "упаковка 5 шт",
    "упаковка 10 шт",
    "коробка 50 шт",
    "в блистере",
    "на DIN-рейку",
    "на монтажную панель",
    "винтовые клеммы",
    "пружинные клеммы",
    "с маркировкой",
    "с пломбой",
    "экспортный",
    "морской",
    "взрывозащищённый",
    "холодостойкий",
    "тропический",
    "усиленный",
    "компактный",
    "с крышкой",
)


def version_suffixes(version: int) -> tuple[str, str]:
    """Code and name suffixes of the n-th numbered version (исполнение) of a base variant."""
    if version == 0:
        return "", ""
    rounds, index = divmod(version - 1, len(VERSION_DESCRIPTORS))
    descriptor = VERSION_DESCRIPTORS[index]
    if rounds:
        descriptor = f"{descriptor}, вариант {rounds + 1}"
    return f"-{version:02d}", f", {descriptor}"


def generate_products(count: int, seed: int) -> Iterator[GeneratedProduct]:
    """`count` products with unique codes, family by family, deterministic for the seed.

    Each family gets a share of `count` in proportion to its number of base variants, takes
    them in a seeded random order, and once they are used up, numbered versions of them.
    """
    catalog = demo_catalog()
    quotas = allocate(count, [family.size for family in catalog.families])
    number = 0
    for family, quota in zip(catalog.families, quotas, strict=True):
        rng = random.Random(f"{seed}/products/{family.spec.key}")
        order = list(range(family.size))
        rng.shuffle(order)
        base_variants: dict[int, BaseVariant] = {}
        for position in range(quota):
            version, slot = divmod(position, family.size)
            variant_position = order[slot]
            base = base_variants.get(variant_position)
            if base is None:
                # Prices of real price lists are not a formula: a few per cent either way.
                base = family.base_variant(variant_position, rng.uniform(0.92, 1.08))
                base_variants[variant_position] = base
            code_suffix, name_suffix = version_suffixes(version)
            number += 1
            yield GeneratedProduct(
                number=number,
                family_index=family.index,
                brand_index=base.brand_index,
                code=base.code + code_suffix,
                name=base.name + name_suffix,
                unit=base.unit,
                multiplicity=base.multiplicity,
                attributes_json=base.attributes_json,
                price_kopecks=round(base.price_kopecks * (1 + 0.015 * (version % 5))),
                # A catalog always carries a few archived products that dealers no longer see.
                is_active=rng.random() >= 0.01,
            )


# --- Prices and availability ----------------------------------------------------------------


@dataclass(frozen=True)
class PriceTypeSpec:
    erp_id: str
    name: str
    factor: float  # of the base price


PRICE_TYPES = (
    PriceTypeSpec("demo-price-base", "Базовая", 1.0),
    PriceTypeSpec("demo-price-wholesale", "Оптовая", 0.93),
    PriceTypeSpec("demo-price-large-wholesale", "Крупнооптовая", 0.87),
)


def kopecks_text(kopecks: int) -> str:
    return f"{kopecks // 100}.{kopecks % 100:02d}"


@dataclass(frozen=True)
class WarehouseSpec:
    erp_id: str
    name: str
    address: str
    stock_weight: float  # how likely a product in stock is held here


WAREHOUSES = (
    WarehouseSpec(
        "demo-wh-msk",
        "Москва (Подольск)",
        "Московская обл., г. Подольск, ул. Индустриальная, д. 12, стр. 3",
        0.95,
    ),
    WarehouseSpec(
        "demo-wh-spb",
        "Санкт-Петербург",
        "г. Санкт-Петербург, Софийская ул., д. 60, лит. А",
        0.6,
    ),
    WarehouseSpec(
        "demo-wh-ekb",
        "Екатеринбург",
        "г. Екатеринбург, ул. Монтажников, д. 4",
        0.45,
    ),
    WarehouseSpec(
        "demo-wh-nsk",
        "Новосибирск",
        "г. Новосибирск, ул. Станционная, д. 38",
        0.35,
    ),
    WarehouseSpec(
        "demo-wh-krd",
        "Краснодар",
        "г. Краснодар, ул. Уральская, д. 75/1",
        0.3,
    ),
)
IN_STOCK_SHARE = 0.7
INCOMING_SHARE = 0.15


def _pack_quantity(product: GeneratedProduct, rng: random.Random, *, scale: float) -> int:
    packs = max(1, round(rng.paretovariate(1.6) * scale))
    if product.multiplicity > 1:
        return product.multiplicity * min(packs, 60)
    return min(packs * (20 if product.unit == "м" else 1), 5000)


def stock_levels(product: GeneratedProduct, rng: random.Random) -> list[tuple[int, int]]:
    """(warehouse position, quantity) for a product; empty for the ~30% out of stock."""
    if rng.random() >= IN_STOCK_SHARE:
        return []
    wanted = rng.choices((1, 2, 3, 4), weights=(35, 30, 20, 15))[0]
    # Weighted sampling without replacement: the big warehouses hold most of the range.
    keys = [rng.random() ** (1 / warehouse.stock_weight) for warehouse in WAREHOUSES]
    chosen = sorted(range(len(WAREHOUSES)), key=keys.__getitem__, reverse=True)[:wanted]
    return [(i, _pack_quantity(product, rng, scale=4)) for i in sorted(chosen)]


def incoming_supplies(product: GeneratedProduct, rng: random.Random) -> list[tuple[int, int, int]]:
    """(warehouse position, days from today, quantity) for the ~15% with receipts expected."""
    if rng.random() >= INCOMING_SHARE:
        return []
    receipts = 1 if rng.random() < 0.7 else 2
    return [
        (
            rng.randrange(len(WAREHOUSES)),
            rng.randint(3, 60),
            _pack_quantity(product, rng, scale=10),
        )
        for _ in range(receipts)
    ]
