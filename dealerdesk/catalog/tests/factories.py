from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from dealerdesk.catalog.models import (
    Brand,
    Category,
    IncomingSupply,
    Product,
    Stock,
    Warehouse,
)
from dealerdesk.catalog.services import category_save


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Категория {n}")
    parent = None

    @classmethod
    def _create(cls, model_class: type[Category], *args: Any, **kwargs: Any) -> Category:
        # Paths are maintained by the service, as in production.
        return category_save(category=model_class(*args, **kwargs))


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Brand {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"TST-{n:05d}")
    name = factory.Sequence(lambda n: f"Автоматический выключатель ВА47-29 1P {n}А")
    category = factory.SubFactory(CategoryFactory)
    brand = factory.SubFactory(BrandFactory, name="IEK")
    unit = "шт"


class WarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse

    name = factory.Sequence(lambda n: f"Склад {n}")


class StockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stock

    product = factory.SubFactory(ProductFactory)
    warehouse = factory.SubFactory(WarehouseFactory)
    quantity = Decimal(10)
    updated_at = factory.LazyFunction(timezone.now)


class IncomingSupplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncomingSupply

    product = factory.SubFactory(ProductFactory)
    warehouse = factory.SubFactory(WarehouseFactory)
    expected_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    quantity = Decimal(100)
