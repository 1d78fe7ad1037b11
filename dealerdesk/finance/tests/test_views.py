"""Receivables pages: figures, visibility per legal entity, drill-down, downloads."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import Persona, World
from dealerdesk.documents.tests.pdf import pdf_text
from dealerdesk.finance.models import SettlementRecord
from dealerdesk.finance.services import credit_terms_set, payment_allocations_set
from dealerdesk.finance.tests.factories import paid, shipped
from dealerdesk.orders.tests.factories import order_create

AS_OF = datetime.date(2026, 6, 30)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def books(world: World) -> dict[str, object]:
    """Dealer A's main entity owes on two orders; subsidiary 1 owes a little; dealer B too."""
    credit_terms_set(
        legal_entity=world.a_main,
        credit_limit=Decimal("100000.00"),
        payment_days=30,
        contract="№ 15/2025 от 10.01.2025",
    )
    credit_terms_set(legal_entity=world.a_sub1, credit_limit=Decimal("5000.00"), payment_days=14)
    old_order = order_create(legal_entity=world.a_main, author=None, product=world.breaker)
    new_order = order_create(legal_entity=world.a_main, author=None, product=world.breaker)
    sub_order = order_create(legal_entity=world.a_sub1, author=None, product=world.breaker)
    shipped(world.a_main, day("2026-03-01"), "40000.00", order=old_order, number="РН-101")
    shipped(world.a_main, day("2026-04-01"), "20000.00", order=old_order, number="РН-102")
    shipped(world.a_main, day("2026-06-20"), "15000.00", order=new_order, number="РН-103")
    paid(world.a_main, day("2026-04-15"), "45000.00", number="ПП-7")
    shipped(world.a_sub1, day("2026-06-01"), "3000.00", order=sub_order, number="РН-201")
    shipped(world.b_main, day("2026-05-01"), "99999.00", number="РН-B")
    return {"old_order": old_order, "new_order": new_order, "sub_order": sub_order}


def get(world: World, persona: Persona, name: str, query: dict[str, str] | None = None):
    return world.client_for(persona).get(
        reverse(name), {"as_of": AS_OF.isoformat(), **(query or {})}
    )


def test_the_superuser_sees_each_entity_and_the_total(world: World, books: dict) -> None:
    response = get(world, Persona.SUPERUSER, "finance:receivables")
    summary = response.context["summary"]
    by_entity = {item.legal_entity: item for item in summary.entities}
    # a_main: 75 000 shipped, 45 000 paid: 30 000 owed. The payment settled РН-101 and 5 000
    # of РН-102 (due 1 May): 15 000 overdue for 60 days; РН-103 (due 20 July) not yet due.
    assert by_entity[world.a_main].ledger.balance == Decimal("30000.00")
    assert by_entity[world.a_main].ledger.overdue == Decimal("15000.00")
    assert by_entity[world.a_main].available_credit == Decimal("70000.00")
    # a_sub1: 3 000 due 15 June, unpaid: overdue
    assert by_entity[world.a_sub1].ledger.overdue == Decimal("3000.00")
    assert summary.balance == Decimal("33000.00")
    assert summary.overdue == Decimal("18000.00")
    assert world.b_main not in by_entity
    content = response.content.decode()
    assert "99" + "\u00a0" + "999" not in content
    assert "РН-B" not in content


def test_unpaid_orders_are_listed_most_overdue_first(world: World, books: dict) -> None:
    summary = get(world, Persona.SUPERUSER, "finance:receivables").context["summary"]
    rows = [(row.order, row.debt.remaining, row.debt.days_overdue) for row in summary.open_orders]
    assert rows == [
        (books["old_order"], Decimal("15000.00"), 60),
        (books["sub_order"], Decimal("3000.00"), 15),
        (books["new_order"], Decimal("15000.00"), 0),
    ]


def test_a_subsidiary_user_sees_only_their_entity(world: World, books: dict) -> None:
    response = get(world, Persona.SUBSIDIARY_USER, "finance:receivables")
    summary = response.context["summary"]
    assert [item.legal_entity for item in summary.entities] == [world.a_sub1]
    assert summary.balance == Decimal("3000.00")
    assert books["old_order"].number not in response.content.decode()


def test_choosing_another_dealers_entity_is_a_404(world: World, books: dict) -> None:
    response = get(
        world, Persona.SUPERUSER, "finance:receivables", {"entity": str(world.b_main.id)}
    )
    assert response.status_code == 404
    response = get(
        world, Persona.SUBSIDIARY_USER, "finance:statement", {"entity": str(world.a_main.id)}
    )
    assert response.status_code == 404


def test_an_employee_without_the_finance_right_is_refused(world: World, books: dict) -> None:
    assert get(world, Persona.EMPLOYEE_WITH_RIGHT, "finance:receivables").status_code == 403


