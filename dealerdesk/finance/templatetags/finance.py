from __future__ import annotations

from django import template

from dealerdesk.finance.models import SettlementRecord

register = template.Library()


@register.filter
def settlement_kind(kind: str) -> str:
    """The display name of a settlement record's kind ("payment" -> "Оплата")."""
    return str(dict(SettlementRecord.Kind.choices).get(kind, kind))
