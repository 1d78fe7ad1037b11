from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from dealerdesk.orders import rows
from dealerdesk.orders.selectors import CartLine

register = template.Library()


@register.simple_tag
def cart_rows(lines: Iterable[CartLine]) -> SafeString:
    return rows.cart_rows(lines)


@register.simple_tag
def cart_row(line: CartLine, oob: bool = False) -> SafeString:
    return rows.cart_row(line, oob=oob)
