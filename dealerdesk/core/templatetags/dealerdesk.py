"""Formatting used by every screen: money, quantities, query strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from dealerdesk.core.formatting import NBSP, format_money, format_quantity
from dealerdesk.core.text import fold

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str = "₽") -> str:
    """`1 234,56 ₽` in Russian, `1,234.56 ₽` in English; an em dash when there is no amount."""
    return format_money(amount, currency)


@register.filter
def quantity(value: Decimal | int | None) -> str:
    """A quantity without trailing zeros: 12, 12.5, 0.125."""
    return format_quantity(value)


@register.filter
def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return quantity(value) + NBSP + "%"


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: object) -> SafeString:
    """The current query string with some parameters replaced (None or "" removes one)."""
    request = context["request"]
    params: QueryDict = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return format_html("?{}", encoded) if encoded else SafeString("?")


@register.filter
def highlight(text: str, query: str) -> SafeString:
    """Escape `text` and mark every occurrence of each word of `query` (case- and ё-blind)."""
    text = str(text)
    words = [word for word in fold(str(query or "")).split() if word]
    if not words:
        return escape(text)
    folded = fold(text)
    if len(folded) == len(text):
        origin: list[int] | range = range(len(text))  # the usual case: folding kept positions
    else:
        # Fold character by character, remembering where each folded character came from,
        # so a match found in the folded text maps back onto the original.
        folded_chars: list[str] = []
        origin = []
        for index, char in enumerate(text):
            for folded_char in fold(char):
                folded_chars.append(folded_char)
                origin.append(index)
        folded = "".join(folded_chars)
    marked = [False] * len(text)
    for word in words:
        start = folded.find(word)
        while start != -1:
            for position in range(start, start + len(word)):
                marked[origin[position]] = True
            start = folded.find(word, start + len(word))
    pieces: list[str] = []
    run_start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or marked[index] != marked[run_start]:
            chunk = escape(text[run_start:index])
            pieces.append(f"<mark>{chunk}</mark>" if marked[run_start] else chunk)
            run_start = index
    return mark_safe("".join(pieces))


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`{{ mapping|get_item:key }}`: a dictionary lookup with a variable key."""
    return mapping.get(key) if mapping else None
