"""E-mail notifications: who hears about a change, in their own language, after it commits.

Each `notify_*` function is called inside the transaction of the change it reports and only
schedules the mail with `transaction.on_commit`: a rolled-back change sends nothing, and the
mail reads the committed rows. Every recipient gets a message of their own, rendered from the
template of their language (`notifications/mail/<language>/<template>.subject.txt` and
`.body.txt`). A failing mail server is logged and never reaches the caller.

Recipients always come from the object's own dealer (and, for a new order, the supplier's
managers): a mail about one dealer never reaches another dealer's people.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from itertools import groupby
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from dealerdesk.accounts.models import User
from dealerdesk.companies.models import CompanyRequest, Dealer
from dealerdesk.companies.selectors import supplier_settings
from dealerdesk.notifications.models import NotificationKind, NotificationOptOut
from dealerdesk.notifications.selectors import notification_kinds_for, users_who_switched_off
from dealerdesk.orders.models import Need, Order, OrderStatusChange
from dealerdesk.shipments.models import ClaimEvent
from dealerdesk.tenancy.rights import Right
from dealerdesk.tenancy.scope import Scope
from dealerdesk.tenancy.selectors import scope_for_user

logger = logging.getLogger(__name__)

_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")

DEFAULT_PORTAL_BASE_URL = "http://localhost:8000"
MAIL_LANGUAGES = ("ru", "en")
# A big order is listed in part; the whole of it is a click away.
MAX_LISTED_LINES = 30


# --- Preferences ----------------------------------------------------------------------------


@transaction.atomic
def notification_preferences_set(*, scope: Scope, user: User, enabled: Collection[str]) -> None:
    """Switch the user's e-mails on and off: every kind that concerns them and is not in
    `enabled` is off. Kinds that do not concern the user are left as they are."""
    kinds = notification_kinds_for(scope)
    switched_off = [kind for kind in kinds if kind not in enabled]
    NotificationOptOut.objects.filter(user=user, kind__in=kinds).exclude(
        kind__in=switched_off
    ).delete()
    NotificationOptOut.objects.bulk_create(
        [NotificationOptOut(user=user, kind=kind) for kind in switched_off],
        ignore_conflicts=True,
    )


# --- Sending --------------------------------------------------------------------------------


def portal_url(path: str) -> str:
    base = getattr(settings, "PORTAL_BASE_URL", DEFAULT_PORTAL_BASE_URL) or DEFAULT_PORTAL_BASE_URL
    return base.rstrip("/") + path


def _mail_language(user: User) -> str:
    return user.language if user.language in MAIL_LANGUAGES else settings.LANGUAGE_CODE


def mail_render(template: str, recipient: User, context: dict[str, Any]) -> tuple[str, str]:
    """The subject and body of one e-mail, in the recipient's language."""
    language = _mail_language(recipient)
    supplier = supplier_settings()
    context = {
        "recipient": recipient,
        "supplier_name": supplier.name or "DealerDesk",
        "supplier": supplier,
        "portal_url": portal_url("/"),
        "preferences_url": portal_url(reverse("notifications:preferences")),
        **context,
    }
    with translation.override(language):
        subject = render_to_string(f"notifications/mail/{language}/{template}.subject.txt", context)
        body = render_to_string(f"notifications/mail/{language}/{template}.body.txt", context)
    # Optional lines of a template leave blank runs behind; a paragraph break is enough.
    return " ".join(subject.split()), _BLANK_RUNS.sub("\n\n", body.strip()) + "\n"


def _mail_send(template: str, recipient: User, context: dict[str, Any]) -> bool:
    """Render and send one e-mail; a failure is logged, never raised. True when it went out."""
    try:
        subject, body = mail_render(template, recipient, context)
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email]).send()
    except Exception:
        logger.exception("The %s e-mail to user %s was not sent", template, recipient.pk)
        return False
    return True


def _mail_each(
    kind: NotificationKind,
    template: str,
    recipients: Iterable[User],
    context: dict[str, Any],
) -> None:
    """One e-mail per active recipient who has not switched the kind off."""
    people = {user.pk: user for user in recipients if user.is_active and user.email}
    switched_off = users_who_switched_off(kind, people) if people else set()
    for user_id, user in people.items():
        if user_id not in switched_off:
            _mail_send(template, user, context)


def _after_commit(send: Callable[[], None]) -> None:
    """Run `send` once the current transaction commits; its errors are logged, never raised."""

    def guarded() -> None:
        try:
            send()
        except Exception:
            logger.exception("Notification e-mails were not sent")

    transaction.on_commit(guarded)


def _path(url_name: str, *args: Any) -> str:
    return portal_url(reverse(url_name, args=args))


def _manager_order_url(order: Order) -> str:
    try:
        return _path("manager:order_detail", order.pk)
    except NoReverseMatch:
        return portal_url("/manager/")


def _dealer_superusers(dealer_id: int) -> list[User]:
    return list(User.objects.filter(dealer_id=dealer_id, is_dealer_superuser=True, is_active=True))


def _dealer_people(dealer_id: int, person: User | None) -> list[User]:
    """The person a change concerns, if they are still one of the dealer's active users;
    otherwise the dealer's superusers, so someone at the dealer still hears about it."""
    if person is not None and person.dealer_id == dealer_id and person.is_active:
        return [person]
    return _dealer_superusers(dealer_id)


