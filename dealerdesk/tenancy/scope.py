"""The scope of a request: who acts, for which legal entities, with which rights.

A `Scope` is resolved once per request by `ScopeMiddleware` and never changes afterwards.
Tenant-owned querysets narrow themselves with `for_scope(scope)`; single objects come from
`access_<thing>(scope, id)` functions. No other code decides what a dealer may see.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.db.models import Q

from dealerdesk.tenancy.rights import Right


class ScopeKind(enum.StrEnum):
    ANONYMOUS = "anonymous"
    DEALER = "dealer"  # an employee of a dealer
    MANAGER = "manager"  # supplier staff
    NO_ACCESS = "no_access"  # signed in, but neither a dealer's employee nor staff


def _frozen_mapping() -> Mapping[int, frozenset[Right]]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    user_id: int | None = None
    dealer_id: int | None = None
    # The legal entity the user acts for: its prices, its orders. Chosen in the header.
    legal_entity_id: int | None = None
    # Every legal entity the user may see, with the rights held on it.
    rights_by_entity: Mapping[int, frozenset[Right]] = field(default_factory=_frozen_mapping)
    is_dealer_superuser: bool = False
    # Supplier staff: a head manager sees every dealer and edits the supplier's settings; a
    # manager with assigned dealers sees only them (None: every dealer).
    is_head_manager: bool = False
    managed_dealer_ids: frozenset[int] | None = None

    @property
    def is_dealer(self) -> bool:
        return self.kind is ScopeKind.DEALER

    @property
    def is_manager(self) -> bool:
        return self.kind is ScopeKind.MANAGER

    @property
    def is_authenticated(self) -> bool:
        return self.kind is not ScopeKind.ANONYMOUS

    def entity_ids(self, right: Right | None = None) -> frozenset[int]:
        """Legal entities visible to the user; with `right`, only those where it is held."""
        if right is None:
            return frozenset(self.rights_by_entity)
        return frozenset(
            entity_id for entity_id, rights in self.rights_by_entity.items() if right in rights
        )

    def has_right(self, right: Right, legal_entity_id: int | None = None) -> bool:
        """Whether the right is held on the given legal entity (by default the current one)."""
        entity_id = self.legal_entity_id if legal_entity_id is None else legal_entity_id
        if entity_id is None:
            return False
        return right in self.rights_by_entity.get(entity_id, frozenset())

    def current_rights(self) -> frozenset[Right]:
        if self.legal_entity_id is None:
            return frozenset()
        return self.rights_by_entity.get(self.legal_entity_id, frozenset())

    @property
    def can_manage_claims(self) -> bool:
        """Claims are listed across legal entities: the right on any of them opens the list."""
        return bool(self.entity_ids(Right.MANAGE_CLAIMS))

    @property
    def can_see_finance(self) -> bool:
        """Receivables are shown across legal entities: the right on any of them opens them."""
        return bool(self.entity_ids(Right.SEE_FINANCE))

    def manages_dealer(self, dealer_id: int | None) -> bool:
        """Whether a supplier manager may see this dealer and everything that belongs to it."""
        if not self.is_manager or dealer_id is None:
            return False
        return self.managed_dealer_ids is None or dealer_id in self.managed_dealer_ids

    def managed_dealers_q(self, dealer_field: str = "dealer_id") -> Q:
        """The filter narrowing a manager's querysets to the dealers they look after.

        `dealer_field` is the lookup from the queried model to the dealer's id. Anyone but a
        manager gets a filter that matches nothing."""
        if not self.is_manager:
            return Q(pk__in=[])
        if self.managed_dealer_ids is None:
            return Q()
        return Q(**{f"{dealer_field}__in": self.managed_dealer_ids})

    @property
    def current_right_values(self) -> frozenset[str]:
        """The current rights as plain strings, for templates: `"place_orders" in ...`."""
        return frozenset(right.value for right in self.current_rights())


ANONYMOUS_SCOPE = Scope(kind=ScopeKind.ANONYMOUS)
