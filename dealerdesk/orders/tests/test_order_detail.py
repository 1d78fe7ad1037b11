from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from conftest import Persona, World
from dealerdesk.documents.services import document_attach
from dealerdesk.documents.tests.pdf import pdf_text
from dealerdesk.orders import services
from dealerdesk.orders.models import DraftLine, Need, Order, OrderLine, OrderNote
from dealerdesk.orders.tests.factories import order_create
from dealerdesk.shipments.tests.factories import shipment_for


@pytest.fixture
def order(world: World) -> Order:
    order = order_create(
        legal_entity=world.a_main,
        author=world.user(Persona.EMPLOYEE_WITH_RIGHT),
        product=world.breaker,
    )
    services.order_status_set(
        order=order, status_code="confirmed", comment="Подтверждён менеджером"
    )
    return order


def detail(world: World, persona: Persona, order: Order) -> str:
    response = world.client_for(persona).get(reverse("orders:order_detail", args=[order.id]))
    assert response.status_code == 200
    return response.content.decode()


def test_order_page_shows_history_shipments_documents_and_product_files(
    world: World, order: Order
) -> None:
    shipment = shipment_for(order, number="РН-777")
    document_attach(
        type_code="upd",
        legal_entity=world.a_main,
        order=order,
        title="УПД № 15",
        date=timezone.localdate(),
        file=ContentFile(b"%PDF-1.4 upd"),
        file_name="upd-15.pdf",
        erp_id="upd-15",
    )
    page = detail(world, Persona.SUPERUSER, order)
    assert "Подтверждён менеджером" in page
    assert "РН-777" in page
    assert shipment.lines.count() == 1
    assert 'data-testid="document-upd"' in page
    assert 'data-testid="document-invoice"' in page
    assert reverse("catalog:product_document_download", args=[world.document.id]) in page


def test_line_states_confirmed_need_with_answer_and_cancelled(world: World) -> None:
    order = order_create(legal_entity=world.a_main, author=None, product=world.breaker, quantity=10)
    line = order.lines.get()
    line.need_quantity = Decimal(4)
    line.save()
    Need.objects.create(
        order=order,
        order_line=line,
        product=world.breaker,
        dealer=world.dealer_a,
        legal_entity=world.a_main,
        quantity=Decimal(4),
        status=Need.Status.DATED,
        expected_date=timezone.localdate(),
        answer_comment="поставка из Москвы",
    )
    page = detail(world, Persona.SUPERUSER, order)
    assert 'data-testid="need-badge"' in page
    assert "поставка из Москвы" in page
    services.order_line_cancel(line=line, quantity=Decimal(10), reason="снят с производства")
    page = detail(world, Persona.SUPERUSER, order)
    assert "снят с производства" in page
    assert 'data-testid="document-cancelled-items"' in page


def test_a_cancellation_takes_the_cancelled_part_off_the_line_and_the_order_totals(
    world: World, order: Order
) -> None:
    cancelled = order.lines.get()  # 2 x 100.00, VAT 22 % included
    kept = OrderLine.objects.create(
        order=order,
        position=2,
        product=world.cable_product,
        code=world.cable_product.code,
        name=world.cable_product.name,
        unit=world.cable_product.unit,
        quantity=Decimal(4),
        base_price=Decimal("50.00"),
        price=Decimal("50.00"),
        amount=Decimal("200.00"),
        vat_rate=Decimal(22),
        vat_amount=Decimal("36.07"),
    )

    services.order_line_cancel(line=cancelled, quantity=Decimal(1), reason="нет у производителя")

    cancelled.refresh_from_db()
    kept.refresh_from_db()
    order.refresh_from_db()
    assert (cancelled.amount, cancelled.vat_amount) == (Decimal("100.00"), Decimal("18.03"))
    assert (kept.amount, kept.vat_amount) == (Decimal("200.00"), Decimal("36.07"))
    assert (order.amount_with_vat, order.vat_amount, order.amount_without_vat) == (
        Decimal("300.00"),
        Decimal("54.10"),
        Decimal("245.90"),
    )

    services.order_line_cancel(line=cancelled, quantity=Decimal(2), reason="снят с производства")

    order.refresh_from_db()
    assert order.amount_with_vat == Decimal("200.00")
    assert order.lines.get(position=1).amount == Decimal("0.00")


