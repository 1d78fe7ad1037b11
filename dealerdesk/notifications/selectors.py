"""Reads of notification settings: which e-mails concern a user, which ones they switched off."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dealerdesk.notifications.models import NotificationKind, NotificationOptOut
from dealerdesk.tenancy.scope import Scope

# What each e-mail says, in the words of the person who gets it.
_DEALER_DESCRIPTIONS: dict[NotificationKind, Promise] = {
    NotificationKind.ORDER_PLACED: _(
        "A confirmation with the number and the amount of your order."
    ),
    NotificationKind.ORDER_STATUS_CHANGED: _(
        "Your order is confirmed, assembled, shipped or cancelled."
    ),
    NotificationKind.NEEDS_ANSWERED: _(
        "The supplier answers what stock did not cover: reserved in a supply, a delivery date, "
        "or closed."
    ),
    NotificationKind.CLAIM_STATUS_CHANGED: _(
        "A claim you filed is taken into review, accepted, rejected or resolved."
    ),
    NotificationKind.COMPANY_REQUEST_DECIDED: _(
        "The supplier approves or rejects a request to add a legal entity."
    ),
}
_SUPERUSER_DESCRIPTIONS: dict[NotificationKind, Promise] = {
    **_DEALER_DESCRIPTIONS,
    NotificationKind.ORDER_STATUS_CHANGED: _(
        "Your order is confirmed, assembled, shipped or cancelled; so are the orders the "
        "supplier entered in the ERP for your company."
    ),
}
_STAFF_DESCRIPTIONS: dict[NotificationKind, Promise] = {
    NotificationKind.ORDER_PLACED: _(
        "A dealer you look after places an order on the portal. Head managers are told about "
        "the orders of dealers nobody looks after."
    ),
}


@dataclass(frozen=True)
class Preference:
    kind: NotificationKind
    description: Promise
    is_enabled: bool

    @property
    def label(self) -> str:
        return str(self.kind.label)


def notification_kinds_for(scope: Scope) -> list[NotificationKind]:
    """The e-mails that may reach the user, in the order the preferences page lists them."""
    if scope.is_manager:
        return list(_STAFF_DESCRIPTIONS)
    if not scope.is_dealer:
        return []
    kinds = [
        NotificationKind.ORDER_PLACED,
        NotificationKind.ORDER_STATUS_CHANGED,
        NotificationKind.NEEDS_ANSWERED,
    ]
    if scope.can_manage_claims:
        kinds.append(NotificationKind.CLAIM_STATUS_CHANGED)
    if scope.is_dealer_superuser:
        kinds.append(NotificationKind.COMPANY_REQUEST_DECIDED)
    return kinds


def notification_preferences(scope: Scope) -> list[Preference]:
    """The user's switches, one per e-mail that concerns them; on unless switched off."""
    kinds = notification_kinds_for(scope)
    if not kinds or scope.user_id is None:
        return []
    switched_off = set(
        NotificationOptOut.objects.filter(user_id=scope.user_id).values_list("kind", flat=True)
    )
    if scope.is_manager:
        descriptions = _STAFF_DESCRIPTIONS
    elif scope.is_dealer_superuser:
        descriptions = _SUPERUSER_DESCRIPTIONS
    else:
        descriptions = _DEALER_DESCRIPTIONS
    return [
        Preference(kind=kind, description=descriptions[kind], is_enabled=kind not in switched_off)
        for kind in kinds
    ]


def users_who_switched_off(kind: NotificationKind, user_ids: Collection[int]) -> set[int]:
    return set(
        NotificationOptOut.objects.filter(kind=kind, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
