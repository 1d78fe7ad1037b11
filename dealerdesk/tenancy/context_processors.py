from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from dealerdesk.companies.models import LegalEntity
from dealerdesk.companies.selectors import legal_entities_for_scope
from dealerdesk.tenancy.scope import ANONYMOUS_SCOPE, Scope


class HeaderLegalEntities:
    """The legal-entity switcher of the page header; queried only if a template shows it."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    @cached_property
    def all(self) -> list[LegalEntity]:
        if not self.scope.is_dealer:
            return []
        return list(legal_entities_for_scope(self.scope))

    @cached_property
    def current(self) -> LegalEntity | None:
        return next(
            (entity for entity in self.all if entity.id == self.scope.legal_entity_id), None
        )


def scope(request: HttpRequest) -> dict[str, Any]:
    current_scope: Scope = getattr(request, "scope", ANONYMOUS_SCOPE)
    return {"scope": current_scope, "legal_entities": HeaderLegalEntities(current_scope)}
