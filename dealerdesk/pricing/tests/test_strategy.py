from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from conftest import World
from dealerdesk.catalog.tests.factories import CategoryFactory, ProductFactory
from dealerdesk.core.money import KOPECK, apply_discount
from dealerdesk.pricing.models import Discount
from dealerdesk.pricing.strategy import DiscountLevel, PricingStrategy
from dealerdesk.pricing.tests.factories import BasePriceFactory, DiscountFactory

# --- The rules, one example each ------------------------------------------------------------


def test_dealer_discount_on_a_category_applies_to_its_subcategories(world: World) -> None:
    price = PricingStrategy.for_legal_entity(world.a_main).prices_for([world.breaker])[
        world.breaker.id
    ]
    assert price is not None
    assert price.base == Decimal("1000.00")
    assert price.discount_percent == Decimal("10.00")
    assert price.net == Decimal("900.00")
    assert price.discount_source is not None
    assert price.discount_source.level is DiscountLevel.DEALER
    assert price.discount_source.category_id == world.modular.id


def test_legal_entity_discount_overrides_the_dealers(world: World) -> None:
    price = PricingStrategy.for_legal_entity(world.a_sub1).prices_for([world.breaker])[
        world.breaker.id
    ]
    assert price is not None
    assert price.net == Decimal("800.00")
    assert price.discount_source is not None
    assert price.discount_source.level is DiscountLevel.LEGAL_ENTITY
    assert price.discount_source.category_id == world.breakers.id


def test_legal_entity_override_wins_even_over_a_nearer_dealer_discount(world: World) -> None:
    # given: the dealer has 15% on the breakers' own series, nearer than the entity's 20%
    DiscountFactory(dealer=world.dealer_a, category=world.breakers_series, percent=Decimal(15))
    # when
    sub1 = PricingStrategy.for_legal_entity(world.a_sub1).prices_for([world.breaker])
    main = PricingStrategy.for_legal_entity(world.a_main).prices_for([world.breaker])
    # then: the entity's own conditions override the dealer's on the whole branch
    assert sub1[world.breaker.id].net == Decimal("800.00")  # type: ignore[union-attr]
    assert main[world.breaker.id].net == Decimal("850.00")  # type: ignore[union-attr]


def test_nearest_category_discount_wins_within_one_level(world: World) -> None:
    DiscountFactory(dealer=world.dealer_a, category=world.breakers, percent=Decimal("12.50"))
    price = PricingStrategy.for_legal_entity(world.a_main).prices_for([world.breaker])[
        world.breaker.id
    ]
    assert price is not None
    assert price.discount_percent == Decimal("12.50")
    assert price.net == Decimal("875.00")


def test_product_outside_discounted_branches_has_no_discount(world: World) -> None:
    price = PricingStrategy.for_legal_entity(world.a_main).prices_for([world.cable_product])[
        world.cable_product.id
    ]
    assert price is not None
    assert price.discount_percent == Decimal(0)
    assert price.net == Decimal("85.50")
    assert price.discount_source is None


def test_legal_entity_price_type_overrides_the_dealers(world: World) -> None:
    # a_sub2 buys at the wholesale price type: 900.00, less the dealer's 10%
    price = PricingStrategy.for_legal_entity(world.a_sub2).prices_for([world.breaker])[
        world.breaker.id
    ]
    assert price is not None
    assert price.base == Decimal("900.00")
    assert price.net == Decimal("810.00")


def test_dealer_price_type_applies_when_the_entity_has_none(world: World) -> None:
    world.dealer_a.price_type = world.wholesale_prices
    world.dealer_a.save()
    world.a_main.refresh_from_db()
    price = PricingStrategy.for_legal_entity(world.a_main).prices_for([world.breaker])[
        world.breaker.id
    ]
    assert price is not None
    assert price.base == Decimal("900.00")


def test_product_without_a_base_price_has_no_price(world: World) -> None:
    prices = PricingStrategy.for_legal_entity(world.a_main).prices_for([world.unpriced])
    assert prices[world.unpriced.id] is None


def test_other_dealers_discounts_never_apply(world: World) -> None:
    price = PricingStrategy.for_legal_entity(world.b_main).prices_for([world.breaker])[
        world.breaker.id
    ]
    assert price is not None
    assert price.discount_percent == Decimal("3.00")
    assert price.net == Decimal("970.00")


def test_changed_discount_is_visible_at_once(world: World) -> None:
    Discount.objects.filter(dealer=world.dealer_a).update(percent=Decimal("25.00"))
    price = PricingStrategy.for_legal_entity(world.a_main).prices_for([world.breaker])[
        world.breaker.id
    ]
    assert price is not None
    assert price.net == Decimal("750.00")


def test_net_price_is_rounded_half_up_to_kopecks(world: World) -> None:
    product = ProductFactory(category=world.breakers_series)
    BasePriceFactory(product=product, price_type=world.base_prices, amount=Decimal("0.05"))
    # 0.05 x 0.9 = 0.045 -> 0.05 (half up), not 0.04 (banker's rounding)
    price = PricingStrategy.for_legal_entity(world.a_main).prices_for([product])[product.id]
    assert price is not None
    assert price.net == Decimal("0.05")


