"""After placing: the journal, an order page, its invoice, and a note only its author sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import Persona, World
from dealerdesk.orders.tests.factories import order_create
from e2e.test_catalog_journey import sign_in

pytestmark = pytest.mark.e2e


def test_journal_search_order_invoice_and_private_note(
    page: Page, browser: Browser, live_server, live_world: World, screenshot_dir: Path
) -> None:
    main_order = order_create(
        legal_entity=live_world.a_main,
        author=live_world.user(Persona.EMPLOYEE_WITH_RIGHT),
        product=live_world.breaker,
    )
    sub_order = order_create(
        legal_entity=live_world.a_sub1,
        author=live_world.user(Persona.SUBSIDIARY_USER),
        product=live_world.cable_product,
    )
    rows = "[data-testid=journal] tbody tr[data-order-id]"

    # A main-entity user sees the orders of the main entity and of its subsidiary.
    sign_in(page, live_server.url, "buyer@a.example")
    page.get_by_test_id("nav-orders").click()
    expect(page.locator(rows)).to_have_count(2)
    page.screenshot(path=screenshot_dir / "21-journal.png")

    # Search by a part of the number, open the order, download its invoice.
    page.get_by_test_id("journal-number").fill(main_order.number[-3:])
    page.get_by_test_id("journal-number").press("Enter")
    expect(page.locator(rows)).to_have_count(1)
    page.locator(rows).get_by_role("link", name=main_order.number).click()
    expect(page.get_by_test_id("order-number")).to_contain_text(main_order.number)
    with page.expect_download() as download_info:
        page.get_by_test_id("document-invoice").click()
    assert download_info.value.suggested_filename == f"invoice-{main_order.number}.pdf"

    # A private note: saved, shown again after a reload, marked in the journal.
    page.get_by_test_id("note-text").fill("Для объекта на ул. Лесной, заказчик Иванов")
    page.get_by_test_id("note-save").click()
    expect(page.get_by_test_id("note-saved")).to_be_visible()
    page.reload()
    expect(page.get_by_test_id("note-text")).to_have_value(
        "Для объекта на ул. Лесной, заказчик Иванов"
    )
    page.screenshot(path=screenshot_dir / "22-order-with-note.png", full_page=True)
    page.get_by_test_id("nav-orders").click()
    expect(page.get_by_test_id("note-marker")).to_have_count(1)

    # A colleague of the same dealer opens the same order: no note.
    colleague = browser.new_page()
    sign_in(colleague, live_server.url, "main@a.example")
    colleague.goto(f"{live_server.url}/orders/{main_order.id}/")
    expect(colleague.get_by_test_id("order-number")).to_contain_text(main_order.number)
    expect(colleague.get_by_test_id("note-text")).to_have_value("")
    expect(colleague.locator("body")).not_to_contain_text("заказчик Иванов")
    colleague.close()

    # A subsidiary's user sees the subsidiary's order only, and not the main one.
    subsidiary = browser.new_page()
    sign_in(subsidiary, live_server.url, "sub@a.example")
    subsidiary.goto(f"{live_server.url}/orders/")
    expect(subsidiary.locator(rows)).to_have_count(1)
    expect(subsidiary.locator(rows)).to_contain_text(sub_order.number)
    response = subsidiary.goto(f"{live_server.url}/orders/{main_order.id}/")
    assert response is not None
    assert response.status == 404
    subsidiary.close()
