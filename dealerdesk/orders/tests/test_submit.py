from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from conftest import Persona, World
from dealerdesk.catalog.models import Warehouse
from dealerdesk.companies.models import SupplierSettings
from dealerdesk.documents.models import Document
from dealerdesk.documents.tests.pdf import pdf_text
from dealerdesk.events.models import OutboxEvent
from dealerdesk.orders import services
from dealerdesk.orders.models import DeliveryMethod, DraftLine, Need, Order, OrderStatusChange
from dealerdesk.tenancy.selectors import scope_for_user


@pytest.fixture
def supplier(world: World) -> SupplierSettings:
    settings = SupplierSettings.objects.get(pk=1)
    settings.full_name = 'ООО "ЭлектроСнаб"'
    settings.inn = "7707083893"
    settings.kpp = "770701001"
    settings.legal_address = "г. Москва, ул. Ленина, д. 1"
    settings.bank_name = 'ПАО "Сбербанк"'
    settings.bik = "044525225"
    settings.correspondent_account = "30101810400000000225"
    settings.settlement_account = "40702810938000012345"
    settings.director_name = "Иванов И. И."
    settings.accountant_name = "Петрова П. П."
    settings.save()
    return settings


def fill_cart(world: World, persona: Persona, lines: dict[int, str]) -> None:
    for product_id, quantity in lines.items():
        services.draft_add(
            scope=scope_for_user(world.user(persona)),
            user=world.user(persona),
            product_id=product_id,
            quantity=Decimal(quantity),
        )


def checkout(world: World, persona: Persona, **changes: object) -> services.Checkout:
    scope = scope_for_user(world.user(persona))
    draft = services.DraftOrder.objects.filter(
        user=world.user(persona), legal_entity_id=scope.legal_entity_id
    ).first()
    fields: dict[str, object] = {
        "delivery_method_id": DeliveryMethod.objects.get(code="pickup").id,
        "pickup_warehouse_id": Warehouse.objects.get(name="Москва").id,
        "delivery_address": "",
        "comment": "Для объекта на Лесной",
        "customer_reference": "PO-4471",
        "submission_key": uuid.uuid4(),
        "cart_version": draft.version if draft else 0,
    }
    fields.update(changes)
    return services.Checkout(**fields)  # type: ignore[arg-type]


def submit(world: World, persona: Persona, form: services.Checkout) -> Order:
    return services.order_submit(
        scope=scope_for_user(world.user(persona)), user=world.user(persona), checkout=form
    )


def test_placing_an_order_writes_lines_needs_history_invoice_and_erp_event(
    world: World, supplier: SupplierSettings
) -> None:
    # given 200 breakers (155 in stock) and 10 m of cable (none in stock)
    fill_cart(
        world, Persona.EMPLOYEE_WITH_RIGHT, {world.breaker.id: "200", world.cable_product.id: "10"}
    )
    # when
    order = submit(world, Persona.EMPLOYEE_WITH_RIGHT, checkout(world, Persona.EMPLOYEE_WITH_RIGHT))
    # then
    assert order.number == "B2B-000001"
    assert order.legal_entity == world.a_main
    assert order.status.code == "new"
    assert order.amount_with_vat == Decimal("180855.00")
    assert order.vat_amount == Decimal("32613.20")
    assert order.amount_without_vat == Decimal("148241.80")
    lines = list(order.lines.order_by("position"))
    assert [(line.code, line.quantity, line.price, line.need_quantity) for line in lines] == [
        ("MVA20-3-016-C", Decimal(200), Decimal("900.00"), Decimal(45)),
        ("1101001", Decimal(10), Decimal("85.50"), Decimal(10)),
    ]
    assert Need.objects.filter(order=order).count() == 2
    assert OrderStatusChange.objects.filter(order=order).count() == 1
    invoice = Document.objects.get(order=order, type__code="invoice")
    assert invoice.file_size > 1000
    events = list(OutboxEvent.objects.order_by("id").values_list("kind", flat=True))
    assert events == ["order.placed", "need.raised", "need.raised"]
    placed = OutboxEvent.objects.get(kind="order.placed").payload
    assert placed["number"] == "B2B-000001"
    assert placed["amount_with_vat"] == "180855.00"
    assert placed["lines"][0]["need_quantity"] == "45.000"
    assert placed["delivery"]["method"] == "pickup"
    assert not DraftLine.objects.exists()


def test_the_invoice_is_a_real_russian_invoice(world: World, supplier: SupplierSettings) -> None:
    fill_cart(
        world, Persona.EMPLOYEE_WITH_RIGHT, {world.breaker.id: "2", world.cable_product.id: "3"}
    )
    order = submit(world, Persona.EMPLOYEE_WITH_RIGHT, checkout(world, Persona.EMPLOYEE_WITH_RIGHT))
    invoice = Document.objects.get(order=order, type__code="invoice")
    text = pdf_text(invoice.file.read(), layout=True)
    assert f"Счёт на оплату № {order.number}" in text
    assert world.a_main.inn in text  # the buyer
    assert "7707083893" in text  # the supplier
    assert "044525225" in text
    assert "40702810938000012345" in text
    # 2 x 900.00 + 3 x 85.50 = 2 056.50, VAT 22 % included, rounded per line:
    # 1 800.00 x 22/122 = 324.59 and 256.50 x 22/122 = 46.25
    assert "2 056,50" in text
    assert "370,84" in text
    assert "Две тысячи пятьдесят шесть рублей 50 копеек" in text
    assert "PO-4471" in text


