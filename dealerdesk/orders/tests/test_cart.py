from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import Persona, World
from dealerdesk.catalog.tests.factories import ProductFactory
from dealerdesk.orders import services
from dealerdesk.orders.models import DraftLine, DraftOrder
from dealerdesk.orders.paste import parse_pasted_text
from dealerdesk.orders.selectors import PasteOutcome, cart_for, draft_for, paste_preview
from dealerdesk.pricing.strategy import PricingStrategy
from dealerdesk.pricing.tests.factories import BasePriceFactory
from dealerdesk.tenancy.selectors import scope_for_user


def cart_quantities(world: World, persona: Persona) -> dict[str, Decimal]:
    scope = scope_for_user(world.user(persona))
    draft = draft_for(scope)
    if draft is None:
        return {}
    return {line.product.code: line.quantity for line in draft.lines.select_related("product")}


def add(world: World, persona: Persona, product_id: int, quantity: str) -> services.AddResult:
    return services.draft_add(
        scope=scope_for_user(world.user(persona)),
        user=world.user(persona),
        product_id=product_id,
        quantity=Decimal(quantity),
    )


def test_adding_a_product_twice_adds_up(world: World) -> None:
    add(world, Persona.EMPLOYEE_WITH_RIGHT, world.breaker.id, "2")
    result = add(world, Persona.EMPLOYEE_WITH_RIGHT, world.breaker.id, "3")
    assert result.total == Decimal(5)
    assert cart_quantities(world, Persona.EMPLOYEE_WITH_RIGHT) == {"MVA20-3-016-C": Decimal(5)}


def test_quantities_are_rounded_up_to_the_pack(world: World) -> None:
    ties = ProductFactory(code="TIES-100", pack_multiplicity=Decimal(100))
    result = add(world, Persona.EMPLOYEE_WITH_RIGHT, ties.id, "150")
    assert result.added == Decimal(200)
    assert result.rounded is True


@pytest.mark.parametrize("quantity", ["0", "-1", "NaN", "1000000000"])
def test_impossible_quantities_are_refused(world: World, quantity: str) -> None:
    with pytest.raises(ValidationError):
        add(world, Persona.EMPLOYEE_WITH_RIGHT, world.breaker.id, quantity)
    assert not DraftLine.objects.exists()


def test_archived_products_cannot_be_added(world: World) -> None:
    with pytest.raises(ValidationError):
        add(world, Persona.EMPLOYEE_WITH_RIGHT, world.archived.id, "1")


def test_an_employee_without_the_right_to_order_has_no_cart(world: World) -> None:
    with pytest.raises(ValidationError):
        add(world, Persona.EMPLOYEE_WITHOUT_RIGHT, world.breaker.id, "1")
    assert not DraftOrder.objects.exists()


def test_drafts_are_per_user_and_legal_entity(world: World) -> None:
    add(world, Persona.SUPERUSER, world.breaker.id, "1")
    superuser = world.user(Persona.SUPERUSER)
    superuser.selected_legal_entity = world.a_sub1
    superuser.save()
    add(world, Persona.SUPERUSER, world.cable_product.id, "10")
    assert DraftOrder.objects.filter(user=superuser).count() == 2
    assert cart_quantities(world, Persona.SUPERUSER) == {"1101001": Decimal(10)}
    assert cart_quantities(world, Persona.MAIN_ENTITY_USER) == {}


def test_setting_a_quantity_from_a_stale_page_is_refused(world: World) -> None:
    # given a line at 5, changed to 8 in another tab
    add(world, Persona.EMPLOYEE_WITH_RIGHT, world.breaker.id, "5")
    scope = scope_for_user(world.user(Persona.EMPLOYEE_WITH_RIGHT))
    line = DraftLine.objects.get()
    services.draft_line_set_quantity(
        scope=scope,
        user=world.user(Persona.EMPLOYEE_WITH_RIGHT),
        line_id=line.id,
        quantity=Decimal(8),
        expected=Decimal(5),
    )
    # when the first tab, still showing 5, sets 6
    with pytest.raises(services.CartConflictError) as conflict:
        services.draft_line_set_quantity(
            scope=scope,
            user=world.user(Persona.EMPLOYEE_WITH_RIGHT),
            line_id=line.id,
            quantity=Decimal(6),
            expected=Decimal(5),
        )
    # then nothing is lost and the dealer learns the current quantity
    assert conflict.value.current_quantity == Decimal(8)
    line.refresh_from_db()
    assert line.quantity == Decimal(8)


def test_cart_totals_vat_and_needs(world: World) -> None:
    # 200 breakers at 900.00 with 155 in stock, 10 m of cable at 85.50
    add(world, Persona.EMPLOYEE_WITH_RIGHT, world.breaker.id, "200")
    add(world, Persona.EMPLOYEE_WITH_RIGHT, world.cable_product.id, "10")
    scope = scope_for_user(world.user(Persona.EMPLOYEE_WITH_RIGHT))
    strategy = PricingStrategy.for_scope(scope)
    from dealerdesk.companies.selectors import supplier_settings

    cart = cart_for(draft_for(scope), strategy=strategy, supplier=supplier_settings())
    # prices include VAT 22%: 180 000.00 + 855.00 = 180 855.00, of which VAT = amount*22/122
    assert cart.totals.with_vat == Decimal("180855.00")
    assert cart.totals.vat == Decimal("32459.02") + Decimal("154.18")
    assert cart.totals.without_vat == cart.totals.with_vat - cart.totals.vat
    needs = {line.product.code: line.need for line in cart.lines}
    assert needs == {"MVA20-3-016-C": Decimal(45), "1101001": Decimal(10)}


