"""The supplier's side (issue 8): a manager answers a dealer's need by reserving it in an
incoming supply; the dealer sees the answer on the order and gets an e-mail; a manager
assigned to another dealer never sees that need."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import LazySettings
from playwright.sync_api import Browser, Page, expect

from conftest import Persona, World
from dealerdesk.accounts.tests.factories import UserFactory
from dealerdesk.catalog.models import IncomingSupply
from dealerdesk.orders.models import Need
from dealerdesk.orders.tests.factories import need_create, order_create
from e2e.test_catalog_journey import sign_in

pytestmark = pytest.mark.e2e


def test_a_manager_reserves_a_need_and_the_dealer_sees_the_answer(
    page: Page,
    browser: Browser,
    live_server,  # type: ignore[no-untyped-def]
    live_world: World,
    screenshot_dir: Path,
    settings: LazySettings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    base = live_server.url
    world = live_world
    buyer = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    order = order_create(
        legal_entity=world.a_main, author=buyer, product=world.breaker, quantity=60
    )
    need = need_create(order, 40)
    supply = IncomingSupply.objects.get(product=world.breaker, warehouse=world.warehouse_msk)
    world.dealer_a.managers.add(world.user(Persona.MANAGER))
    other_manager = UserFactory(email="sokolova@supplier.example", is_staff=True)
    world.dealer_b.managers.add(other_manager)
    expected = supply.expected_date.strftime("%d.%m.%Y")

    # The manager opens the workspace and finds the need in the queue.
    sign_in(page, base, "manager@supplier.example")
    expect(page).to_have_url(re.compile(r"/manager/$"))
    expect(page.get_by_test_id("open-needs")).to_contain_text("1")
    page.screenshot(path=screenshot_dir / "81-manager-workspace.png", full_page=True)
    page.get_by_test_id("nav-needs").click()
    row = page.locator(f"[data-testid=need][data-need-id='{need.id}']")
    expect(row).to_contain_text(order.number)
    expect(row).to_contain_text(world.breaker.code)
    page.screenshot(path=screenshot_dir / "82-needs-queue.png", full_page=True)

    # Reserving it in the Moscow supply answers it; the queue of open needs is empty again.
    row.locator("select[name=supply]").select_option(str(supply.id))
    capsys.readouterr()  # only the mail sent from here on matters
    row.get_by_role("button").click()
    expect(page.locator(".alert-success")).to_contain_text(order.number)
    expect(page.locator("[data-testid=need]")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "83-need-reserved.png", full_page=True)
    need.refresh_from_db()
    assert need.status == Need.Status.RESERVED
    assert need.supply_id == supply.id

    # The console mail backend printed the dealer's notification.
    printed = capsys.readouterr().out
    assert f"To: {buyer.email}" in printed
    assert order.number in printed

    # The dealer's buyer sees the answer on the order line.
    dealer_page = browser.new_page()
    sign_in(dealer_page, base, buyer.email)
    dealer_page.goto(f"{base}/orders/{order.id}/")
    expect(dealer_page.get_by_test_id("need-badge")).to_be_visible()
    expect(dealer_page.locator("main")).to_contain_text(expected)
    dealer_page.screenshot(path=screenshot_dir / "84-dealer-sees-answer.png", full_page=True)

    # A manager who looks after another dealer sees neither the need nor the order.
    other_page = browser.new_page()
    sign_in(other_page, base, other_manager.email)
    other_page.goto(f"{base}/manager/needs/?state=all")
    expect(other_page.locator("[data-testid=needs]")).to_be_visible()
    expect(other_page.locator("[data-testid=need]")).to_have_count(0)
    other_page.screenshot(path=screenshot_dir / "85-other-manager-queue.png", full_page=True)
    response = other_page.goto(f"{base}/manager/orders/{order.id}/")
    assert response is not None
    assert response.status == 404