def _dealer_managers(dealer: Dealer) -> list[User]:
    """The supplier's managers assigned to the dealer; without one, every head manager."""
    managers = list(dealer.managers.filter(is_staff=True, is_active=True))
    if managers:
        return managers
    return list(User.objects.filter(is_staff=True, is_head_manager=True, is_active=True))


# --- Orders ---------------------------------------------------------------------------------


def notify_order_placed(order: Order) -> None:
    """Its author gets a confirmation; the dealer's managers learn of a new order."""
    order_id = order.pk

    def send() -> None:
        order = Order.objects.select_related(
            "dealer", "legal_entity", "author", "status", "delivery_method", "pickup_warehouse"
        ).get(pk=order_id)
        lines = list(order.lines.all())
        context = {
            "order": order,
            "lines": lines[:MAX_LISTED_LINES],
            "lines_count": len(lines),
            "lines_more": max(len(lines) - MAX_LISTED_LINES, 0),
        }
        author = order.author
        if author is not None and author.dealer_id == order.dealer_id:
            # The confirmation shows prices only to an author who may see them.
            prices_visible = scope_for_user(author).has_right(
                Right.SEE_PRICES, order.legal_entity_id
            )
            _mail_each(
                NotificationKind.ORDER_PLACED,
                "order_placed",
                [author],
                {
                    **context,
                    "prices_visible": prices_visible,
                    "url": _path("orders:order_detail", order.pk),
                },
            )
        _mail_each(
            NotificationKind.ORDER_PLACED,
            "order_placed_manager",
            _dealer_managers(order.dealer),
            {**context, "prices_visible": True, "url": _manager_order_url(order)},
        )

    _after_commit(send)


def notify_order_status_changed(order: Order, change: OrderStatusChange) -> None:
    """The order's author (for an order entered in the ERP, the dealer's superusers) learns
    the new status."""
    change_id = change.pk

    def send() -> None:
        change = OrderStatusChange.objects.select_related(
            "status", "order__author", "order__legal_entity"
        ).get(pk=change_id)
        order = change.order
        _mail_each(
            NotificationKind.ORDER_STATUS_CHANGED,
            "order_status_changed",
            _dealer_people(order.dealer_id, order.author),
            {"order": order, "change": change, "url": _path("orders:order_detail", order.pk)},
        )

    _after_commit(send)


def notify_needs_answered(needs: Sequence[Need]) -> None:
    """One e-mail per order to its author, listing the lines the supplier answered."""
    need_ids = [need.pk for need in needs]
    if not need_ids:
        return

    def send() -> None:
        answered = (
            Need.objects.select_related(
                "order__author",
                "order__legal_entity",
                "order_line",
                "product",
                "supply__warehouse",
            )
            .filter(pk__in=need_ids)
            .exclude(status=Need.Status.OPEN)
            .order_by("order_id", "order_line__position")
        )
        for _order_id, order_needs in groupby(answered, key=lambda need: need.order_id):
            order_needs_list = list(order_needs)
            order = order_needs_list[0].order
            _mail_each(
                NotificationKind.NEEDS_ANSWERED,
                "needs_answered",
                _dealer_people(order.dealer_id, order.author),
                {
                    "order": order,
                    "needs": order_needs_list,
                    "url": _path("orders:order_detail", order.pk),
                },
            )

    _after_commit(send)


# --- Claims ---------------------------------------------------------------------------------


def notify_claim_status_changed(event: ClaimEvent) -> None:
    """The claim's author learns the new status and the supplier's comment on it."""
    event_id = event.pk

    def send() -> None:
        event = ClaimEvent.objects.select_related(
            "claim__author", "claim__shipment", "claim__shipment_line", "claim__legal_entity"
        ).get(pk=event_id)
        claim = event.claim
        _mail_each(
            NotificationKind.CLAIM_STATUS_CHANGED,
            "claim_status_changed",
            _dealer_people(claim.dealer_id, claim.author),
            {
                "claim": claim,
                "event": event,
                "status": claim.Status(event.status).label if event.status else "",
                "url": _path("shipments:claim_detail", claim.pk),
            },
        )

    _after_commit(send)


# --- Company requests -----------------------------------------------------------------------


def notify_company_request_decided(company_request: CompanyRequest) -> None:
    """The requester and the dealer's superusers learn whether the company was added."""
    company_request_id = company_request.pk

    def send() -> None:
        company_request = CompanyRequest.objects.select_related(
            "dealer", "requested_by", "legal_entity"
        ).get(pk=company_request_id)
        dealer_id = company_request.dealer_id
        requester = company_request.requested_by
        recipients = _dealer_superusers(dealer_id)
        if requester.dealer_id == dealer_id:
            recipients.insert(0, requester)
        _mail_each(
            NotificationKind.COMPANY_REQUEST_DECIDED,
            "company_request_decided",
            recipients,
            {
                "company_request": company_request,
                "is_approved": company_request.status == CompanyRequest.Status.APPROVED,
                "url": _path("companies:request_detail", company_request.pk),
            },
        )

    _after_commit(send)


# --- Employees ------------------------------------------------------------------------------


def notify_employee_invited(*, employee: User, url: str, inviter: str) -> None:
    """The invitation with the link to choose a password. Not switchable: the person has no
    account yet to switch it off with."""
    employee_id = employee.pk

    def send() -> None:
        invited = User.objects.select_related("dealer").get(pk=employee_id)
        _mail_send(
            "employee_invited",
            invited,
            {"employee": invited, "dealer": invited.dealer, "url": url, "inviter": inviter},
        )

    _after_commit(send)