def test_cart_filter_matches_code_or_name_fragments(world: World) -> None:
    for product in (world.breaker, world.cable_product):
        add(world, Persona.EMPLOYEE_WITH_RIGHT, product.id, "1")
    scope = scope_for_user(world.user(Persona.EMPLOYEE_WITH_RIGHT))
    from dealerdesk.companies.selectors import supplier_settings

    cart = cart_for(
        draft_for(scope), strategy=PricingStrategy.for_scope(scope), supplier=supplier_settings()
    )
    assert [line.product.code for line in cart.matching("ВВГ")] == ["1101001"]
    assert [line.product.code for line in cart.matching("016-c")] == ["MVA20-3-016-C"]
    assert len(cart.matching("")) == 2


# --- Pasted lists ---------------------------------------------------------------------------

PASTED = """Артикул\tКоличество
MVA20-3-016-C\t3
1101001\t2,5
mva20-3-016-c\t4
NO-SUCH-CODE\t1
OLD-001\t1
1101001\tмного
"""


def test_paste_preview_reports_every_line(world: World) -> None:
    ProductFactory(code="DUP-1", name="one")
    scope = scope_for_user(world.user(Persona.EMPLOYEE_WITH_RIGHT))
    preview = paste_preview(
        parse_pasted_text(PASTED + "DUP-1\t1\ndup 1\t1\n"),
        strategy=PricingStrategy.for_scope(scope),
        in_cart={},
    )
    assert [(line.pasted.line_number, line.outcome) for line in preview.lines] == [
        (2, PasteOutcome.MATCHED),
        (3, PasteOutcome.MATCHED),
        (4, PasteOutcome.MATCHED),
        (5, PasteOutcome.UNKNOWN),
        (6, PasteOutcome.DISCONTINUED),
        (7, PasteOutcome.UNREADABLE),
        (8, PasteOutcome.MATCHED),
        (9, PasteOutcome.UNKNOWN),
    ]
    summed = {item.product.code: (item.quantity, item.line_numbers) for item in preview.products}
    assert summed["MVA20-3-016-C"] == (Decimal(7), [2, 4])
    # 2.5 m of a cable sold by whole metres: rounded up to the pack, and said so
    assert summed["1101001"] == (Decimal(3), [3])
    assert next(item for item in preview.products if item.product.code == "1101001").is_rounded


def test_two_products_sharing_a_code_are_ambiguous(world: World) -> None:
    ProductFactory(code="TWIN-1", name="a")
    ProductFactory(code="twin-1 ", name="b")
    scope = scope_for_user(world.user(Persona.EMPLOYEE_WITH_RIGHT))
    preview = paste_preview(
        parse_pasted_text("TWIN-1 2"), strategy=PricingStrategy.for_scope(scope), in_cart={}
    )
    assert preview.lines[0].outcome is PasteOutcome.AMBIGUOUS


def test_applying_a_paste_adds_matched_lines_and_returns_the_rest(world: World) -> None:
    add(world, Persona.EMPLOYEE_WITH_RIGHT, world.breaker.id, "1")
    scope = scope_for_user(world.user(Persona.EMPLOYEE_WITH_RIGHT))
    result = services.draft_apply_paste(
        scope=scope,
        user=world.user(Persona.EMPLOYEE_WITH_RIGHT),
        pasted=parse_pasted_text(PASTED),
        strategy=PricingStrategy.for_scope(scope),
    )
    assert result.added_products == 2
    assert cart_quantities(world, Persona.EMPLOYEE_WITH_RIGHT) == {
        "MVA20-3-016-C": Decimal(8),
        "1101001": Decimal(3),
    }
    assert [line.pasted.text for line in result.preview.problems] == [
        "NO-SUCH-CODE\t1",
        "OLD-001\t1",
        "1101001\tмного",
    ]


def test_paste_preview_view_shows_problems_and_apply_keeps_them_in_the_box(world: World) -> None:
    client = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)
    preview = client.post(
        reverse("orders:paste_preview"), {"text": PASTED}, headers={"HX-Request": "true"}
    )
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "No product has this code." in text or "Нет товара с таким артикулом." in text
    applied = client.post(
        reverse("orders:paste_apply"), {"text": PASTED}, headers={"HX-Request": "true"}
    )
    body = applied.content.decode()
    assert applied["HX-Trigger"] == "cart-changed"
    assert "NO-SUCH-CODE\t1\nOLD-001\t1\n1101001\tмного</textarea>" in body
    assert DraftLine.objects.count() == 2


def test_a_paste_over_the_limit_is_refused_and_nothing_is_added(world: World) -> None:
    text = "\n".join(f"MVA20-3-016-C\t{n}" for n in range(1, 10_002))
    client = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)
    response = client.post(
        reverse("orders:paste_apply"), {"text": text}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert not DraftLine.objects.exists()


def test_priced_products_pasted_by_a_user_without_the_price_right_still_resolve(
    world: World,
) -> None:
    BasePriceFactory(product=world.unpriced, price_type=world.base_prices)
    client = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)
    response = client.post(
        reverse("orders:paste_preview"), {"text": "EZ9F34316 2"}, headers={"HX-Request": "true"}
    )
    assert "EZ9F34316" in response.content.decode()
