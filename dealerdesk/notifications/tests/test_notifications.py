"""E-mail notifications: the right people, in their language, after commit, never breaking."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.conf import LazySettings
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from conftest import Persona, World
from dealerdesk.accounts import services as account_services
from dealerdesk.accounts.models import User
from dealerdesk.accounts.tests.factories import InvitedUserFactory, UserFactory
from dealerdesk.catalog.models import IncomingSupply
from dealerdesk.companies.services import company_request_approve, company_request_reject
from dealerdesk.companies.tests.factories import company_request_create
from dealerdesk.notifications.models import NotificationKind, NotificationOptOut
from dealerdesk.notifications.services import (
    notify_needs_answered,
    notify_order_placed,
    notify_order_status_changed,
)
from dealerdesk.orders.models import Need, Order, OrderLine, OrderStatus, OrderStatusChange
from dealerdesk.orders.tests.factories import order_create
from dealerdesk.shipments.models import Claim
from dealerdesk.shipments.services import claim_file, claim_status_set
from dealerdesk.shipments.tests.factories import shipment_for

PORTAL = "https://portal.example"


@pytest.fixture(autouse=True)
def _portal_url(settings: LazySettings) -> None:
    settings.PORTAL_BASE_URL = PORTAL


def speaking(user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


def sent_to() -> list[list[str]]:
    return [message.to for message in mail.outbox]


def message_to(email: str) -> EmailMessage:
    [message] = [message for message in mail.outbox if message.to == [email]]
    return message


def switch_off(user: User, kind: NotificationKind) -> None:
    NotificationOptOut.objects.create(user=user, kind=kind)


def order_of(world: World, persona: Persona = Persona.EMPLOYEE_WITH_RIGHT) -> Order:
    return order_create(
        legal_entity=world.a_main, author=world.user(persona), product=world.breaker
    )


def status_change(order: Order, code: str, comment: str = "") -> OrderStatusChange:
    status = OrderStatus.objects.get(code=code)
    order.status = status
    order.save(update_fields=["status"])
    return OrderStatusChange.objects.create(
        order=order, status=status, changed_at=timezone.now(), comment=comment
    )


# --- Order placed ---------------------------------------------------------------------------


def test_order_placed_goes_to_its_author_and_the_dealers_managers_each_in_their_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    author = speaking(world.user(Persona.EMPLOYEE_WITH_RIGHT), "ru")
    manager = speaking(world.user(Persona.MANAGER), "en")
    world.dealer_a.managers.add(manager)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_of(world)
        notify_order_placed(order)

    assert sorted(sent_to()) == [[author.email], [manager.email]]
    confirmation = message_to(author.email)
    assert confirmation.subject == f"Заказ № {order.number} оформлен"
    assert confirmation.body.startswith(f"Здравствуйте, {author.full_name}!")
    assert "Сумма: 200,00\u00a0₽, в том числе НДС 36,07\u00a0₽" in confirmation.body
    assert f"1. MVA20-3-016-C — {world.breaker.name}: 2 шт × 100,00\u00a0₽" in confirmation.body
    assert f"Заказ на портале: {PORTAL}/orders/{order.id}/" in confirmation.body
    assert confirmation.body.rstrip().endswith(f"{PORTAL}/notifications/")
    assert "С уважением,\nЭлектроСнаб" in confirmation.body
    news = message_to(manager.email)
    assert news.subject == f"New order {order.number} from Электромонтаж-Центр"
    assert news.body.startswith(f"Hello {manager.full_name},")
    assert "Total: 200.00\u00a0₽, including VAT 36.07\u00a0₽" in news.body
    assert f"Placed by: {author.full_name}, {author.email}" in news.body


def test_a_new_order_of_a_dealer_without_managers_goes_to_the_head_managers(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    other_dealers_manager = world.user(Persona.MANAGER)
    world.dealer_b.managers.add(other_dealers_manager)
    retired_head = UserFactory(is_staff=True, is_head_manager=True, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify_order_placed(order_of(world))

    assert sorted(sent_to()) == [
        [world.user(Persona.EMPLOYEE_WITH_RIGHT).email],
        [world.user(Persona.HEAD_MANAGER).email],
    ]
    assert [retired_head.email] not in sent_to()


def test_the_confirmation_shows_no_prices_to_an_author_who_may_not_see_them(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    author = world.user(Persona.EMPLOYEE_WITHOUT_RIGHT)
    with django_capture_on_commit_callbacks(execute=True):
        notify_order_placed(order_of(world, Persona.EMPLOYEE_WITHOUT_RIGHT))

    body = message_to(author.email).body
    assert "Позиций: 1" in body
    assert "₽" not in body
    assert "₽" in message_to(world.user(Persona.HEAD_MANAGER).email).body


# --- Order status changed -------------------------------------------------------------------


def test_a_status_change_goes_to_the_author_with_the_status_in_their_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    author = speaking(world.user(Persona.EMPLOYEE_WITH_RIGHT), "en")
    order = order_of(world)
    with django_capture_on_commit_callbacks(execute=True):
        notify_order_status_changed(order, status_change(order, "confirmed", "Собираем завтра"))

    assert sent_to() == [[author.email]]
    [message] = mail.outbox
    assert message.subject == f"Order {order.number} is now “Confirmed”"
    assert "New status: “Confirmed”\nComment: Собираем завтра" in message.body
    assert f"{PORTAL}/orders/{order.id}/" in message.body


def test_the_status_of_an_order_entered_in_the_erp_goes_to_the_dealers_superusers(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    order = order_create(legal_entity=world.a_sub1, author=None, product=world.breaker)
    with django_capture_on_commit_callbacks(execute=True):
        notify_order_status_changed(order, status_change(order, "shipped"))

    assert sent_to() == [["boss@a.example"]]  # dealer A's superuser, not dealer B's
    assert mail.outbox[0].subject == f"Заказ № {order.number}: статус «Отгружен»"


# --- Needs answered -------------------------------------------------------------------------


def needs_of(order: Order, answers: Sequence[tuple[str, dict[str, Any]]]) -> list[Need]:
    """One need per answer, each on a line of its own, answered as given."""
    needs = []
    for position, (status, answer) in enumerate(answers, start=1):
        line = order.lines.filter(position=position).first() or OrderLine.objects.create(
            order=order,
            position=position,
            product=order.lines.first().product,
            code=f"CODE-{position}",
            name=f"Товар {position}",
            unit="шт",
            quantity=Decimal(10),
            base_price=Decimal(1),
            price=Decimal(1),
            amount=Decimal(10),
            vat_rate=Decimal(22),
            vat_amount=Decimal("1.80"),
        )
        needs.append(
            Need.objects.create(
                order=order,
                order_line=line,
                product=line.product,
                dealer_id=order.dealer_id,
                legal_entity_id=order.legal_entity_id,
                quantity=Decimal(position * 2),
                status=status,
                answered_at=timezone.now(),
                **answer,
            )
        )
    return needs


def test_answered_needs_go_to_each_orders_author_in_one_mail_per_order(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    buyer = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    colleague = speaking(world.user(Persona.MAIN_ENTITY_USER), "en")
    supply = IncomingSupply.objects.get(product=world.breaker)
    first, second = order_of(world), order_of(world, Persona.MAIN_ENTITY_USER)
    on = datetime.date(2026, 12, 14)
    needs = needs_of(
        first,
        [
            ("reserved", {"supply": supply, "expected_date": on}),
            ("dated", {"expected_date": on, "answer_comment": "Ждём с завода"}),
            ("closed", {"answer_comment": "Снят с производства"}),
        ],
    ) + needs_of(second, [("reserved", {"supply": supply, "expected_date": on})])
    open_need = needs_of(order_of(world), [("open", {})])
    with django_capture_on_commit_callbacks(execute=True):
        notify_needs_answered(needs + open_need)

    assert sorted(sent_to()) == [[buyer.email], [colleague.email]]
    russian = message_to(buyer.email)
    assert russian.subject == f"Заказ № {first.number}: ответ по недостающим позициям"
    assert (
        f"1. MVA20-3-016-C — {world.breaker.name}, 2 шт\n"
        "   Зарезервировано в поставке на склад «Москва», ожидаемой 14 декабря 2026.\n"
        "2. CODE-2 — Товар 2, 4 шт\n"
        "   Ожидаемая дата поступления — 14 декабря 2026.\n"
        "   Комментарий: Ждём с завода\n"
        "3. CODE-3 — Товар 3, 6 шт\n"
        "   Потребность закрыта поставщиком.\n"
        "   Комментарий: Снят с производства\n"
    ) in russian.body
    english = message_to(colleague.email)
    assert english.subject == (
        f"Order {second.number}: the supplier has answered about the missing items"
    )
    assert "Reserved in the supply to the Москва warehouse expected on 14 December 2026." in (
        english.body
    )


def test_nothing_is_sent_for_no_needs(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify_needs_answered([])
    assert callbacks == []
    assert mail.outbox == []


# --- Claims ---------------------------------------------------------------------------------


@pytest.fixture
def claim(world: World) -> Claim:
    order = order_of(world, Persona.MAIN_ENTITY_USER)
    shipment = shipment_for(order)
    return claim_file(
        user=world.user(Persona.MAIN_ENTITY_USER),
        shipment_line=shipment.lines.get(),
        reason=Claim.Reason.DEFECT,
        quantity=Decimal(1),
        description="Не взводится",
    )


def test_a_claim_status_change_goes_to_its_author_with_the_comment(
    world: World, claim: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        claim_status_set(claim=claim, status=Claim.Status.ACCEPTED, comment="Заменим в пятницу")

    assert sent_to() == [["main@a.example"]]
    [message] = mail.outbox
    assert message.subject == f"Рекламация № {claim.number} принята"
    assert f"Ваша рекламация № {claim.number} принята." in message.body
    assert "Комментарий поставщика:\nЗаменим в пятницу" in message.body
    assert f"{PORTAL}/shipments/claims/{claim.id}/" in message.body


def test_a_claim_comment_without_a_new_status_sends_nothing(
    world: World, claim: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        claim_status_set(claim=claim, status=Claim.Status.SUBMITTED, comment="Уточните партию")
    assert mail.outbox == []


# --- Company requests -----------------------------------------------------------------------


def test_a_decided_company_request_goes_to_the_requester_and_the_dealers_superusers(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    requester = world.user(Persona.SUPERUSER)
    deputy = speaking(UserFactory(dealer=world.dealer_a, is_dealer_superuser=True), "en")
    rejected = company_request_create(requester)
    approved = company_request_create(requester, name='ООО "ЭМЦ-Юг"')
    with django_capture_on_commit_callbacks(execute=True):
        company_request_reject(
            company_request=rejected, by_user=world.user(Persona.MANAGER), reason="Нет договора"
        )
        company_request_approve(company_request=approved, by_user=world.user(Persona.MANAGER))

    assert sorted(sent_to()) == sorted([[requester.email], [deputy.email]] * 2)
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == sorted(
        [
            f"Заявка № {rejected.number} на добавление организации отклонена",
            f"Заявка № {approved.number} на добавление организации одобрена",
            f"Request {rejected.number} to add a company has been rejected",
            f"Request {approved.number} to add a company has been approved",
        ]
    )
    bodies = " ".join(message.body for message in mail.outbox)
    assert "Причина: Нет договора" in bodies
    assert "Reason: Нет договора" in bodies
    assert f"{PORTAL}/companies/requests/{approved.id}/" in bodies


# --- Employee invited -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "subject", "greeting"),
    [
        ("ru", "Приглашение в дилерский портал ЭлектроСнаб", "Здравствуйте, Анна Смирнова!"),
        ("en", "Your invitation to the ЭлектроСнаб dealer portal", "Hello Анна Смирнова,"),
    ],
)
def test_the_invitation_is_written_in_the_invitees_language(
    world: World,
    django_capture_on_commit_callbacks: Any,
    language: str,
    subject: str,
    greeting: str,
) -> None:
    invited = InvitedUserFactory(
        email="anna@a.example", full_name="Анна Смирнова", dealer=world.dealer_a, language=language
    )
    with django_capture_on_commit_callbacks(execute=True):
        account_services.invitation_send(
            actor=world.user(Persona.SUPERUSER), employee=invited, site_url="https://a.example"
        )

    [message] = mail.outbox
    assert message.to == ["anna@a.example"]
    assert message.subject == subject
    assert message.body.startswith(greeting)
    assert "https://a.example/accounts/invitation/" in message.body
    assert "/notifications/" not in message.body  # nothing to switch off without an account


# --- Who is skipped -------------------------------------------------------------------------


def test_a_switched_off_kind_is_not_sent_and_other_kinds_still_are(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    author = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    switch_off(author, NotificationKind.ORDER_PLACED)
    switch_off(world.user(Persona.HEAD_MANAGER), NotificationKind.ORDER_PLACED)
    order = order_of(world)
    with django_capture_on_commit_callbacks(execute=True):
        notify_order_placed(order)
        notify_order_status_changed(order, status_change(order, "confirmed"))

    assert sent_to() == [[author.email]]
    assert mail.outbox[0].subject == f"Заказ № {order.number}: статус «Подтверждён»"


def test_a_blocked_author_is_not_mailed_the_dealers_superusers_are(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    order = order_of(world)
    author = order.author
    assert author is not None
    author.is_active = False
    author.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        notify_order_status_changed(order, status_change(order, "confirmed"))

    assert sent_to() == [["boss@a.example"]]


# --- After commit, and never breaking -------------------------------------------------------


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError("SMTP server is down")


def test_a_failing_mail_server_does_not_break_the_change(
    world: World,
    claim: Claim,
    settings: LazySettings,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    with (
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True) as done,
        transaction.atomic(),
    ):
        claim_status_set(claim=claim, status=Claim.Status.REJECTED, comment="Не гарантия")

    assert len(done) == 1
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    assert mail.outbox == []
    [record] = [r for r in caplog.records if r.name == "dealerdesk.notifications.services"]
    assert record.getMessage() == (
        f"The claim_status_changed e-mail to user {world.user(Persona.MAIN_ENTITY_USER).pk} "
        "was not sent"
    )
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], ConnectionRefusedError)


class RefusingOneAddressBackend(locmem.EmailBackend):
    refused = "buyer@a.example"

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        if any(self.refused in message.to for message in messages):
            raise ConnectionRefusedError("550 mailbox unavailable")
        return super().send_messages(messages)


def test_a_failing_mail_to_one_recipient_does_not_stop_the_others(
    world: World,
    settings: LazySettings,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingOneAddressBackend"
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        notify_order_placed(order_of(world))

    assert sent_to() == [[world.user(Persona.HEAD_MANAGER).email]]
    assert [record.getMessage() for record in caplog.records] == [
        f"The order_placed e-mail to user {world.user(Persona.EMPLOYEE_WITH_RIGHT).pk} was not sent"
    ]


def test_nothing_is_sent_when_the_change_is_rolled_back(
    world: World, claim: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    def accept_then_fail() -> None:
        with transaction.atomic():
            claim_status_set(claim=claim, status=Claim.Status.ACCEPTED)
            raise RuntimeError("something later in the same change failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        accept_then_fail()

    assert callbacks == []
    assert mail.outbox == []
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


def test_nothing_is_sent_before_the_commit(world: World, claim: Claim) -> None:
    with transaction.atomic():
        claim_status_set(claim=claim, status=Claim.Status.ACCEPTED)
        assert mail.outbox == []
    # pytest-django's test transaction never commits: the mail stays unsent.
    assert mail.outbox == []
