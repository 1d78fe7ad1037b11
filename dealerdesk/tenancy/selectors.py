"""Resolving the scope of a signed-in user."""

from __future__ import annotations

from types import MappingProxyType

from dealerdesk.accounts.models import Membership, User
from dealerdesk.companies.models import LegalEntity
from dealerdesk.tenancy.rights import ALL_RIGHTS, Right
from dealerdesk.tenancy.scope import ANONYMOUS_SCOPE, Scope, ScopeKind


def scope_for_user(user: User | None) -> Scope:
    """Who the user is to the portal, in at most two queries.

    A dealer superuser holds every right on every active legal entity of the dealer. An
    employee holds the rights of each membership; rights held on the main legal entity also
    apply to all its subsidiaries. A blocked user or a user of a blocked dealer is anonymous.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS_SCOPE
    if user.is_staff:
        return Scope(kind=ScopeKind.MANAGER, user_id=user.pk)
    if user.dealer_id is None or user.dealer is None:
        return Scope(kind=ScopeKind.NO_ACCESS, user_id=user.pk)
    if user.dealer.is_blocked:
        return ANONYMOUS_SCOPE

    rights: dict[int, set[Right]] = {}
    main_rights: set[Right] = set()
    attached_to_main = user.is_dealer_superuser
    if user.is_dealer_superuser:
        main_rights = set(ALL_RIGHTS)
    else:
        memberships = Membership.objects.filter(
            user_id=user.pk,
            legal_entity__dealer_id=user.dealer_id,
            legal_entity__is_active=True,
        ).select_related("legal_entity")
        for membership in memberships:
            rights.setdefault(membership.legal_entity_id, set()).update(membership.rights)
            if membership.legal_entity.is_main:
                attached_to_main = True
                main_rights.update(membership.rights)
    main_entity_id = None
    if attached_to_main:
        for entity_id, is_main in LegalEntity.objects.filter(
            dealer_id=user.dealer_id, is_active=True
        ).values_list("id", "is_main"):
            rights.setdefault(entity_id, set()).update(main_rights)
            if is_main:
                main_entity_id = entity_id

    frozen = {entity_id: frozenset(held) for entity_id, held in rights.items()}
    return Scope(
        kind=ScopeKind.DEALER,
        user_id=user.pk,
        dealer_id=user.dealer_id,
        legal_entity_id=_current_legal_entity(user, frozen, main_entity_id),
        rights_by_entity=MappingProxyType(frozen),
        is_dealer_superuser=user.is_dealer_superuser,
    )


def _current_legal_entity(
    user: User, rights: dict[int, frozenset[Right]], main_entity_id: int | None
) -> int | None:
    if user.selected_legal_entity_id in rights:
        return user.selected_legal_entity_id
    if main_entity_id is not None:
        return main_entity_id
    return min(rights) if rights else None