def test_hidden_prices_are_not_computed(world: World) -> None:
    strategy = PricingStrategy.for_legal_entity(world.a_main, prices_visible=False)
    info = strategy.fetch_for_product(world.breaker)
    assert info.price is None
    assert info.prices_visible is False
    assert info.availability.total == Decimal(155)


def test_availability_lists_stock_per_warehouse_and_future_supplies(world: World) -> None:
    info = PricingStrategy.for_legal_entity(world.a_main).fetch_for_product(world.breaker)
    stock = [(level.warehouse_name, level.quantity) for level in info.availability.stock]
    assert stock == [("Москва", Decimal(120)), ("Санкт-Петербург", Decimal(35))]
    assert info.availability.total == Decimal(155)
    assert [line.quantity for line in info.availability.incoming] == [Decimal(500)]


def test_product_page_availability_shows_empty_warehouses_too(world: World) -> None:
    strategy = PricingStrategy.for_legal_entity(world.a_main)
    single = strategy.fetch_for_product(world.cable_product)
    listed = strategy.fetch_for_products([world.cable_product])[world.cable_product.id]
    assert [(level.warehouse_name, level.quantity) for level in single.availability.stock] == [
        ("Москва", Decimal(0)),
        ("Санкт-Петербург", Decimal(0)),
    ]
    assert listed.availability.stock == ()
    assert single.availability.total == listed.availability.total == Decimal(0)
    assert single.availability.updated_at is None


@pytest.mark.parametrize(("with_category", "queries"), [(False, 5), (True, 4)])
def test_a_batch_is_priced_in_a_fixed_number_of_queries(
    world: World, with_category: bool, queries: int
) -> None:
    from dealerdesk.catalog.models import Product

    def queries_for(count: int) -> int:
        ids = [ProductFactory(category=world.breakers_series).id for _ in range(count)]
        for product_id in ids:
            BasePriceFactory(product_id=product_id, price_type=world.base_prices)
        read = Product.objects.filter(id__in=ids)
        products = list(read.select_related("category") if with_category else read)
        strategy = PricingStrategy.for_legal_entity(world.a_main)
        with CaptureQueriesContext(connection) as captured:
            strategy.fetch_for_products(products)
        return len(captured)

    # prices, discounts, category paths (unless read with the products), stock, incoming
    # supplies
    assert queries_for(3) == queries_for(60) == queries


# --- Properties -----------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal(0), max_value=Decimal("9999999.99"), places=2)
percents = st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2)


@given(base=amounts, percent=percents)
def test_net_price_properties(base: Decimal, percent: Decimal) -> None:
    net = apply_discount(base, percent)
    assert net == net.quantize(KOPECK)  # kopecks exactly
    assert Decimal(0) <= net <= base  # a discount never raises a price or goes below zero
    assert abs(net - base * (100 - percent) / 100) <= Decimal("0.005")  # off by rounding only
    if percent == 0:
        assert net == base


@given(base=amounts, low=percents, high=percents)
def test_a_larger_discount_never_gives_a_higher_price(
    base: Decimal, low: Decimal, high: Decimal
) -> None:
    low, high = sorted((low, high))
    assert apply_discount(base, high) <= apply_discount(base, low)


@dataclass(frozen=True)
class _Row:
    id: int
    category_id: int | None


@pytest.mark.django_db
@given(
    dealer_percent=st.one_of(st.none(), percents),
    entity_percent=st.one_of(st.none(), percents),
    dealer_level=st.sampled_from(["root", "child"]),
    entity_level=st.sampled_from(["root", "child"]),
)
def test_the_discount_found_is_the_entity_override_else_the_dealers(
    dealer_percent: Decimal | None,
    entity_percent: Decimal | None,
    dealer_level: str,
    entity_level: str,
) -> None:
    from dealerdesk.companies.tests.factories import LegalEntityFactory
    from dealerdesk.pricing.tests.factories import PriceTypeFactory

    # given a two-level branch and a product at its bottom
    root = CategoryFactory()
    child = CategoryFactory(parent=root)
    levels = {"root": root, "child": child}
    entity = LegalEntityFactory(is_main=True)
    price_type = PriceTypeFactory()
    entity.price_type = price_type
    entity.save()
    product = ProductFactory(category=child)
    BasePriceFactory(product=product, price_type=price_type, amount=Decimal("1234.56"))
    if dealer_percent is not None:
        DiscountFactory(dealer=entity.dealer, category=levels[dealer_level], percent=dealer_percent)
    if entity_percent is not None:
        DiscountFactory(legal_entity=entity, category=levels[entity_level], percent=entity_percent)
    # when
    price = PricingStrategy.for_legal_entity(entity).prices_for([_Row(product.id, child.id)])[
        product.id
    ]
    # then
    expected = entity_percent if entity_percent is not None else dealer_percent
    assert price is not None
    assert price.discount_percent == (expected or Decimal(0))
    assert price.net == apply_discount(Decimal("1234.56"), expected or Decimal(0))
