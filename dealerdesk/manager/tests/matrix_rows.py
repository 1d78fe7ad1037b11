"""Who may open the manager workspace (collected by the authorization matrix): supplier staff
only. The personas' managers have no dealers assigned, so they see every dealer; scoping to
assigned dealers is tested in `test_needs.py` and `test_company_requests.py`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from conftest import Persona, World
from dealerdesk.catalog.models import IncomingSupply
from dealerdesk.companies.tests.factories import company_request_create
from dealerdesk.manager.tests.matrix_rows_dealers import PROBES as DEALER_PROBES
from dealerdesk.manager.tests.matrix_rows_dealers import ROWS as DEALER_ROWS
from dealerdesk.manager.tests.matrix_rows_supplier import ROWS as SUPPLIER_ROWS
from dealerdesk.orders.tests.factories import need_create, order_create
from dealerdesk.tenancy.tests.matrix import REDIRECT, Probe, Row, staff_page


def a_need(world: World) -> list[int]:
    order = order_create(
        legal_entity=world.a_main,
        author=world.user(Persona.EMPLOYEE_WITH_RIGHT),
        product=world.breaker,
        quantity=5,
    )
    return [need_create(order, 3).id]


def _supply_of_breaker(world: World) -> int:
    return IncomingSupply.objects.filter(product=world.breaker).values_list("id", flat=True)[0]


def a_request(world: World) -> list[int]:
    return [company_request_create(world.user(Persona.SUPERUSER)).id]


def _bulk_date_answer(world: World) -> dict[str, object]:
    return {
        "action": "date",
        "needs": a_need(world),
        "expected_date": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "comment": "Придёт с завода",
    }


ROWS: dict[str, Row] = {
    "manager:dashboard": Row(staff_page()),
    "manager:need_list": Row(staff_page()),
    "manager:needs_answer": Row(
        staff_page(manager=REDIRECT, head_manager=REDIRECT),
        method="post",
        data=_bulk_date_answer,
    ),
    "manager:need_reserve": Row(
        staff_page(manager=REDIRECT, head_manager=REDIRECT),
        method="post",
        args=a_need,
        data=lambda world: {"supply": _supply_of_breaker(world)},
    ),
    "manager:company_request_list": Row(staff_page()),
    "manager:company_request_detail": Row(staff_page(), args=a_request),
    "manager:company_request_approve": Row(
        staff_page(manager=REDIRECT, head_manager=REDIRECT), method="post", args=a_request
    ),
    "manager:company_request_reject": Row(
        staff_page(manager=REDIRECT, head_manager=REDIRECT),
        method="post",
        args=a_request,
        data=lambda world: {"reason": "ИНН не найден в ЕГРЮЛ"},
    ),
    **DEALER_ROWS,
    **SUPPLIER_ROWS,
}

# Objects that do not exist answer 404 to staff like to anyone (the personas' managers see
# every dealer; another manager's dealer is examined in test_needs/test_company_requests).
PROBES: list[Probe] = [
    ("manager:company_request_detail", Persona.MANAGER, lambda world: [999_999]),
    *DEALER_PROBES,
]
