"""Who may open the company request pages (collected by the authorization matrix).

Requests are the dealer superuser's business: every other employee is refused outright, and
another dealer's superuser gets the same 404 for dealer A's request as for a missing one.
"""

from __future__ import annotations

from conftest import Persona, World
from dealerdesk.companies.tests.factories import company_request_create, request_fields
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

EMPLOYEES = ["employee_without_right", "employee_with_right", "subsidiary_user", "main_entity_user"]


def superusers_page(allowed: Outcome, **overrides: Outcome) -> dict[Persona, Outcome]:
    """A page for dealer superusers (of either dealer); their employees are refused."""
    table = dealer_page(**dict.fromkeys(EMPLOYEES, FORBIDDEN))
    table.update({Persona.SUPERUSER: allowed, Persona.OTHER_DEALER: allowed})
    table.update({Persona(name): outcome for name, outcome in overrides.items()})
    return table


def a_request(world: World) -> list[int]:
    return [company_request_create(world.user(Persona.SUPERUSER)).id]


def b_request(world: World) -> list[int]:
    return [company_request_create(world.user(Persona.OTHER_DEALER)).id]


ROWS: dict[str, Row] = {
    "companies:request_list": Row(superusers_page(OK)),
    "companies:request_create": Row(
        superusers_page(REDIRECT), method="post", data=lambda world: request_fields()
    ),
    "companies:request_detail": Row(superusers_page(OK, other_dealer=NOT_FOUND), args=a_request),
}

PROBES: list[Probe] = [
    ("companies:request_detail", Persona.OTHER_DEALER, a_request),
    ("companies:request_detail", Persona.SUPERUSER, b_request),
    ("companies:request_detail", Persona.SUPERUSER, lambda world: [999_999]),
]
