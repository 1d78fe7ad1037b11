"""The shared test world: two dealers, their legal entities, the usual personas, a small catalog.

Dealer A has a main legal entity and two subsidiaries; dealer B has one. The personas are the
ones the authorization matrix speaks of (see `Persona`).
"""

from __future__ import annotations

import enum
import importlib
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import LazySettings
from django.core.files.base import ContentFile
from django.test import Client

from dealerdesk.accounts.models import User
from dealerdesk.accounts.tests.factories import MembershipFactory, UserFactory
from dealerdesk.catalog.models import Category, Product, ProductDocument, Warehouse
from dealerdesk.catalog.services import product_document_attach
from dealerdesk.catalog.tests.factories import (
    CategoryFactory,
    IncomingSupplyFactory,
    ProductFactory,
    StockFactory,
    WarehouseFactory,
)
from dealerdesk.companies.models import Dealer, LegalEntity, SupplierSettings
from dealerdesk.companies.tests.factories import DealerFactory, LegalEntityFactory
from dealerdesk.erp.services import erp_client_create
from dealerdesk.pricing.models import PriceType
from dealerdesk.pricing.tests.factories import BasePriceFactory, DiscountFactory, PriceTypeFactory

# Playwright drives the browser from the test thread; the ORM calls in those tests are
# synchronous on purpose.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class Persona(enum.StrEnum):
    ANONYMOUS = "anonymous"
    BLOCKED = "blocked"
    NO_ACCESS = "no_access"  # signed in, attached to no dealer and not staff
    EMPLOYEE_WITHOUT_RIGHT = "employee_without_right"  # main entity, no rights at all
    EMPLOYEE_WITH_RIGHT = "employee_with_right"  # main entity, place orders and see prices
    SUBSIDIARY_USER = "subsidiary_user"  # subsidiary 1 only, every right
    MAIN_ENTITY_USER = "main_entity_user"  # main entity, every right
    SUPERUSER = "superuser"  # dealer A's superuser
    OTHER_DEALER = "other_dealer"  # dealer B's superuser
    MANAGER = "manager"  # supplier staff without admin permissions
    HEAD_MANAGER = "head_manager"  # supplier staff, Django superuser
    ERP_CLIENT = "erp_client"  # no session: the ERP's API key in `Authorization: Bearer`


@dataclass
class World:
    base_prices: PriceType
    wholesale_prices: PriceType
    modular: Category  # root: Модульное оборудование
    breakers: Category  # Модульное оборудование / Автоматические выключатели
    breakers_series: Category  # ... / ВА47-29
    cable: Category  # root: Кабель
    breaker: Product
    cable_product: Product
    unpriced: Product
    archived: Product
    warehouse_msk: Warehouse
    warehouse_spb: Warehouse
    document: ProductDocument
    dealer_a: Dealer
    a_main: LegalEntity
    a_sub1: LegalEntity
    a_sub2: LegalEntity
    dealer_b: Dealer
    b_main: LegalEntity
    users: dict[Persona, User | None]
    erp_key: str = ""

    def user(self, persona: Persona) -> User:
        user = self.users[persona]
        assert user is not None, f"{persona} has no user"
        return user

    def client_for(self, persona: Persona) -> Client:
        if persona is Persona.ERP_CLIENT:
            return Client(headers={"Authorization": f"Bearer {self.erp_key}"})
        client = Client()
        user = self.users[persona]
        if user is not None:
            client.force_login(user)
        return client


# Rows the data migrations create (order statuses, delivery methods, document types). A
# transactional test flushes every table afterwards; the world puts them back the same way.
DEFAULT_DATA_MIGRATIONS = [
    "dealerdesk.orders.migrations.0002_default_statuses_and_delivery",
    "dealerdesk.documents.migrations.0003_default_document_types",
]


def ensure_default_rows() -> None:
    for module_name in DEFAULT_DATA_MIGRATIONS:
        importlib.import_module(module_name).create(apps, None)


