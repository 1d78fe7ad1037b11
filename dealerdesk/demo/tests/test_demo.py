"""The demo data set: personas, requisites, catalog, prices, search and idempotency."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.contrib.auth import authenticate
from django.core.files.storage import default_storage
from django.db.models import Count
from django.utils import timezone
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from conftest import ensure_default_rows
from dealerdesk.accounts.models import Membership, User
from dealerdesk.catalog.models import (
    Category,
    IncomingSupply,
    Product,
    ProductDocument,
    Stock,
    Warehouse,
    product_search_text,
)
from dealerdesk.catalog.search import search_product_ids
from dealerdesk.companies.models import Dealer, LegalEntity, SupplierSettings
from dealerdesk.companies.validators import KPP_PATTERN, is_account_consistent_with_bik
from dealerdesk.core.text import normalize_code
from dealerdesk.demo import history, people
from dealerdesk.demo.__main__ import main
from dealerdesk.demo.catalog_data import (
    PRICE_TYPES,
    TOP_CATEGORIES,
    demo_catalog,
    generate_products,
)
from dealerdesk.demo.documents import MAX_DOCUMENT_ROWS
from dealerdesk.demo.services import DemoResult, demo_counts, load_demo
from dealerdesk.finance.selectors import entity_ledger
from dealerdesk.pricing.models import BasePrice, PriceType
from dealerdesk.pricing.strategy import PricingStrategy

PRODUCTS = 400


@pytest.fixture(scope="session")
def shared_media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def _shared_media(settings: LazySettings, shared_media_root: Path) -> None:
    # The PDFs are rendered once per storage; sharing it keeps every test after the first fast.
    settings.MEDIA_ROOT = shared_media_root


@pytest.fixture
def demo(transactional_db: None) -> DemoResult:
    # A transactional test before this one may have flushed the migrations' rows.
    ensure_default_rows()
    return load_demo(products=PRODUCTS, seed=2026)


def persona_user(persona: people.Persona) -> User:
    return User.objects.select_related("dealer", "selected_legal_entity").get(email=persona.email)


def rights_of(user: User) -> dict[str, tuple[bool, bool, bool, bool]]:
    return {
        membership.legal_entity.erp_id or "": (
            membership.place_orders,
            membership.see_prices,
            membership.see_finance,
            membership.manage_claims,
        )
        for membership in Membership.objects.filter(user=user).select_related("legal_entity")
    }


# --- Pure generators (no database) ----------------------------------------------------------


def test_category_keys_never_collide() -> None:
    keys = [top.key for top, subs in TOP_CATEGORIES] + [
        sub.key for _top, subs in TOP_CATEGORIES for sub in subs
    ]
    family_keys = [family.spec.key for family in demo_catalog().families]

    assert len(set(keys)) == len(keys)
    assert len(set(family_keys)) == len(family_keys)


def test_codes_stay_unique_when_base_variants_run_out() -> None:
    count = demo_catalog().base_variant_count * 3 + 17

    keys = {normalize_code(product.code) for product in generate_products(count, 7)}

    assert len(keys) == count


def test_numbered_versions_carry_the_version_in_code_and_name() -> None:
    count = demo_catalog().base_variant_count * 2

    products = list(generate_products(count, 7))
    versioned = [product for product in products if product.name.endswith(", УХЛ3")]

    assert len(versioned) == count // 2
    assert all(product.code.endswith("-01") for product in versioned)


def test_generation_is_deterministic_for_a_seed() -> None:
    first = [product.code for product in generate_products(2_000, 11)]
    again = [product.code for product in generate_products(2_000, 11)]
    other_seed = [product.code for product in generate_products(2_000, 12)]

    assert first == again
    assert first != other_seed


def test_requisite_helpers_produce_valid_numbers() -> None:
    assert stdnum_ogrn.is_valid(people.ogrn_with_check_digit("102770013219"))
    assert stdnum_ogrn.is_valid(people.ogrn_with_check_digit("30477000000012"))
    assert stdnum_ogrn.is_valid(people.SUPPLIER["ogrn"])
    assert stdnum_inn.is_valid(people.SUPPLIER["inn"])


# --- The loaded demo ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_first_load_creates_the_catalog(demo: DemoResult) -> None:
    assert demo.created is True
    assert demo.counts["products"] == PRODUCTS
    assert demo.counts["base prices"] == PRODUCTS * len(PRICE_TYPES)
    assert [persona.role for persona in demo.personas] == [
        "dealer-superuser",
        "dealer-employee",
        "dealer-viewer",
        "subsidiary-user",
        "other-dealer",
        "blocked",
        "manager",
        "second-manager",
        "head-manager",
    ]


@pytest.mark.django_db(transaction=True)
def test_second_load_reuses_the_data_without_duplicates(demo: DemoResult) -> None:
    again = load_demo(products=PRODUCTS, seed=2026)

    assert again.created is False
    assert again.counts == demo.counts
    assert demo_counts() == demo.counts


@pytest.mark.django_db(transaction=True)
def test_personas_have_their_documented_flags_and_memberships(demo: DemoResult) -> None:
    head = persona_user(people.DEALER_SUPERUSER)
    employee = persona_user(people.DEALER_EMPLOYEE)
    viewer = persona_user(people.DEALER_VIEWER)
    subsidiary = persona_user(people.SUBSIDIARY_USER)
    other = persona_user(people.OTHER_DEALER)
    manager = persona_user(people.MANAGER)
    head_manager = persona_user(people.HEAD_MANAGER)

    assert head.dealer is not None
    assert head.dealer.erp_id == "demo-dealer-a"
    assert head.is_dealer_superuser is True
    assert employee.is_dealer_superuser is False
    assert rights_of(employee) == {"demo-le-a-main": (True, True, False, False)}
    assert rights_of(viewer) == {"demo-le-a-main": (False, False, False, False)}
    assert rights_of(subsidiary) == {"demo-le-a-region": (True, True, True, True)}
    assert subsidiary.selected_legal_entity is not None
    assert subsidiary.selected_legal_entity.erp_id == "demo-le-a-region"
    assert other.dealer is not None
    assert other.dealer.name == "СветТорг"
    assert other.is_dealer_superuser is True
    assert (manager.is_staff, manager.is_superuser, manager.dealer_id) == (True, False, None)
    assert (head_manager.is_staff, head_manager.is_superuser) == (True, True)
    assert head_manager.is_head_manager is True
    assert head_manager.dealer_id is None
    # The two managers look after different halves of the dealers; together, all of them.
    second = persona_user(people.SECOND_MANAGER)
    mine = set(manager.managed_dealers.values_list("erp_id", flat=True))
    theirs = set(second.managed_dealers.values_list("erp_id", flat=True))
    assert "demo-dealer-a" in mine
    assert "demo-dealer-b" in theirs
    assert not mine & theirs
    assert len(mine | theirs) == Dealer.objects.count()


@pytest.mark.django_db(transaction=True)
def test_personas_sign_in_with_the_shared_password_except_the_blocked_one(
    demo: DemoResult,
) -> None:
    blocked = persona_user(people.BLOCKED_USER)

    assert blocked.is_active is False
    assert blocked.dealer is not None
    assert blocked.dealer.erp_id == "demo-dealer-a"
    for persona in demo.personas:
        signed_in = authenticate(None, username=persona.email, password=persona.password)
        if persona is people.BLOCKED_USER:
            assert signed_in is None
        else:
            assert signed_in is not None
            assert signed_in.email == persona.email


@pytest.mark.django_db(transaction=True)
def test_every_legal_entity_has_valid_requisites(demo: DemoResult) -> None:
    entities = list(LegalEntity.objects.all())

    assert len(entities) >= 30
    for entity in entities:
        assert stdnum_inn.is_valid(entity.inn), entity.inn
        assert stdnum_ogrn.is_valid(entity.ogrn), entity.ogrn
        if len(entity.inn) == 12:
            assert entity.kpp == ""
        else:
            assert KPP_PATTERN.match(entity.kpp), entity.kpp
        entity.full_clean()  # raises on any invalid field
    assert len({(entity.inn, entity.kpp) for entity in entities}) == len(entities)
    assert LegalEntity.objects.filter(is_main=True).count() == Dealer.objects.count()


@pytest.mark.django_db(transaction=True)
def test_dealer_a_has_a_main_entity_and_two_subsidiaries(demo: DemoResult) -> None:
    entities = LegalEntity.objects.filter(dealer__erp_id="demo-dealer-a").order_by("id")

    assert [(entity.name, entity.is_main) for entity in entities] == [
        ('ООО "Электромонтаж-Центр"', True),
        ('ООО "ЭМЦ-Регион"', False),
        ("ИП Соколов А. В.", False),
    ]
    sokolov = entities[2]
    assert len(sokolov.inn) == 12
    assert sokolov.price_type is not None
    assert sokolov.price_type.name == "Крупнооптовая"


@pytest.mark.django_db(transaction=True)
def test_supplier_settings_are_filled_with_consistent_requisites(demo: DemoResult) -> None:
    supplier = SupplierSettings.objects.select_related("default_price_type").get(pk=1)

    assert supplier.name == "ЭлектроСнаб"
    assert stdnum_inn.is_valid(supplier.inn)
    assert is_account_consistent_with_bik(
        supplier.correspondent_account, supplier.bik, correspondent=True
    )
    assert is_account_consistent_with_bik(
        supplier.settlement_account, supplier.bik, correspondent=False
    )
    assert supplier.vat_rate == Decimal("22.00")
    assert supplier.default_price_type is not None
    assert supplier.default_price_type.name == "Базовая"
    supplier.full_clean()  # raises on any invalid field


@pytest.mark.django_db(transaction=True)
def test_catalog_tree_is_three_levels_deep(demo: DemoResult) -> None:
    series = Category.objects.get(erp_id="demo-series-va47-29")
    names = [
        Category.objects.get(id=category_id).name for category_id in reversed(series.ancestor_ids)
    ]

    assert names == ["Модульное оборудование", "Автоматические выключатели", "ВА47-29"]
    assert set(Category.objects.values_list("depth", flat=True)) == {0, 1, 2}
    assert not Product.objects.exclude(category__depth=2).exists()


@pytest.mark.django_db(transaction=True)
def test_product_codes_are_unique_and_match_their_keys(demo: DemoResult) -> None:
    rows = list(Product.objects.values_list("code", "code_key", "search_text", "name"))

    assert len({code_key for _code, code_key, _text, _name in rows}) == PRODUCTS
    for code, code_key, search_text, name in rows:
        assert code_key == normalize_code(code)
        assert search_text == product_search_text(code, name)
        assert name


@pytest.mark.django_db(transaction=True)
def test_every_product_has_a_base_price_in_every_price_type(demo: DemoResult) -> None:
    price_types = PriceType.objects.filter(erp_id__startswith="demo-price-")
    per_product = (
        BasePrice.objects.values("product_id")
        .annotate(types=Count("price_type", distinct=True))
        .filter(types=price_types.count())
    )

    assert price_types.count() == len(PRICE_TYPES)
    assert per_product.count() == PRODUCTS
    assert not BasePrice.objects.filter(amount__lte=0).exists()


@pytest.mark.django_db(transaction=True)
def test_wholesale_price_types_are_cheaper(demo: DemoResult) -> None:
    product = Product.objects.order_by("id").first()
    assert product is not None
    amounts = dict(
        BasePrice.objects.filter(product=product).values_list("price_type__name", "amount")
    )

    assert amounts["Базовая"] > amounts["Оптовая"] > amounts["Крупнооптовая"]


@pytest.mark.django_db(transaction=True)
def test_stock_and_receipts_look_like_an_erp_report(demo: DemoResult) -> None:
    now = timezone.now()
    in_stock = Stock.objects.values("product_id").distinct().count()
    with_receipts = IncomingSupply.objects.values("product_id").distinct().count()
    dates = IncomingSupply.objects.values_list("expected_date", flat=True)
    today = timezone.localdate()

    assert Warehouse.objects.filter(erp_id__startswith="demo-wh-").count() == 5
    assert 0.6 * PRODUCTS < in_stock < 0.8 * PRODUCTS
    assert 0.08 * PRODUCTS < with_receipts < 0.22 * PRODUCTS
    assert not Stock.objects.filter(updated_at__lt=now - datetime.timedelta(hours=7)).exists()
    assert not Stock.objects.filter(quantity__lte=0).exists()
    assert all(3 <= (date - today).days <= 60 for date in dates)


@pytest.mark.django_db(transaction=True)
def test_documents_point_at_real_stored_pdfs(demo: DemoResult) -> None:
    documents = ProductDocument.objects.all()
    kinds = set(documents.values_list("kind", flat=True))
    first = documents.first()

    assert 0 < documents.count() <= MAX_DOCUMENT_ROWS
    assert kinds == {"datasheet", "certificate", "manual"}
    assert first is not None
    with default_storage.open(first.file.name, "rb") as stored:
        content = stored.read()
    assert content.startswith(b"%PDF")
    assert first.file_size == len(content)
    assert first.content_type == "application/pdf"


@pytest.mark.django_db(transaction=True)
def test_search_finds_breakers_by_series_and_a_product_by_its_exact_code(
    demo: DemoResult,
) -> None:
    breakers = Product.objects.filter(
        category__parent__erp_id="demo-cat-breakers", name__contains="ВА47", is_active=True
    )
    target = breakers.order_by("id").last()
    assert target is not None

    found_by_series = search_product_ids("ва47")
    found_by_code = search_product_ids(target.code.lower())

    assert found_by_series
    assert set(found_by_series) <= set(breakers.values_list("id", flat=True))
    assert found_by_code[0] == target.id


@pytest.mark.django_db(transaction=True)
def test_main_entity_and_subsidiary_pay_different_prices_for_a_breaker(
    demo: DemoResult,
) -> None:
    main_entity = LegalEntity.objects.select_related("dealer", "price_type").get(
        erp_id="demo-le-a-main"
    )
    subsidiary = LegalEntity.objects.select_related("dealer", "price_type").get(
        erp_id="demo-le-a-region"
    )
    breaker = Product.objects.filter(category__parent__erp_id="demo-cat-breakers").first()
    assert breaker is not None

    main_price = PricingStrategy.for_legal_entity(main_entity).prices_for([breaker])[breaker.id]
    subsidiary_price = PricingStrategy.for_legal_entity(subsidiary).prices_for([breaker])[
        breaker.id
    ]

    assert main_price is not None
    assert subsidiary_price is not None
    assert main_price.base == subsidiary_price.base
    assert main_price.discount_percent == Decimal("12.00")
    assert subsidiary_price.discount_percent == Decimal("18.00")
    assert subsidiary_price.net < main_price.net


@pytest.mark.django_db(transaction=True)
def test_command_prints_one_login_line_per_persona(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ensure_default_rows()
    exit_code = main(["--products", "250"])

    lines = capsys.readouterr().out.splitlines()
    login_lines = [line for line in lines if line.startswith("LOGIN")]
    assert exit_code == 0
    assert login_lines == [
        f"LOGIN {persona.role} {persona.email} {people.DEMO_PASSWORD}"
        for persona in people.PERSONAS
    ]
    assert Product.objects.count() == 250


def test_package_exports_load_demo_for_the_benchmark() -> None:
    from dealerdesk.demo import DemoResult as ExportedResult
    from dealerdesk.demo import load_demo as exported
    from dealerdesk.demo import services

    assert exported is services.load_demo
    assert ExportedResult is services.DemoResult


@pytest.mark.django_db(transaction=True)
def test_dealer_a_has_a_year_of_orders_shipments_and_claims(demo: DemoResult) -> None:
    from dealerdesk.orders.models import Order
    from dealerdesk.shipments.models import Claim, Shipment

    dealer = Dealer.objects.get(erp_id=people.DEMO_MARKER_ERP_ID)
    orders = Order.objects.filter(dealer=dealer)
    assert orders.count() == history.dealer_a_order_count(PRODUCTS)
    assert orders.filter(source=Order.Source.ERP, author__isnull=True).exists()
    assert orders.filter(source=Order.Source.PORTAL, author__isnull=False).exists()
    assert orders.filter(documents__type__code="invoice").exists()
    assert orders.values("legal_entity").distinct().count() == 3
    assert Shipment.objects.filter(dealer=dealer).exists()
    assert Claim.objects.filter(dealer=dealer).count() == 4
    assert orders.filter(status__code="completed").exists()


def test_demo_dealer_owes_overdue_debt_traceable_to_orders(demo: DemoResult) -> None:
    today = timezone.localdate()
    main = LegalEntity.objects.select_related("credit_terms").get(erp_id="demo-le-a-main")
    ledger = entity_ledger(main, today)
    # Two shipments were left unpaid: overdue debt in more than one ageing bucket.
    overdue_buckets = [
        bucket for bucket, amount in ledger.ageing().items() if amount > 0 and bucket.value > 0
    ]
    assert ledger.overdue > 0
    assert len(overdue_buckets) >= 2
    # Each overdue debt belongs to an order of the journal.
    assert all(debt.entry.order_id is not None for debt in ledger.overdue_debts)
    # The credit terms came with the demo, and dealer B owes nothing overdue.
    assert main.credit_terms.payment_days == 30
    other = LegalEntity.objects.select_related("credit_terms").get(erp_id="demo-le-b-main")
    assert entity_ledger(other, today).overdue == 0