def test_the_cancelled_items_list_is_generated_when_the_erp_sent_none(
    world: World, order: Order
) -> None:
    services.order_line_cancel(
        line=order.lines.get(), quantity=Decimal(1), reason="нет у производителя"
    )
    response = world.client_for(Persona.SUPERUSER).get(
        reverse("orders:order_cancelled_items", args=[order.id])
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert order.number in text
    assert "нет у производителя" in text


def test_an_order_without_cancellations_has_no_cancelled_items_list(
    world: World, order: Order
) -> None:
    response = world.client_for(Persona.SUPERUSER).get(
        reverse("orders:order_cancelled_items", args=[order.id])
    )
    assert response.status_code == 404


def test_a_private_note_is_seen_by_its_author_only(world: World, order: Order) -> None:
    author = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)
    author.post(reverse("orders:order_note", args=[order.id]), {"text": "для ЖК «Сосны»"})
    assert "для ЖК «Сосны»" in detail(world, Persona.EMPLOYEE_WITH_RIGHT, order)
    for persona in (Persona.SUPERUSER, Persona.MAIN_ENTITY_USER, Persona.EMPLOYEE_WITHOUT_RIGHT):
        assert "для ЖК «Сосны»" not in detail(world, persona, order), persona
    author.post(reverse("orders:order_note", args=[order.id]), {"text": "исправлено"})
    assert OrderNote.objects.get().text == "исправлено"
    author.post(reverse("orders:order_note", args=[order.id]), {"text": "  "})
    assert not OrderNote.objects.exists()


def test_colleagues_notes_are_separate(world: World, order: Order) -> None:
    world.client_for(Persona.EMPLOYEE_WITH_RIGHT).post(
        reverse("orders:order_note", args=[order.id]), {"text": "моя"}
    )
    world.client_for(Persona.SUPERUSER).post(
        reverse("orders:order_note", args=[order.id]), {"text": "начальника"}
    )
    assert sorted(OrderNote.objects.values_list("text", flat=True)) == ["моя", "начальника"]
    assert "начальника" not in detail(world, Persona.EMPLOYEE_WITH_RIGHT, order)


def test_reorder_previews_then_copies_the_lines(world: World) -> None:
    order = order_create(legal_entity=world.a_main, author=None, product=world.breaker, quantity=3)
    services.order_erp_upsert(
        erp_id="old",
        erp_number="X-1",
        legal_entity=world.a_main,
        placed_at=timezone.now(),
        status_code="new",
        lines=[
            services.ErpOrderLine(product=world.breaker, quantity=Decimal(2), price=Decimal(900)),
            services.ErpOrderLine(product=world.archived, quantity=Decimal(1), price=Decimal(10)),
        ],
    )
    erp_order = Order.objects.get(erp_id="old")
    client = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)
    preview = client.get(reverse("orders:order_reorder", args=[erp_order.id])).content.decode()
    assert "OLD-001" in preview
    assert not DraftLine.objects.exists()
    response = client.post(reverse("orders:order_reorder", args=[erp_order.id]))
    assert response["Location"] == reverse("orders:cart")
    assert DraftLine.objects.get().quantity == Decimal(2)
    client.post(reverse("orders:order_reorder", args=[order.id]))
    assert DraftLine.objects.get().quantity == Decimal(5)


@pytest.mark.parametrize("shipments", [1, 4])
def test_the_order_page_runs_a_fixed_number_of_queries(
    world: World, order: Order, shipments: int, django_assert_num_queries
) -> None:
    for number in range(shipments):
        shipment_for(order, number=f"S-{number}")
    client = world.client_for(Persona.SUPERUSER)
    # session, user, scope; order; lines with needs; product documents; history; shipments
    # and their lines; documents; note; header entities; supplier (footer)
    with django_assert_num_queries(13):
        client.get(reverse("orders:order_detail", args=[order.id]))