def test_the_ageing_shows_where_open_debt_stands(world: World, books: dict) -> None:
    response = get(world, Persona.SUPERUSER, "finance:receivables")
    ageing = {bucket.value: amount for bucket, amount in response.context["summary"].ageing.items()}
    assert ageing == {
        0: Decimal("15000.00"),
        1: Decimal("3000.00"),
        2: Decimal("15000.00"),
        3: Decimal(0),
        4: Decimal(0),
    }


def test_the_order_drill_down_tells_how_the_overdue_debt_arose(world: World, books: dict) -> None:
    order = books["old_order"]
    response = world.client_for(Persona.MAIN_ENTITY_USER).get(
        reverse("finance:order_debt", args=[order.id]), {"as_of": AS_OF.isoformat()}
    )
    debt = response.context["detail"].debt
    assert (debt.shipped, debt.paid, debt.remaining) == (
        Decimal("60000.00"),
        Decimal("45000.00"),
        Decimal("15000.00"),
    )
    content = response.content.decode()
    # РН-101 paid by ПП-7 on 15 April, 15 days late (due 31 March)
    assert "ПП-7" in content
    assert "15.04.2026" in content
    # РН-102: 15 000 overdue since 2 May
    assert "02.05.2026" in content
    assert response.context["detail"].debt.days_overdue == 60


def test_an_erp_allocation_changes_which_order_is_overdue(world: World, books: dict) -> None:
    payment = SettlementRecord.objects.get(number="ПП-7")
    newer = SettlementRecord.objects.get(number="РН-103")
    payment_allocations_set(credit_record=payment, allocations=[(newer, Decimal("15000.00"))])
    summary = get(world, Persona.SUPERUSER, "finance:receivables").context["summary"]
    remaining = {row.order: row.debt.remaining for row in summary.open_orders}
    # 15 000 went to РН-103 as the ERP said; the other 30 000 to the oldest, РН-101.
    assert books["new_order"] not in remaining
    assert remaining[books["old_order"]] == Decimal("30000.00")


def test_the_statement_runs_the_balance_over_the_period(world: World, books: dict) -> None:
    response = get(
        world,
        Persona.SUPERUSER,
        "finance:statement",
        {"entity": str(world.a_main.id), "from": "2026-03-15"},
    )
    statement = response.context["statement"]
    assert statement.opening_balance == Decimal("40000.00")
    assert [(row.number, row.balance) for row in statement.rows] == [
        ("РН-102", Decimal("60000.00")),
        ("ПП-7", Decimal("15000.00")),
        ("РН-103", Decimal("30000.00")),
    ]
    assert statement.closing_balance == Decimal("30000.00")


def test_the_receivables_page_takes_a_fixed_number_of_queries(world: World, books: dict) -> None:
    client = world.client_for(Persona.SUPERUSER)
    url = reverse("finance:receivables")
    client.get(url)  # the session and the language settle on the first request
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"as_of": AS_OF.isoformat()})
    for index in range(30):
        shipped(
            world.a_main,
            day("2026-05-01"),
            "10.00",
            order=order_create(legal_entity=world.a_main, author=None, product=world.breaker),
            number=f"X-{index}",
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"as_of": AS_OF.isoformat()})
    assert len(many) == len(few)
    assert len(few) <= 10


def test_the_workbook_has_the_summary_the_debts_and_the_records(world: World, books: dict) -> None:
    response = get(world, Persona.SUPERUSER, "finance:export", {"from": "2026-01-01"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    summary, debts, records = (list(sheet.values) for sheet in workbook.worksheets)
    assert [row[0] for row in summary[1:]] == [
        world.a_main.name,
        world.a_sub1.name,
        world.a_sub2.name,
    ]
    assert {row[0] for row in debts[1:]} == {
        books["old_order"].number,
        books["new_order"].number,
        books["sub_order"].number,
    }
    numbers = [row[2] for row in records[1:-1] if row[2]]
    assert numbers == ["РН-101", "РН-102", "ПП-7", "РН-201", "РН-103"]
    assert records[-1][7] == 33000


def test_the_reconciliation_statement_is_a_real_pdf(world: World, books: dict) -> None:
    response = get(
        world,
        Persona.SUPERUSER,
        "finance:reconciliation",
        {"entity": str(world.a_main.id), "from": "2026-01-01"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, layout=True)
    text = " ".join(text.split())  # lines wrap wherever the layout puts them
    assert "Акт сверки" in text
    assert "01.01.2026 – 30.06.2026" in text
    assert "РН-101" in text
    assert "ПП-7" in text
    assert "№ 15/2025 от 10.01.2025" in text
    assert "30 000,00" in text
    assert "Тридцать тысяч рублей" in text


def test_the_reconciliation_needs_one_legal_entity(world: World, books: dict) -> None:
    response = get(world, Persona.SUPERUSER, "finance:reconciliation")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("finance:statement"))