def test_submitting_the_same_form_twice_places_one_order(world: World) -> None:
    fill_cart(world, Persona.EMPLOYEE_WITH_RIGHT, {world.breaker.id: "1"})
    form = checkout(world, Persona.EMPLOYEE_WITH_RIGHT)
    first = submit(world, Persona.EMPLOYEE_WITH_RIGHT, form)
    second = submit(world, Persona.EMPLOYEE_WITH_RIGHT, form)
    assert first == second
    assert Order.objects.count() == 1


def test_a_cart_changed_after_the_page_was_shown_is_not_placed(world: World) -> None:
    fill_cart(world, Persona.EMPLOYEE_WITH_RIGHT, {world.breaker.id: "1"})
    form = checkout(world, Persona.EMPLOYEE_WITH_RIGHT)
    fill_cart(world, Persona.EMPLOYEE_WITH_RIGHT, {world.cable_product.id: "1"})  # another tab
    with pytest.raises(services.CartConflictError):
        submit(world, Persona.EMPLOYEE_WITH_RIGHT, form)
    assert not Order.objects.exists()
    assert DraftLine.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"delivery_method_id": None}, "delivery_method"),
        ({"pickup_warehouse_id": None}, "pickup_warehouse"),
    ],
)
def test_checkout_needs_a_way_to_receive_the_order(
    world: World, changes: dict[str, object], field: str
) -> None:
    fill_cart(world, Persona.EMPLOYEE_WITH_RIGHT, {world.breaker.id: "1"})
    with pytest.raises(ValidationError) as refused:
        submit(
            world,
            Persona.EMPLOYEE_WITH_RIGHT,
            checkout(world, Persona.EMPLOYEE_WITH_RIGHT, **changes),
        )
    assert field in refused.value.message_dict
    assert not Order.objects.exists()


def test_delivery_needs_an_address(world: World) -> None:
    fill_cart(world, Persona.EMPLOYEE_WITH_RIGHT, {world.breaker.id: "1"})
    delivery = DeliveryMethod.objects.get(code="delivery").id
    with pytest.raises(ValidationError):
        submit(
            world,
            Persona.EMPLOYEE_WITH_RIGHT,
            checkout(world, Persona.EMPLOYEE_WITH_RIGHT, delivery_method_id=delivery),
        )
    order = submit(
        world,
        Persona.EMPLOYEE_WITH_RIGHT,
        checkout(
            world,
            Persona.EMPLOYEE_WITH_RIGHT,
            delivery_method_id=delivery,
            delivery_address="г. Тула, ул. Мира, 5",
        ),
    )
    assert order.delivery_address == "г. Тула, ул. Мира, 5"
    assert order.pickup_warehouse is None


def test_empty_and_unpriced_carts_cannot_be_placed(world: World) -> None:
    with pytest.raises(ValidationError):
        submit(world, Persona.EMPLOYEE_WITH_RIGHT, checkout(world, Persona.EMPLOYEE_WITH_RIGHT))
    fill_cart(world, Persona.EMPLOYEE_WITH_RIGHT, {world.unpriced.id: "1"})
    with translation.override("en"), pytest.raises(ValidationError, match="no price"):
        submit(world, Persona.EMPLOYEE_WITH_RIGHT, checkout(world, Persona.EMPLOYEE_WITH_RIGHT))
    assert not Order.objects.exists()


def test_the_order_is_priced_for_the_subsidiary_it_is_placed_for(world: World) -> None:
    fill_cart(world, Persona.SUBSIDIARY_USER, {world.breaker.id: "1"})
    order = submit(world, Persona.SUBSIDIARY_USER, checkout(world, Persona.SUBSIDIARY_USER))
    assert order.legal_entity == world.a_sub1
    assert order.lines.get().price == Decimal("800.00")


def test_checkout_view_places_the_order_and_shows_it(world: World) -> None:
    fill_cart(world, Persona.EMPLOYEE_WITH_RIGHT, {world.breaker.id: "3"})
    client = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)
    page = client.get(reverse("orders:cart")).content.decode()
    key = page.split('name="submission_key" value="')[1].split('"')[0]
    version = page.split('id="cart-version" value="')[1].split('"')[0]
    data = {
        "submission_key": key,
        "cart_version": version,
        "delivery_method": DeliveryMethod.objects.get(code="pickup").id,
        "pickup_warehouse": Warehouse.objects.get(name="Москва").id,
    }
    response = client.post(reverse("orders:checkout"), data)
    again = client.post(reverse("orders:checkout"), data)  # the double click
    order = Order.objects.get()
    assert (
        response["Location"] == again["Location"] == reverse("orders:order_detail", args=[order.id])
    )
    detail = client.get(response["Location"]).content.decode()
    assert order.number in detail
    invoice = order.documents.get()
    download = client.get(reverse("documents:download", args=[invoice.id]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_refused_checkout_keeps_the_cart_and_the_typed_fields(world: World) -> None:
    fill_cart(world, Persona.EMPLOYEE_WITH_RIGHT, {world.breaker.id: "3"})
    client = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)
    response = client.post(
        reverse("orders:checkout"),
        {"submission_key": str(uuid.uuid4()), "cart_version": "0", "comment": "важный клиент"},
    )
    assert response["Location"] == reverse("orders:cart")
    page = client.get(reverse("orders:cart")).content.decode()
    assert "важный клиент" in page
    assert DraftLine.objects.count() == 1
    assert not Order.objects.exists()
