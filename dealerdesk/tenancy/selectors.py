"""Resolving the scope of a signed-in user."""

from __future__ import annotations

from types import MappingProxyType

from django.db.models import FilteredRelation, Q

from dealerdesk.accounts.models import User
from dealerdesk.companies.models import LegalEntity
from dealerdesk.tenancy.rights import ALL_RIGHTS, Right
from dealerdesk.tenancy.scope import ANONYMOUS_SCOPE, Scope, ScopeKind

# Membership's right flags, in the order `Right` declares them.
MEMBERSHIP_RIGHT_FIELDS = tuple(f"membership__{right.value}" for right in Right)


def scope_for_user(user: User | None) -> Scope:
    """Who the user is to the portal, in one query (the user and dealer come with the session).

    A dealer superuser holds every right on every active legal entity of the dealer. An
    employee holds the rights of each membership; rights held on the main legal entity also
    apply to all its subsidiaries. A blocked user or a user of a blocked dealer is anonymous.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS_SCOPE
    if user.is_staff:
        return _manager_scope(user)
    if user.dealer_id is None or user.dealer is None:
        return Scope(kind=ScopeKind.NO_ACCESS, user_id=user.pk)
    if user.dealer.is_blocked:
        return ANONYMOUS_SCOPE

    # Every active legal entity of the dealer, with the user's membership of it if any: one
    # query, whatever the user's position.
    rows = list(
        LegalEntity.objects.filter(dealer_id=user.dealer_id, is_active=True)
        .annotate(
            membership=FilteredRelation("memberships", condition=Q(memberships__user_id=user.pk))
        )
        .values_list("id", "is_main", "membership__id", *MEMBERSHIP_RIGHT_FIELDS)
    )
    rights: dict[int, set[Right]] = {}
    main_rights: set[Right] = set(ALL_RIGHTS) if user.is_dealer_superuser else set()
    attached_to_main = user.is_dealer_superuser
    main_entity_id = None
    for entity_id, is_main, membership_id, *flags in rows:
        if is_main:
            main_entity_id = entity_id
        if membership_id is not None:
            held = {right for right, flag in zip(Right, flags, strict=True) if flag}
            rights[entity_id] = held
            if is_main:
                attached_to_main = True
                main_rights |= held
    if attached_to_main:
        for entity_id, *_rest in rows:
            rights.setdefault(entity_id, set()).update(main_rights)
    else:
        main_entity_id = None

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


def _manager_scope(user: User) -> Scope:
    """A head manager (or a Django superuser) sees every dealer; a manager sees the dealers
    assigned to them, or every dealer while none are assigned (a supplier with one manager
    needs no assignments)."""
    is_head = user.is_head_manager or user.is_superuser
    assigned = None if is_head else frozenset(user.managed_dealers.values_list("id", flat=True))
    return Scope(
        kind=ScopeKind.MANAGER,
        user_id=user.pk,
        is_head_manager=is_head,
        managed_dealer_ids=assigned or None,
    )
