"""Numbers as the interface language writes them: `1 234,56` in Russian, `1,234.56` in English.

Django's `number_format` goes through the whole localisation machinery for every call; an
order page prints thousands of numbers, so the separators are looked up once per language
and the formatting itself is Python's own.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import get_format
from django.utils.translation import get_language

NBSP = "\u00a0"
_separators: dict[str, tuple[str, str, int]] = {}


def _language_separators() -> tuple[str, str, int]:
    language = get_language() or "ru"
    found = _separators.get(language)
    if found is None:
        grouping = get_format("NUMBER_GROUPING")
        found = (
            str(get_format("DECIMAL_SEPARATOR")),
            str(get_format("THOUSAND_SEPARATOR")),
            grouping if isinstance(grouping, int) else 3,
        )
        _separators[language] = found
    return found


def format_number(value: Decimal | int, decimal_places: int | None = None) -> str:
    """Grouped thousands and the language's decimal separator; spaces are non-breaking.

    With `decimal_places`, exactly that many decimals (money); without, as many as the value
    needs, trailing zeros dropped (quantities: `12`, `2,5`).
    """
    decimal_separator, thousand_separator, grouping = _language_separators()
    number = Decimal(value)
    if decimal_places is None:
        whole_number = number == number.to_integral_value()
        text = format(number.to_integral_value() if whole_number else number.normalize(), "f")
    else:
        text = f"{number:.{decimal_places}f}"
    # A value that rounds to zero has no sign: -0,001 to two places is "0,00".
    sign = "-" if text.startswith("-") and text.strip("-0.") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    if grouping == 3 and len(whole) > 3:
        head = len(whole) % 3 or 3
        groups = [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
        whole = thousand_separator.join(groups)
    result = sign + whole + (decimal_separator + fraction if fraction else "")
    return result.replace(" ", NBSP)


def format_money(amount: Decimal | None, currency: str = "₽") -> str:
    if amount is None:
        return "—"
    text = format_number(amount, 2)
    return f"{text}{NBSP}{currency}" if currency else text


def format_quantity(value: Decimal | int | None) -> str:
    return "—" if value is None else format_number(value)
