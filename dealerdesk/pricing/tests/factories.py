from __future__ import annotations

from decimal import Decimal

import factory

from dealerdesk.pricing.models import BasePrice, Discount, PriceType


class PriceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceType

    name = factory.Sequence(lambda n: f"Цена {n}")


class BasePriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BasePrice

    product = factory.SubFactory("dealerdesk.catalog.tests.factories.ProductFactory")
    price_type = factory.SubFactory(PriceTypeFactory)
    amount = Decimal("100.00")


class DiscountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Discount

    category = factory.SubFactory("dealerdesk.catalog.tests.factories.CategoryFactory")
    percent = Decimal("10.00")