def build_world() -> World:
    ensure_default_rows()
    base_prices = PriceTypeFactory(name="Базовая")
    wholesale_prices = PriceTypeFactory(name="Оптовая")
    SupplierSettings.objects.create(
        pk=1, name="ЭлектроСнаб", default_price_type=base_prices, vat_rate=Decimal("22.00")
    )

    modular = CategoryFactory(name="Модульное оборудование")
    breakers = CategoryFactory(name="Автоматические выключатели", parent=modular)
    breakers_series = CategoryFactory(name="ВА47-29", parent=breakers)
    cable = CategoryFactory(name="Кабель")

    breaker = ProductFactory(
        code="MVA20-3-016-C",
        name="Автоматический выключатель ВА47-29 3P 16А C 4,5кА IEK",
        category=breakers_series,
    )
    cable_product = ProductFactory(
        code="1101001", name="Кабель ВВГнг(А)-LS 3х2,5 ок(N,PE) 0,66кВ", category=cable, unit="м"
    )
    unpriced = ProductFactory(
        code="EZ9F34316", name="Выключатель Easy9 3П 16А C", category=breakers
    )
    archived = ProductFactory(code="OLD-001", name="Снятый с производства автомат", is_active=False)
    for product, amount in [(breaker, "1000.00"), (cable_product, "85.50"), (archived, "10.00")]:
        BasePriceFactory(product=product, price_type=base_prices, amount=Decimal(amount))
    BasePriceFactory(product=breaker, price_type=wholesale_prices, amount=Decimal("900.00"))

    warehouse_msk = WarehouseFactory(name="Москва", sort_order=1)
    warehouse_spb = WarehouseFactory(name="Санкт-Петербург", sort_order=2)
    StockFactory(product=breaker, warehouse=warehouse_msk, quantity=Decimal(120))
    StockFactory(product=breaker, warehouse=warehouse_spb, quantity=Decimal(35))
    IncomingSupplyFactory(product=breaker, warehouse=warehouse_msk, quantity=Decimal(500))
    document = product_document_attach(
        product=breaker,
        kind=ProductDocument.Kind.DATASHEET,
        title="Паспорт ВА47-29",
        file=ContentFile(b"%PDF-1.4 test datasheet", name="va47-29.pdf"),
    )

    dealer_a = DealerFactory(name="Электромонтаж-Центр")
    a_main = LegalEntityFactory(dealer=dealer_a, name='ООО "ЭМЦ"', is_main=True)
    a_sub1 = LegalEntityFactory(dealer=dealer_a, name='ООО "ЭМЦ-Регион"')
    a_sub2 = LegalEntityFactory(
        dealer=dealer_a, name='ООО "ЭМЦ-Сервис"', price_type=wholesale_prices
    )
    dealer_b = DealerFactory(name="СветТорг")
    b_main = LegalEntityFactory(dealer=dealer_b, name='ООО "СветТорг"', is_main=True)

    # Dealer A: 10% on all modular equipment; subsidiary 1 has 20% on breakers of its own.
    DiscountFactory(dealer=dealer_a, category=modular, percent=Decimal("10.00"))
    DiscountFactory(legal_entity=a_sub1, category=breakers, percent=Decimal("20.00"))
    DiscountFactory(dealer=dealer_b, category=modular, percent=Decimal("3.00"))

    def employee(email: str, entity: LegalEntity, **rights: bool) -> User:
        user = UserFactory(email=email, dealer=entity.dealer)
        MembershipFactory(user=user, legal_entity=entity, **rights)
        return user

    no_rights = {"place_orders": False, "see_prices": False}
    every_right = {"see_finance": True, "manage_claims": True}
    blocked = employee("blocked@a.example", a_main)
    blocked.is_active = False
    blocked.save(update_fields=["is_active"])
    users: dict[Persona, User | None] = {
        Persona.ANONYMOUS: None,
        Persona.BLOCKED: blocked,
        Persona.NO_ACCESS: UserFactory(email="nobody@nowhere.example"),
        Persona.EMPLOYEE_WITHOUT_RIGHT: employee("viewer@a.example", a_main, **no_rights),
        Persona.EMPLOYEE_WITH_RIGHT: employee("buyer@a.example", a_main),
        Persona.SUBSIDIARY_USER: employee("sub@a.example", a_sub1, **every_right),
        Persona.MAIN_ENTITY_USER: employee("main@a.example", a_main, **every_right),
        Persona.SUPERUSER: UserFactory(
            email="boss@a.example", dealer=dealer_a, is_dealer_superuser=True
        ),
        Persona.OTHER_DEALER: UserFactory(
            email="boss@b.example", dealer=dealer_b, is_dealer_superuser=True
        ),
        Persona.MANAGER: UserFactory(email="manager@supplier.example", is_staff=True),
        Persona.HEAD_MANAGER: UserFactory(
            email="head@supplier.example", is_staff=True, is_superuser=True, is_head_manager=True
        ),
        Persona.ERP_CLIENT: None,
    }
    return World(
        base_prices=base_prices,
        wholesale_prices=wholesale_prices,
        modular=modular,
        breakers=breakers,
        breakers_series=breakers_series,
        cable=cable,
        breaker=breaker,
        cable_product=cable_product,
        unpriced=unpriced,
        archived=archived,
        warehouse_msk=warehouse_msk,
        warehouse_spb=warehouse_spb,
        document=document,
        dealer_a=dealer_a,
        a_main=a_main,
        a_sub1=a_sub1,
        a_sub2=a_sub2,
        dealer_b=dealer_b,
        b_main=b_main,
        users=users,
        erp_key=erp_client_create(name="1C: Управление торговлей").key,
    )


@pytest.fixture(autouse=True)
def _isolated_files(settings: LazySettings, tmp_path: Path) -> None:
    # Uploaded files of one test never leak into another, or into var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests run without collectstatic; hashed static names would not resolve.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def world(db: None) -> World:
    return build_world()
