"""A dealer's first visit, in a real Chromium: sign in, browse, open a product, switch the
legal entity and see the price change, search as you type."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import World
from dealerdesk.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_dealer_browses_switches_entity_and_searches(
    page: Page, live_server, live_world: World, screenshot_dir: Path
) -> None:
    base_url = live_server.url
    # Sign in as dealer A's superuser: the catalog opens.
    page.goto(f"{base_url}/")
    page.screenshot(path=screenshot_dir / "01-login.png")
    sign_in(page, base_url, "boss@a.example")
    expect(page).to_have_url(re.compile(r"/catalog/$"))
    expect(page.locator("h1")).to_have_text("Каталог")

    # Browse a category from the tree: products of its subcategories are listed.
    page.get_by_test_id("category-tree").get_by_role("link", name="Модульное оборудование").click()
    expect(page.locator("h1")).to_have_text("Модульное оборудование")
    breaker_row = page.locator(f"tr[data-product-id='{live_world.breaker.id}']")
    expect(breaker_row).to_contain_text("MVA20-3-016-C")
    expect(breaker_row.get_by_test_id("net-price")).to_contain_text("900,00")
    page.screenshot(path=screenshot_dir / "02-category.png", full_page=True)

    # Open the product: price with its discount, stock per warehouse, supplies, documents.
    breaker_row.get_by_role("link").first.click()
    expect(page.get_by_test_id("product-code")).to_have_text("MVA20-3-016-C")
    expect(page.get_by_test_id("net-price")).to_contain_text("900,00")
    expect(page.get_by_test_id("base-price")).to_contain_text("1 000,00")
    expect(page.get_by_test_id("stock-total")).to_contain_text("155")
    expect(page.get_by_test_id("stock-block")).to_contain_text("Санкт-Петербург")
    expect(page.get_by_test_id("incoming-block")).to_contain_text("500")
    with page.expect_download() as download_info:
        page.get_by_test_id("document-link").first.click()
    assert download_info.value.suggested_filename == "va47-29.pdf"
    page.screenshot(path=screenshot_dir / "03-product-main-entity.png", full_page=True)

    # Switch to the subsidiary with its own 20% discount: the price changes at once.
    page.select_option("#dd-entity", str(live_world.a_sub1.id))
    expect(page.get_by_test_id("net-price")).to_contain_text("800,00")
    expect(page.locator("#dd-entity")).to_have_value(str(live_world.a_sub1.id))
    page.screenshot(path=screenshot_dir / "04-product-subsidiary.png", full_page=True)

    # Search as you type: a part of the name finds the product with this entity's price.
    search = page.get_by_role("searchbox", name="Поиск по каталогу")
    search.click()
    search.press_sequentially("выкл", delay=40)
    suggestion = page.locator(f"[data-dd-suggestion][data-product-id='{live_world.breaker.id}']")
    expect(suggestion).to_contain_text("800,00")
    expect(suggestion.locator("mark").first).to_have_text(re.compile("выкл", re.IGNORECASE))
    page.screenshot(path=screenshot_dir / "05-search-as-you-type.png")

    # Keyboard: down to the first suggestion, Enter opens it.
    search.fill("")
    search.press_sequentially("mva20", delay=40)
    expect(page.locator("[data-dd-suggestion]").first).to_contain_text("MVA20-3-016-C")
    search.press("ArrowDown")
    search.press("Enter")
    expect(page.get_by_test_id("product-code")).to_have_text("MVA20-3-016-C")


def test_employee_without_price_right_sees_no_prices(
    page: Page, live_server, live_world: World, screenshot_dir: Path
) -> None:
    sign_in(page, live_server.url, "viewer@a.example")
    page.goto(f"{live_server.url}/catalog/products/{live_world.breaker.id}/")
    expect(page.get_by_test_id("price-block")).to_contain_text(
        "Цены для вашей учётной записи скрыты"
    )
    expect(page.locator("body")).not_to_contain_text("₽")
    page.screenshot(path=screenshot_dir / "06-no-price-right.png", full_page=True)


def test_other_dealer_gets_404_for_a_foreign_company_page(
    page: Page, live_server, live_world: World
) -> None:
    sign_in(page, live_server.url, "boss@b.example")
    response = page.goto(f"{live_server.url}/companies/{live_world.a_main.id}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Страница не найдена")
