"""The vocabulary of the authorization matrix, shared by every app's rows.

The matrix (`test_authorization_matrix.py`) collects `ROWS` (and optional `PROBES`) from
`dealerdesk/<app>/tests/matrix_rows.py` of every installed app, so an app that adds URLs
declares who may open them next to its own tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from conftest import Persona, World

LOGIN = "login"  # redirected to the sign-in page
ADMIN_LOGIN = "admin-login"  # redirected to the admin sign-in page
OK = 200
REDIRECT = 302
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
Outcome = int | str

SIGNED_IN_DEALERS = [
    Persona.EMPLOYEE_WITHOUT_RIGHT,
    Persona.EMPLOYEE_WITH_RIGHT,
    Persona.SUBSIDIARY_USER,
    Persona.MAIN_ENTITY_USER,
    Persona.SUPERUSER,
    Persona.OTHER_DEALER,
]
STAFF = [Persona.MANAGER, Persona.HEAD_MANAGER]
# Dealers' employees who may place orders on their current legal entity.
ORDERING = [
    Persona.EMPLOYEE_WITH_RIGHT,
    Persona.SUBSIDIARY_USER,
    Persona.MAIN_ENTITY_USER,
    Persona.SUPERUSER,
    Persona.OTHER_DEALER,
]


def outcomes(default: Outcome, **overrides: Outcome) -> dict[Persona, Outcome]:
    table = dict.fromkeys(Persona, default)
    table.update({Persona(name): outcome for name, outcome in overrides.items()})
    # An ERP key opens no page: to the web UI the ERP client is anonymous.
    if "erp_client" not in overrides:
        table[Persona.ERP_CLIENT] = table[Persona.ANONYMOUS]
    return table


UNAUTHORIZED = 401


def erp_operation(allowed: Outcome = OK) -> dict[Persona, Outcome]:
    """An ERP API operation: the ERP client's key only; a browser session is not enough."""
    return outcomes(UNAUTHORIZED, erp_client=allowed)


def dealer_page(**overrides: Outcome) -> dict[Persona, Outcome]:
    """A dealer screen: signed-in dealers may open it, staff and strangers may not."""
    table = outcomes(OK, anonymous=LOGIN, blocked=LOGIN, no_access=FORBIDDEN)
    table.update(dict.fromkeys(STAFF, FORBIDDEN))
    table.update({Persona(name): outcome for name, outcome in overrides.items()})
    return table


def ordering_page(allowed: Outcome, **overrides: Outcome) -> dict[Persona, Outcome]:
    """A cart screen or action: for dealers' employees who may place orders."""
    table = dealer_page(employee_without_right=FORBIDDEN)
    table.update(dict.fromkeys(ORDERING, allowed))
    table.update({Persona(name): outcome for name, outcome in overrides.items()})
    return table


def staff_page(**overrides: Outcome) -> dict[Persona, Outcome]:
    """A supplier manager's screen: staff only; dealers are refused."""
    table = outcomes(FORBIDDEN, anonymous=LOGIN, blocked=LOGIN)
    table.update(dict.fromkeys(STAFF, OK))
    table.update({Persona(name): outcome for name, outcome in overrides.items()})
    return table


@dataclass(frozen=True)
class Row:
    """One URL name: how to build its URL and body, and what each persona must get."""

    expected: dict[Persona, Outcome]
    method: str = "get"
    args: Callable[[World], list[Any]] = lambda world: []
    data: Callable[[World], dict[str, Any]] = lambda world: {}
    headers: dict[str, str] = field(default_factory=dict)
    json: bool = False  # send `data` as a JSON body (the ERP API) rather than a form


# (url name, persona, URL arguments): another tenant's object or a missing one must answer 404.
Probe = tuple[str, Persona, Callable[[World], list[Any]]]
