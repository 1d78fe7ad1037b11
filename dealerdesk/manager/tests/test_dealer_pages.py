"""The manager's dealer list and card, blocking a dealer, and any dealer's orders and shipments."""

from __future__ import annotations

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import Persona, World
from dealerdesk.accounts.models import AccountEvent, UserSession
from dealerdesk.accounts.tests.conftest import sign_in
from dealerdesk.accounts.tests.factories import UserFactory
from dealerdesk.companies.models import Dealer
from dealerdesk.companies.tests.factories import DealerFactory, LegalEntityFactory
from dealerdesk.documents.models import Document, DocumentType
from dealerdesk.documents.tests.pdf import pdf_text
from dealerdesk.finance.models import CreditTerms
from dealerdesk.finance.tests.factories import paid, shipped
from dealerdesk.orders.models import Need, Order, OrderNote, OrderStatus, OrderStatusChange
from dealerdesk.orders.services import order_line_cancel
from dealerdesk.orders.tests.factories import order_create
from dealerdesk.shipments.models import Shipment
from dealerdesk.shipments.tests.factories import shipment_for


def page(world: World, url: str, persona: Persona = Persona.MANAGER, **query: str) -> str:
    response = world.client_for(persona).get(url, query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def a_order(world: World, quantity: int = 2) -> Order:
    return order_create(
        legal_entity=world.a_main,
        author=world.user(Persona.EMPLOYEE_WITH_RIGHT),
        product=world.breaker,
        quantity=quantity,
    )


def b_order(world: World) -> Order:
    return order_create(
        legal_entity=world.b_main, author=world.user(Persona.OTHER_DEALER), product=world.breaker
    )


def shipment_document(shipment: Shipment) -> Document:
    document = Document(
        type=DocumentType.objects.get(code="upd"),
        number=shipment.number,
        date=timezone.localdate(),
        title=f"УПД {shipment.number}",
        dealer_id=shipment.dealer_id,
        legal_entity_id=shipment.legal_entity_id,
        shipment=shipment,
        file_name=f"upd-{shipment.number}.pdf",
        file_size=16,
    )
    document.file.save(document.file_name, ContentFile(b"%PDF-1.4 test upd"), save=False)
    document.save()
    return document


# --- The dealer list ------------------------------------------------------------------------


def test_the_dealer_list_shows_entities_users_terms_last_order_and_managers(world: World) -> None:
    CreditTerms.objects.create(
        legal_entity=world.a_main, credit_limit=Decimal("500000.00"), payment_days=30
    )
    order = a_order(world)
    Order.objects.filter(id=order.id).update(
        placed_at=datetime.datetime(2026, 3, 5, 12, tzinfo=datetime.UTC)
    )
    shipped(world.a_main, datetime.date(2026, 1, 10), "1200.00")
    paid(world.a_main, datetime.date(2026, 1, 20), "200.00")
    manager = world.user(Persona.HEAD_MANAGER)
    manager.full_name = "Иванова Анна"
    manager.save(update_fields=["full_name"])
    world.dealer_a.managers.add(manager)

    html = page(world, reverse("manager:dealer_list"))

    row_a = html.split(f'data-dealer-id="{world.dealer_a.id}"')[1].split("</tr>")[0]
    assert world.a_main.inn in row_a
    assert "3 entities" in row_a
    # Dealer A has six employees in the test world: blocked, viewer, buyer, sub, main, boss.
    assert '<td class="num">6</td>' in row_a
    assert "500,000.00" in row_a
    assert "30 days" in row_a
    assert "1,000.00" in row_a  # the balance: 1200 shipped, 200 paid
    assert "05.03.2026" in row_a
    assert "Иванова Анна" in row_a
    row_b = html.split(f'data-dealer-id="{world.dealer_b.id}"')[1].split("</tr>")[0]
    assert "no terms" in row_b
    assert "not assigned" in row_b


# Session, user, assigned dealers, count, page, legal entities with terms, managers, and the
# supplier settings for the footer.
DEALER_LIST_QUERIES = 8


def test_the_dealer_list_reads_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:
    client = world.client_for(Persona.MANAGER)
    client.get(reverse("manager:dealer_list"))  # the first request of a session writes it
    with django_assert_max_num_queries(DEALER_LIST_QUERIES):
        client.get(reverse("manager:dealer_list"))
    for number in range(15):
        dealer = DealerFactory(name=f"Дилер {number:02d}")
        entity = LegalEntityFactory(dealer=dealer, is_main=True)
        LegalEntityFactory(dealer=dealer)
        CreditTerms.objects.create(legal_entity=entity, credit_limit=100, payment_days=10)
        UserFactory(dealer=dealer)
        dealer.managers.add(world.user(Persona.HEAD_MANAGER))
        order_create(legal_entity=entity, author=None, product=world.breaker)
    with django_assert_max_num_queries(DEALER_LIST_QUERIES):
        response = client.get(reverse("manager:dealer_list"))
    assert response.content.decode().count("data-dealer-id=") == 17


def test_dealers_are_found_by_name_in_any_case_and_by_inn(world: World) -> None:
    url = reverse("manager:dealer_list")
    by_name = page(world, url, q="светторг")
    assert f'data-dealer-id="{world.dealer_b.id}"' in by_name
    assert f'data-dealer-id="{world.dealer_a.id}"' not in by_name
    by_inn = page(world, url, q=world.a_sub2.inn)
    assert f'data-dealer-id="{world.dealer_a.id}"' in by_inn
    assert f'data-dealer-id="{world.dealer_b.id}"' not in by_inn
    nothing = page(world, url, q="нет такого")
    assert "No dealers match the search." in nothing


def test_the_blocked_filter_shows_blocked_or_active_dealers(world: World) -> None:
    Dealer.objects.filter(id=world.dealer_b.id).update(is_blocked=True)
    url = reverse("manager:dealer_list")
    blocked = page(world, url, blocked="1")
    assert f'data-dealer-id="{world.dealer_b.id}"' in blocked
    assert f'data-dealer-id="{world.dealer_a.id}"' not in blocked
    assert 'data-testid="dealer-blocked"' in blocked
    active = page(world, url, blocked="0")
    assert f'data-dealer-id="{world.dealer_a.id}"' in active
    assert f'data-dealer-id="{world.dealer_b.id}"' not in active
    anything = page(world, url, blocked="maybe")  # unreadable: no filter
    assert anything.count("data-dealer-id=") == 2


def test_the_dealer_list_is_paginated(world: World) -> None:
    for number in range(55):
        DealerFactory(name=f"Яхонт {number:02d}")
    first = page(world, reverse("manager:dealer_list"))
    assert first.count("data-dealer-id=") == 50
    second = page(world, reverse("manager:dealer_list"), page="2")
    assert second.count("data-dealer-id=") == 7


# --- The dealer card ------------------------------------------------------------------------


def test_the_dealer_card_shows_entities_terms_users_orders_shipments_and_open_claims(
    world: World,
) -> None:
    from dealerdesk.manager.tests.matrix_rows_dealers import a_claim

    CreditTerms.objects.create(
        legal_entity=world.a_sub1,
        credit_limit=Decimal("100.00"),
        payment_days=14,
        contract="№ 15/2024",
    )
    shipped(world.a_sub1, datetime.date(2026, 1, 10), "250.00")
    claim = a_claim(world)
    order = claim.shipment.order
    assert order is not None
    other = b_order(world)

    html = page(world, reverse("manager:dealer_detail", args=[world.dealer_a.id]))

    entities = html.split('data-testid="dealer-entities"')[1].split("</table>")[0]
    assert entities.count("data-entity-id=") == 3
    assert f"{world.a_main.inn} / {world.a_main.kpp}" in entities
    sub1 = entities.split(f'data-entity-id="{world.a_sub1.id}"')[1].split("</tr>")[0]
    assert "№ 15/2024" in sub1
    assert "14 days" in sub1
    assert "250.00" in sub1
    assert "text-danger" in sub1  # over the credit limit
    users = html.split('data-testid="dealer-users"')[1].split("</table>")[0]
    assert users.count("data-user-id=") == 6
    assert "boss@a.example" in users
    assert "superuser" in users
    assert 'data-status="blocked"' in users
    orders = html.split('data-testid="dealer-orders"')[1].split("</table>")[0]
    assert reverse("manager:order_detail", args=[order.id]) in orders
    assert other.number not in orders
    assert reverse("manager:shipment_detail", args=[claim.shipment_id]) in html
    assert reverse("manager:claim_detail", args=[claim.id]) in html
    assert 'data-testid="dealer-block"' in html


def test_the_dealer_card_shows_at_most_twenty_recent_orders(world: World) -> None:
    orders = [a_order(world) for _ in range(22)]
    html = page(world, reverse("manager:dealer_detail", args=[world.dealer_a.id]))
    table = html.split('data-testid="dealer-orders"')[1].split("</table>")[0]
    assert table.count("<tr><td") == 20
    assert orders[-1].number in table
    assert orders[0].number not in table


def test_the_dealer_card_reads_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:
    client = world.client_for(Persona.MANAGER)
    url = reverse("manager:dealer_detail", args=[world.dealer_a.id])
    client.get(url)
    with django_assert_max_num_queries(13):
        client.get(url)
    for _ in range(5):
        shipment_for(a_order(world))
    with django_assert_max_num_queries(13):
        client.get(url)


def test_a_missing_dealer_answers_404(world: World) -> None:
    response = world.client_for(Persona.MANAGER).get(
        reverse("manager:dealer_detail", args=[999_999])
    )
    assert response.status_code == 404


# --- Blocking a dealer ----------------------------------------------------------------------


def test_blocking_a_dealer_ends_every_session_of_its_users_at_once(world: World) -> None:
    employee = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    browser = Client()
    sign_in(browser, employee.email)
    assert browser.get(reverse("catalog:product_list")).status_code == 200
    session_key = browser.session.session_key
    other_dealer = Client()
    sign_in(other_dealer, world.user(Persona.OTHER_DEALER).email)

    response = world.client_for(Persona.MANAGER).post(
        reverse("manager:dealer_block", args=[world.dealer_a.id]), {"blocked": "1"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(
        "manager:dealer_detail", args=[world.dealer_a.id]
    )
    assert "1 open session of its employees was ended" in response.content.decode()
    world.dealer_a.refresh_from_db()
    assert world.dealer_a.is_blocked is True
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not UserSession.objects.filter(user=employee).exists()
    after = browser.get(reverse("catalog:product_list"))
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("accounts:login"))
    # Dealer B is not touched.
    assert other_dealer.get(reverse("catalog:product_list")).status_code == 200
    # The dealer's account log says who blocked it; the dealer's superuser reads it later.
    event = AccountEvent.objects.get(dealer=world.dealer_a, action="dealer_blocked")
    assert (event.actor, event.details) == (world.user(Persona.MANAGER), {"sessions_ended": 1})
    Dealer.objects.filter(id=world.dealer_a.id).update(is_blocked=False)
    audit = unescape(
        world.client_for(Persona.SUPERUSER).get(reverse("accounts:audit_log")).content.decode()
    )
    assert (
        f"The supplier ({world.user(Persona.MANAGER).display_name}) blocked the dealer's access "
        "to the portal; 1 open session was ended."
    ) in audit


def test_unblocking_a_dealer_lets_its_users_sign_in_again(world: World) -> None:
    Dealer.objects.filter(id=world.dealer_a.id).update(is_blocked=True)
    client = world.client_for(Persona.HEAD_MANAGER)
    url = reverse("manager:dealer_detail", args=[world.dealer_a.id])
    assert 'data-testid="dealer-unblock"' in client.get(url).content.decode()

    response = client.post(
        reverse("manager:dealer_block", args=[world.dealer_a.id]), {"blocked": "0"}, follow=True
    )

    assert "is unblocked" in response.content.decode()
    world.dealer_a.refresh_from_db()
    assert world.dealer_a.is_blocked is False
    assert AccountEvent.objects.filter(
        dealer=world.dealer_a, action="dealer_unblocked", actor=world.user(Persona.HEAD_MANAGER)
    ).exists()
    browser = Client()
    sign_in(browser, world.user(Persona.EMPLOYEE_WITH_RIGHT).email)
    assert browser.get(reverse("catalog:product_list")).status_code == 200


@pytest.mark.parametrize("value", ["", "yes", "2"])
def test_an_unreadable_block_request_changes_nothing(world: World, value: str) -> None:
    response = world.client_for(Persona.MANAGER).post(
        reverse("manager:dealer_block", args=[world.dealer_a.id]), {"blocked": value}, follow=True
    )
    assert "Choose whether to block or unblock the dealer." in response.content.decode()
    world.dealer_a.refresh_from_db()
    assert world.dealer_a.is_blocked is False


def test_blocking_a_blocked_dealer_again_only_says_so(world: World) -> None:
    Dealer.objects.filter(id=world.dealer_a.id).update(is_blocked=True)
    response = world.client_for(Persona.MANAGER).post(
        reverse("manager:dealer_block", args=[world.dealer_a.id]), {"blocked": "1"}, follow=True
    )
    assert "The dealer is already blocked." in response.content.decode()


def test_blocking_is_post_only(world: World) -> None:
    response = world.client_for(Persona.MANAGER).get(
        reverse("manager:dealer_block", args=[world.dealer_a.id]), {"blocked": "1"}
    )
    assert response.status_code == 405
    world.dealer_a.refresh_from_db()
    assert world.dealer_a.is_blocked is False


# --- Orders and shipments -------------------------------------------------------------------


def test_the_manager_order_page_shows_lines_needs_history_and_documents(world: World) -> None:
    order = a_order(world, quantity=10)
    line = order.lines.get()
    line.need_quantity = Decimal(4)
    line.save(update_fields=["need_quantity"])
    Need.objects.create(
        order=order,
        order_line=line,
        product=world.breaker,
        dealer=world.dealer_a,
        legal_entity=world.a_main,
        quantity=Decimal(4),
        status=Need.Status.DATED,
        expected_date=datetime.date(2026, 4, 1),
        answer_comment="поставка из Москвы",
    )
    OrderStatusChange.objects.create(
        order=order,
        status=OrderStatus.objects.get(code="new"),
        changed_at=timezone.now(),
        comment="принят в работу",
    )
    shipment = shipment_for(order, quantity=Decimal(6))

    html = page(world, reverse("manager:order_detail", args=[order.id]))

    assert order.number in html
    assert 'data-testid="need-badge"' in html
    needs_link = f"{reverse('manager:need_list')}?state=all&amp;dealer={world.dealer_a.id}"
    assert needs_link in html
    assert "01.04.2026" in html
    assert "поставка из Москвы" in html
    assert "принят в работу" in html
    assert reverse("manager:shipment_detail", args=[shipment.id]) in html
    invoice = order.documents.get()
    assert reverse("manager:document_download", args=[invoice.id]) in html
    assert f'href="{reverse("documents:download", args=[invoice.id])}"' not in html
    assert reverse("manager:dealer_detail", args=[world.dealer_a.id]) in html


def test_a_manager_never_sees_a_dealers_private_note(world: World) -> None:
    order = a_order(world)
    OrderNote.objects.create(
        order=order, author=world.user(Persona.EMPLOYEE_WITH_RIGHT), text="секретная заметка"
    )
    html = page(world, reverse("manager:order_detail", args=[order.id]))
    assert "секретная заметка" not in html


def test_the_manager_downloads_order_and_shipment_documents(world: World) -> None:
    order = a_order(world)
    shipment = shipment_for(order)
    upd = shipment_document(shipment)
    client = world.client_for(Persona.MANAGER)

    invoice = client.get(reverse("manager:document_download", args=[order.documents.get().id]))
    waybill = client.get(reverse("manager:document_download", args=[upd.id]))

    assert invoice.status_code == 200
    assert b"".join(invoice.streaming_content) == b"%PDF-1.4 test invoice"
    assert waybill.status_code == 200
    assert b"".join(waybill.streaming_content) == b"%PDF-1.4 test upd"
    assert waybill["Content-Disposition"].startswith("attachment")


def test_the_manager_gets_the_cancelled_items_list_the_dealer_is_offered(world: World) -> None:
    order = a_order(world)
    client = world.client_for(Persona.MANAGER)
    url = reverse("manager:order_cancelled_items", args=[order.id])
    assert 'data-testid="document-cancelled-items"' not in page(
        world, reverse("manager:order_detail", args=[order.id])
    )
    assert client.get(url).status_code == 404  # nothing cancelled, nothing to list

    order_line_cancel(line=order.lines.get(), quantity=Decimal(1), reason="нет у производителя")

    html = page(world, reverse("manager:order_detail", args=[order.id]))
    assert f'href="{url}" data-testid="document-cancelled-items"' in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert order.number in text
    assert "нет у производителя" in text
    # Once the ERP sent its own list, that document is offered instead.
    erp_list = Document(
        type=DocumentType.objects.get(code="cancelled_items"),
        number="ОТ-1",
        date=timezone.localdate(),
        title="Отменённые позиции",
        dealer_id=order.dealer_id,
        legal_entity_id=order.legal_entity_id,
        order=order,
        file_name="cancelled.pdf",
        file_size=17,
    )
    erp_list.file.save(erp_list.file_name, ContentFile(b"%PDF-1.4 erp list"), save=False)
    erp_list.save()
    html = page(world, reverse("manager:order_detail", args=[order.id]))
    assert 'data-testid="document-cancelled-items"' not in html
    assert 'data-testid="document-cancelled_items"' in html


def test_the_manager_shipment_page_shows_lines_documents_and_the_order(world: World) -> None:
    order = a_order(world, quantity=5)
    shipment = shipment_for(order, number="РН-777")
    upd = shipment_document(shipment)

    html = page(world, reverse("manager:shipment_detail", args=[shipment.id]))

    assert "РН-777" in html
    lines = html.split('data-testid="shipment-lines"')[1].split("</table>")[0]
    assert world.breaker.code in lines
    assert "500.00" in lines
    assert reverse("manager:document_download", args=[upd.id]) in html
    assert reverse("manager:order_detail", args=[order.id]) in html
    assert "No claims about this shipment." in html


def test_missing_orders_shipments_and_documents_answer_404(world: World) -> None:
    client = world.client_for(Persona.HEAD_MANAGER)
    for name in ("manager:order_detail", "manager:shipment_detail", "manager:document_download"):
        assert client.get(reverse(name, args=[999_999])).status_code == 404, name


# --- Scoping: a manager sees the dealers they look after ------------------------------------


def test_a_manager_of_dealer_b_does_not_reach_dealer_a(world: World) -> None:
    manager = world.user(Persona.MANAGER)
    world.dealer_b.managers.add(manager)
    order = a_order(world)
    shipment = shipment_for(order)
    client = world.client_for(Persona.MANAGER)

    for name, object_id in [
        ("manager:dealer_detail", world.dealer_a.id),
        ("manager:order_detail", order.id),
        ("manager:shipment_detail", shipment.id),
        ("manager:document_download", order.documents.get().id),
    ]:
        assert client.get(reverse(name, args=[object_id])).status_code == 404, name
    blocked = client.post(
        reverse("manager:dealer_block", args=[world.dealer_a.id]), {"blocked": "1"}
    )
    assert blocked.status_code == 404
    world.dealer_a.refresh_from_db()
    assert world.dealer_a.is_blocked is False

    listed = page(world, reverse("manager:dealer_list"))
    assert f'data-dealer-id="{world.dealer_b.id}"' in listed
    assert f'data-dealer-id="{world.dealer_a.id}"' not in listed
    assert page(world, reverse("manager:dealer_detail", args=[world.dealer_b.id]))
    assert page(world, reverse("manager:order_detail", args=[b_order(world).id]))


def test_a_head_manager_sees_every_dealer_even_with_assignments(world: World) -> None:
    head = world.user(Persona.HEAD_MANAGER)
    world.dealer_b.managers.add(head)
    listed = page(world, reverse("manager:dealer_list"), Persona.HEAD_MANAGER)
    assert f'data-dealer-id="{world.dealer_a.id}"' in listed
    assert f'data-dealer-id="{world.dealer_b.id}"' in listed
    assert page(
        world, reverse("manager:order_detail", args=[a_order(world).id]), Persona.HEAD_MANAGER
    )


@pytest.mark.parametrize(
    "persona", [Persona.SUPERUSER, Persona.MAIN_ENTITY_USER, Persona.OTHER_DEALER]
)
def test_dealers_never_reach_the_manager_dealer_pages(world: World, persona: Persona) -> None:
    client = world.client_for(persona)
    assert client.get(reverse("manager:dealer_list")).status_code == 403
    assert client.get(reverse("manager:dealer_detail", args=[world.dealer_a.id])).status_code == 403
    response = client.post(
        reverse("manager:dealer_block", args=[world.dealer_b.id]), {"blocked": "1"}
    )
    assert response.status_code == 403
    world.dealer_b.refresh_from_db()
    assert world.dealer_b.is_blocked is False
