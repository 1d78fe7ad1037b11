from __future__ import annotations

from django.db import transaction
from django.db.models import F

from dealerdesk.core.models import Counter


def counter_next(name: str) -> int:
    """The next value of a named counter; call inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("counter_next must run inside a transaction")
    Counter.objects.get_or_create(name=name)
    Counter.objects.filter(name=name).update(value=F("value") + 1)
    return Counter.objects.select_for_update().values_list("value", flat=True).get(name=name)
