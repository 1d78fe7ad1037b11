"""Amounts in words, as Russian payment documents require them."""

from __future__ import annotations

from decimal import Decimal

from num2words import num2words

from dealerdesk.core.money import round_money


def amount_in_words(amount: Decimal, *, currency: str = "RUB", language: str = "ru") -> str:
    """`Decimal("1234.56")` -> "Одна тысяча двести тридцать четыре рубля 56 копеек".

    num2words reads an int as kopecks, so only a Decimal is accepted; kopecks are written in
    digits, as on Russian invoices.
    """
    if not isinstance(amount, Decimal):
        raise TypeError("amount_in_words takes a Decimal")
    words: str = num2words(
        round_money(amount), lang=language, to="currency", currency=currency, cents=False
    )
    words = words.replace(", ", " ")
    return words[:1].upper() + words[1:]
