"""A dealer builds an order in a real Chromium: quick add by code and by name, a pasted list
with mistakes, a search within the order, placing it, and the invoice."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import World
from dealerdesk.catalog.tests.factories import ProductFactory, StockFactory
from dealerdesk.companies.models import SupplierSettings
from dealerdesk.core.words import amount_in_words
from dealerdesk.orders.models import Order
from dealerdesk.pricing.tests.factories import BasePriceFactory
from e2e.test_catalog_journey import sign_in

pytestmark = pytest.mark.e2e
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
WRONG_LINES = ["NO-SUCH-CODE\t3", "BULK-0001\tмного", "OLD-001\t1"]


def stock_the_catalog(world: World) -> None:
    supplier = SupplierSettings.objects.get(pk=1)
    supplier.full_name = 'ООО "ЭлектроСнаб"'
    supplier.inn = "7707083893"
    supplier.kpp = "770701001"
    supplier.bank_name = 'ПАО "Сбербанк"'
    supplier.bik = "044525225"
    supplier.correspondent_account = "30101810400000000225"
    supplier.settlement_account = "40702810938000012345"
    supplier.save()
    for number in range(47):
        product = ProductFactory(
            code=f"BULK-{number:04d}",
            name=f"Кабельная стяжка {100 + number} мм",
            category=world.cable,
        )
        BasePriceFactory(product=product, price_type=world.base_prices, amount=Decimal("12.40"))
        StockFactory(product=product, warehouse=world.warehouse_msk, quantity=Decimal(1000))
    StockFactory(product=world.cable_product, warehouse=world.warehouse_spb, quantity=Decimal(500))


def quick_add(page: Page, typed: str, quantity: str | None) -> None:
    code = page.locator("#quick-add-code")
    code.click()
    code.press_sequentially(typed, delay=30)
    expect(page.locator("#quick-add-results [data-dd-suggestion]").first).to_be_visible()
    code.press("ArrowDown")
    code.press("Enter")
    amount = page.locator("#quick-add-quantity")
    expect(amount).to_be_focused()
    if quantity is not None:
        amount.fill(quantity)
    amount.press("Enter")


def test_dealer_builds_and_places_an_order(
    page: Page, live_server, live_world: World, screenshot_dir: Path, tmp_path: Path
) -> None:
    stock_the_catalog(live_world)
    sign_in(page, live_server.url, "buyer@a.example")
    page.get_by_test_id("nav-cart").click()
    expect(page.locator("h1")).to_have_text("Новый заказ")

    # Quick add by a part of a code, then by a part of a name.
    quick_add(page, "mva20", "5")
    breaker_row = page.locator(f"tr[data-product-id='{live_world.breaker.id}']")
    expect(breaker_row.locator("input[name=quantity]")).to_have_value("5")
    quick_add(page, "ввгнг", None)
    cable_row = page.locator(f"tr[data-product-id='{live_world.cable_product.id}']")
    expect(cable_row).to_be_visible()
    expect(page.get_by_test_id("total-with-vat")).to_contain_text("4\u00a0585,50")
    page.screenshot(path=screenshot_dir / "11-quick-add.png", full_page=True)

    # Paste 50 lines, 3 of them wrong: 47 are added, the 3 stay in the box with reasons.
    pasted = [f"BULK-{number:04d}\t{number + 1}" for number in range(47)] + WRONG_LINES
    page.locator("#paste-panel summary").click()
    page.get_by_test_id("paste-text").fill("\n".join(pasted))
    page.get_by_test_id("paste-apply").click()
    expect(page.get_by_test_id("paste-applied")).to_contain_text("3 строки не добавлены")
    expect(page.get_by_test_id("paste-text")).to_have_value("\n".join(WRONG_LINES))
    problems = page.get_by_test_id("paste-lines").locator("tbody tr")
    expect(problems).to_have_count(3)
    expect(problems.nth(0)).to_contain_text("Нет товара с таким артикулом")
    expect(problems.nth(1)).to_contain_text("не количество")
    expect(problems.nth(2)).to_contain_text("снят с продажи")
    expect(page.locator("tr[data-line-id]")).to_have_count(49)
    page.screenshot(path=screenshot_dir / "12-pasted.png", full_page=True)

    # Search within the order.
    page.get_by_test_id("cart-filter").fill("bulk-001")
    expect(page.locator("tr[data-line-id]")).to_have_count(10)
    page.screenshot(path=screenshot_dir / "13-filtered.png", full_page=True)
    page.get_by_test_id("cart-filter").fill("")
    expect(page.locator("tr[data-line-id]")).to_have_count(49)

    # Place it: the order page with the invoice.
    page.get_by_test_id("place-order").click()
    expect(page.get_by_test_id("order-number")).to_contain_text("B2B-")
    page.screenshot(path=screenshot_dir / "14-order.png", full_page=True)
    order = Order.objects.get()
    assert order.lines.count() == 49

    with page.expect_download() as download_info:
        page.get_by_test_id("document-invoice").click()
    pdf = tmp_path / "invoice.pdf"
    download_info.value.save_as(pdf)
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert live_world.a_main.inn in text
    flat = re.sub(r"\s+", " ", text)
    assert amount_in_words(order.amount_with_vat) in flat
    assert f"Счёт на оплату № {order.number}" in flat
