"""Who may open the finance pages: users with the finance right, on their entities only."""

from __future__ import annotations

import datetime
from typing import Any

from conftest import Persona, World
from dealerdesk.finance.tests.factories import shipped
from dealerdesk.orders.tests.factories import order_create
from dealerdesk.tenancy.tests.matrix import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Outcome,
    Probe,
    Row,
    dealer_page,
)

# Users holding the finance right somewhere: the main entity's user and the superuser see the
# whole dealer, the subsidiary's user its own entity, dealer B's superuser dealer B.
FINANCE_USERS = ["main_entity_user", "superuser", "subsidiary_user", "other_dealer"]


def finance_page(allowed: Outcome = OK, **overrides: Outcome) -> dict[Persona, Outcome]:
    table = dealer_page(employee_without_right=FORBIDDEN, employee_with_right=FORBIDDEN)
    table.update({Persona(name): allowed for name in FINANCE_USERS})
    table.update({Persona(name): outcome for name, outcome in overrides.items()})
    return table


def a_main_order_with_debt(world: World) -> list[Any]:
    order = order_create(
        legal_entity=world.a_main, author=world.user(Persona.SUPERUSER), product=world.breaker
    )
    shipped(world.a_main, datetime.date(2026, 1, 10), "200.00", order=order)
    return [order.id]


ROWS: dict[str, Row] = {
    "finance:receivables": Row(finance_page()),
    "finance:statement": Row(finance_page()),
    "finance:export": Row(finance_page()),
    # The subsidiary's user and dealer B's superuser have one finance entity each: the
    # statement is theirs; the others must choose an entity first.
    "finance:reconciliation": Row(finance_page(REDIRECT, subsidiary_user=OK, other_dealer=OK)),
    "finance:order_debt": Row(
        finance_page(subsidiary_user=NOT_FOUND, other_dealer=NOT_FOUND),
        args=a_main_order_with_debt,
    ),
}

PROBES: list[Probe] = [
    ("finance:order_debt", Persona.SUPERUSER, lambda w: [999_999]),
    (
        "finance:order_debt",
        Persona.SUPERUSER,
        lambda w: [order_create(legal_entity=w.b_main, author=None, product=w.breaker).id],
    ),
    # The subsidiary's user has the finance right, but on another entity than the order's.
    ("finance:order_debt", Persona.SUBSIDIARY_USER, a_main_order_with_debt),
]
