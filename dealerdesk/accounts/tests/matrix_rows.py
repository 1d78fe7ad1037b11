"""Who may open the accounts pages: employees, the audit log, invitations, security."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conftest import Persona, World
from dealerdesk.accounts.tests.factories import (
    InvitedUserFactory,
    MembershipFactory,
    TwoFactorDeviceFactory,
)
from dealerdesk.accounts.tokens import invitation_token_generator
from dealerdesk.tenancy.tests.matrix import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Outcome,
    Probe,
    Row,
    dealer_page,
    outcomes,
)

UNPROCESSABLE = 422


def superuser_page(**overrides: Outcome) -> dict[Persona, Outcome]:
    """Employee management: dealer superusers only (each for their own dealer)."""
    table = dealer_page(
        employee_without_right=FORBIDDEN,
        employee_with_right=FORBIDDEN,
        subsidiary_user=FORBIDDEN,
        main_entity_user=FORBIDDEN,
    )
    table.update({Persona(name): outcome for name, outcome in overrides.items()})
    return table


def employee_action() -> dict[Persona, Outcome]:
    """A POST on one of dealer A's employees: dealer B's superuser finds no such employee."""
    return superuser_page(superuser=REDIRECT, other_dealer=NOT_FOUND)


def employee_of_a(persona: Persona) -> Callable[[World], list[Any]]:
    return lambda w: [w.user(persona).id]


def invited_employee(world: World) -> Any:
    invited = InvitedUserFactory(email="invited@a.example", dealer=world.dealer_a)
    MembershipFactory(user=invited, legal_entity=world.a_main)
    return invited


def invitation_link(world: World) -> list[Any]:
    invited = invited_employee(world)
    return [
        urlsafe_base64_encode(force_bytes(invited.pk)),
        invitation_token_generator.make_token(invited),
    ]


def employee_with_two_factor(world: World) -> list[Any]:
    return [TwoFactorDeviceFactory(user=world.user(Persona.MAIN_ENTITY_USER)).user_id]


SIGNED_IN = {"anonymous": LOGIN, "blocked": LOGIN}

ROWS: dict[str, Row] = {
    "accounts:login_verify": Row(outcomes(REDIRECT)),  # nothing pending: back to the password
    "accounts:invitation_accept": Row(outcomes(OK), args=invitation_link),
    "accounts:employee_list": Row(superuser_page(), data=lambda w: {"status": "active"}),
    "accounts:employee_create": Row(superuser_page()),
    "accounts:employee_detail": Row(
        superuser_page(other_dealer=NOT_FOUND), args=employee_of_a(Persona.EMPLOYEE_WITH_RIGHT)
    ),
    "accounts:employee_block": Row(
        employee_action(), method="post", args=employee_of_a(Persona.EMPLOYEE_WITH_RIGHT)
    ),
    "accounts:employee_unblock": Row(
        employee_action(), method="post", args=employee_of_a(Persona.BLOCKED)
    ),
    "accounts:employee_invite": Row(
        employee_action(), method="post", args=lambda w: [invited_employee(w).id]
    ),
    "accounts:employee_reassign": Row(
        employee_action(),
        method="post",
        args=employee_of_a(Persona.EMPLOYEE_WITH_RIGHT),
        data=lambda w: {"target": w.user(Persona.MAIN_ENTITY_USER).id},
    ),
    "accounts:employee_two_factor_reset": Row(
        employee_action(), method="post", args=employee_with_two_factor
    ),
    "accounts:audit_log": Row(superuser_page()),
    "accounts:security": Row(outcomes(OK, **SIGNED_IN)),
    "accounts:two_factor_setup": Row(outcomes(REDIRECT, **SIGNED_IN), method="post"),
    # Nothing to confirm or turn off: the page explains, and nothing changes.
    "accounts:two_factor_enable": Row(
        outcomes(UNPROCESSABLE, **SIGNED_IN), method="post", data=lambda w: {"code": "000000"}
    ),
    "accounts:two_factor_disable": Row(
        outcomes(UNPROCESSABLE, **SIGNED_IN), method="post", data=lambda w: {"code": "000000"}
    ),
    "accounts:password_change": Row(outcomes(OK, **SIGNED_IN)),
    "accounts:password_reset": Row(outcomes(OK)),
    "accounts:password_reset_done": Row(outcomes(OK)),
    "accounts:password_reset_confirm": Row(
        outcomes(OK),  # the page says the link does not work
        args=lambda w: [urlsafe_base64_encode(force_bytes(w.user(Persona.SUPERUSER).pk)), "x-y"],
    ),
    "accounts:password_reset_complete": Row(outcomes(OK)),
}

PROBES: list[Probe] = [
    ("accounts:employee_detail", Persona.OTHER_DEALER, employee_of_a(Persona.EMPLOYEE_WITH_RIGHT)),
    ("accounts:employee_detail", Persona.OTHER_DEALER, employee_of_a(Persona.SUPERUSER)),
    ("accounts:employee_detail", Persona.SUPERUSER, employee_of_a(Persona.OTHER_DEALER)),
    ("accounts:employee_detail", Persona.SUPERUSER, employee_of_a(Persona.MANAGER)),
    ("accounts:employee_detail", Persona.SUPERUSER, employee_of_a(Persona.NO_ACCESS)),
    ("accounts:employee_detail", Persona.SUPERUSER, lambda w: [999_999]),
    (
        "accounts:invitation_accept",
        Persona.ANONYMOUS,
        lambda w: [urlsafe_base64_encode(force_bytes(999_999)), "x-y"],
    ),
    (
        "accounts:invitation_accept",
        Persona.ANONYMOUS,
        # An active employee's link: the invitation was accepted already.
        lambda w: [
            urlsafe_base64_encode(force_bytes(w.user(Persona.EMPLOYEE_WITH_RIGHT).pk)),
            invitation_token_generator.make_token(w.user(Persona.EMPLOYEE_WITH_RIGHT)),
        ],
    ),
]
