"""Money arithmetic: `Decimal` only, rounded explicitly half-up to kopecks."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

KOPECK = Decimal("0.01")
HUNDRED = Decimal(100)


def round_money(amount: Decimal) -> Decimal:
    """Round an amount to kopecks, half away from zero, as Russian accounting does."""
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


def apply_discount(base: Decimal, discount_percent: Decimal) -> Decimal:
    """Net price of one unit: the base price less a percentage, rounded to kopecks."""
    return round_money(base * (HUNDRED - discount_percent) / HUNDRED)
