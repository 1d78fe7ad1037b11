"""Account management: employees with rights on a subsidiary, blocking, hand-over,
new-company requests and receivables, as a dealer superuser would go through them."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import Persona, World, ensure_default_rows
from dealerdesk.companies.models import LegalEntity
from dealerdesk.demo import people
from dealerdesk.demo.services import load_demo
from dealerdesk.finance.tests.factories import paid, shipped
from dealerdesk.orders.models import Order
from dealerdesk.orders.tests.factories import order_create
from e2e.test_catalog_journey import sign_in

pytestmark = pytest.mark.e2e

NEW_EMPLOYEE = "petrova@a.example"
NEW_PASSWORD = "Kabel-2026-VVG!"
JOURNAL_ROWS = "[data-testid=journal] tbody tr[data-order-id]"


def invitation_link() -> str:
    assert mail.outbox, "no invitation was e-mailed"
    found = re.search(r"https?://\S+/invitation/\S+", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(0)


def test_superuser_manages_a_subsidiary_employee_from_invitation_to_hand_over(
    page: Page, browser: Browser, live_server, live_world: World, screenshot_dir: Path
) -> None:
    base = live_server.url
    today = timezone.localdate()
    main_order = order_create(
        legal_entity=live_world.a_main,
        author=live_world.user(Persona.MAIN_ENTITY_USER),
        product=live_world.breaker,
    )
    # Both entities owe money; the subsidiary's shipment is a month overdue.
    shipped(live_world.a_main, today - datetime.timedelta(days=10), "250000.00", number="РН-MAIN")
    shipped(
        live_world.a_sub1,
        today - datetime.timedelta(days=60),
        "48000.00",
        due_date=today - datetime.timedelta(days=30),
        number="РН-SUB",
    )
    paid(live_world.a_sub1, today - datetime.timedelta(days=20), "8000.00")

    # The superuser adds an employee who may act for the subsidiary only.
    sign_in(page, base, "boss@a.example")
    page.goto(f"{base}/accounts/employees/")
    page.get_by_test_id("employee-add").click()
    page.get_by_test_id("employee-email").fill(NEW_EMPLOYEE)
    page.get_by_test_id("employee-full-name").fill("Петрова Мария Ивановна")
    page.get_by_test_id("employee-phone").fill("+7 912 345-67-89")
    main, sub = live_world.a_main.id, live_world.a_sub1.id
    # The form proposes the main company with ordering rights; this employee gets none of it.
    for box in ("attached", "place_orders", "see_prices"):
        page.get_by_test_id(f"grid-{main}-{box}").uncheck()
    for right in ("place_orders", "see_prices", "see_finance"):
        page.get_by_test_id(f"grid-{sub}-{right}").check()
    page.screenshot(path=screenshot_dir / "51-employee-create.png", full_page=True)
    page.get_by_test_id("employee-save").click()
    expect(page.get_by_test_id("employee-name")).to_contain_text("Петрова Мария Ивановна")
    expect(page.get_by_test_id("employee-status")).to_be_visible()

    # The employee follows the e-mailed link, chooses a password and is signed in.
    employee_page = browser.new_page()
    employee_page.goto(invitation_link())
    employee_page.get_by_test_id("new-password1").fill(NEW_PASSWORD)
    employee_page.get_by_test_id("new-password2").fill(NEW_PASSWORD)
    employee_page.get_by_test_id("invitation-submit").click()
    employee_page.wait_for_load_state()
    assert "/accounts/" not in employee_page.url, "accepting the invitation signs the employee in"

    # The employee places an order for the subsidiary (what the cart does, done here directly).
    employee = live_world.a_sub1.memberships.get(user__email=NEW_EMPLOYEE).user
    sub_order = order_create(
        legal_entity=live_world.a_sub1, author=employee, product=live_world.cable_product
    )

    # Only the subsidiary's orders and receivables are shown to the employee.
    employee_page.goto(f"{base}/orders/")
    expect(employee_page.locator(JOURNAL_ROWS)).to_have_count(1)
    expect(employee_page.locator(JOURNAL_ROWS)).to_contain_text(sub_order.number)
    response = employee_page.goto(f"{base}/orders/{main_order.id}/")
    assert response is not None
    assert response.status == 404
    employee_page.goto(f"{base}/finance/")
    entity_rows = employee_page.locator("[data-testid=finance-entities] tbody tr[data-entity-id]")
    expect(entity_rows).to_have_count(1)
    expect(entity_rows).to_have_attribute("data-entity-id", str(sub))
    expect(employee_page.get_by_test_id("finance-balance")).to_contain_text(re.compile(r"40\s?000"))
    expect(employee_page.locator("body")).not_to_contain_text("РН-MAIN")
    expect(employee_page.get_by_test_id("finance-overdue")).not_to_have_text(re.compile(r"^\s*0"))
    employee_page.screenshot(path=screenshot_dir / "52-subsidiary-receivables.png", full_page=True)

    # The superuser blocks the employee: the employee's open session ends at once.
    page.goto(f"{base}/accounts/employees/")
    page.get_by_test_id("employee-row").filter(has_text=NEW_EMPLOYEE).get_by_role(
        "link"
    ).first.click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("employee-block").click()
    expect(page.get_by_test_id("employee-unblock")).to_be_visible()
    employee_page.goto(f"{base}/orders/")
    assert "/accounts/login/" in employee_page.url
    employee_page.fill("#id_username", NEW_EMPLOYEE)
    employee_page.fill("#id_password", NEW_PASSWORD)
    employee_page.click("button[type=submit]")
    assert "/accounts/login/" in employee_page.url
    employee_page.close()

    # The employee's order stays visible to the superuser, who hands it over.
    page.goto(f"{base}/orders/?author={employee.id}")
    expect(page.locator(JOURNAL_ROWS)).to_have_count(1)
    expect(page.locator(JOURNAL_ROWS)).to_contain_text(sub_order.number)
    page.goto(f"{base}/accounts/employees/{employee.id}/")
    colleague = live_world.user(Persona.SUBSIDIARY_USER)
    page.get_by_test_id("reassign-target").select_option(str(colleague.id))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("reassign-submit").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.screenshot(path=screenshot_dir / "53-employee-blocked-handed-over.png", full_page=True)
    assert Order.objects.get(pk=sub_order.pk).author_id == colleague.id
    page.goto(f"{base}/orders/?author={colleague.id}")
    expect(page.locator(JOURNAL_ROWS)).to_contain_text(sub_order.number)

    # The audit log tells who blocked whom.
    page.goto(f"{base}/accounts/audit/")
    expect(page.get_by_test_id("audit-log")).to_contain_text("Петрова Мария Ивановна")


def test_company_request_with_a_bad_inn_checksum_is_refused_with_the_reason(
    page: Page, live_server, live_world: World, screenshot_dir: Path
) -> None:
    sign_in(page, live_server.url, "boss@a.example")
    page.goto(f"{live_server.url}/companies/requests/new/")
    form = page.get_by_test_id("company-request-form")
    form.locator("[name=inn]").fill("7707083894")  # the valid INN 7707083893, last digit changed
    form.locator("[name=kpp]").fill("773601001")
    form.locator("[name=name]").fill('ООО "ЭМЦ-Юг"')
    form.locator("[name=legal_address]").fill("344000, г. Ростов-на-Дону, ул. Большая Садовая, 1")
    page.get_by_test_id("company-request-submit").click()
    error = page.get_by_test_id("error-inn")
    expect(error).to_be_visible()
    expect(error).to_contain_text(re.compile("контрольн|check", re.IGNORECASE))
    # Nothing was filed, and what the dealer typed is still there to correct.
    expect(form.locator("[name=name]")).to_have_value('ООО "ЭМЦ-Юг"')
    page.screenshot(path=screenshot_dir / "54-company-request-bad-inn.png", full_page=True)

    form.locator("[name=inn]").fill("7707083893")
    page.get_by_test_id("company-request-submit").click()
    expect(page.get_by_test_id("request-status")).to_be_visible()
    expect(page.get_by_test_id("request-number")).to_be_visible()


def test_demo_receivables_show_overdue_debt_and_drill_down_to_its_order(
    page: Page, live_server, transactional_db: None, screenshot_dir: Path
) -> None:
    ensure_default_rows()
    load_demo(products=400, seed=2026)
    main = LegalEntity.objects.get(erp_id="demo-le-a-main")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", people.DEALER_SUPERUSER.email)
    page.fill("#id_password", people.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/finance/?entity={main.id}")
    expect(page.get_by_test_id("finance-overdue")).not_to_have_text(
        re.compile(r"^\s*0[,.]?0*\s*₽?$")
    )
    expect(page.get_by_test_id("finance-ageing")).to_be_visible()
    page.screenshot(path=screenshot_dir / "55-demo-receivables.png", full_page=True)

    overdue_row = page.locator("[data-testid=finance-open-orders] tr").filter(
        has=page.get_by_test_id("days-overdue")
    )
    expect(overdue_row.first).to_be_visible()
    overdue_row.first.get_by_test_id("finance-order-link").click()
    expect(page.get_by_test_id("order-debt-overdue")).to_be_visible()
    expect(page.get_by_test_id("order-debt-story")).to_be_visible()
    page.screenshot(path=screenshot_dir / "56-demo-order-debt.png", full_page=True)
