"""Line amounts, VAT and totals: one calculation for the cart, the placed order and the invoice.

Amounts are `Decimal`, rounded half-up to kopecks per line; totals are sums of the rounded
lines, as on a Russian invoice. Prices may include VAT (the usual Russian price list) or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from dealerdesk.core.money import HUNDRED, round_money

QUANTITY_STEP = Decimal("0.001")


@dataclass(frozen=True)
class LineAmounts:
    amount: Decimal  # price x quantity, as the price list states it
    vat: Decimal
    without_vat: Decimal
    with_vat: Decimal


def line_amounts(
    *, price: Decimal, quantity: Decimal, vat_rate: Decimal, prices_include_vat: bool
) -> LineAmounts:
    amount = round_money(price * quantity)
    if prices_include_vat:
        vat = round_money(amount * vat_rate / (HUNDRED + vat_rate))
        return LineAmounts(amount, vat, amount - vat, amount)
    vat = round_money(amount * vat_rate / HUNDRED)
    return LineAmounts(amount, vat, amount, amount + vat)


@dataclass(frozen=True)
class Totals:
    without_vat: Decimal
    vat: Decimal
    with_vat: Decimal
    line_count: int

    @classmethod
    def of(cls, lines: Iterable[LineAmounts]) -> Totals:
        without_vat = vat = with_vat = Decimal("0.00")
        count = 0
        for line in lines:
            without_vat += line.without_vat
            vat += line.vat
            with_vat += line.with_vat
            count += 1
        return cls(without_vat, vat, with_vat, count)


def round_up_to_pack(quantity: Decimal, pack: Decimal) -> Decimal:
    """The smallest multiple of the pack that is not below the quantity (кратность)."""
    if pack <= 0:
        return quantity
    packs = (quantity / pack).to_integral_value(rounding=ROUND_CEILING)
    return (packs * pack).quantize(QUANTITY_STEP)


def need_for(quantity: Decimal, available: Decimal) -> Decimal:
    """The part of the quantity that stock does not cover (потребность)."""
    return max(quantity - max(available, Decimal(0)), Decimal(0))
