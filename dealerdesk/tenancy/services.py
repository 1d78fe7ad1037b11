from __future__ import annotations

from django.db import transaction

from dealerdesk.accounts.models import User
from dealerdesk.companies.models import LegalEntity
from dealerdesk.companies.selectors import access_legal_entity
from dealerdesk.tenancy.scope import Scope


@transaction.atomic
def legal_entity_select(*, scope: Scope, user: User, legal_entity_id: int) -> LegalEntity:
    """Make a legal entity the user may see the one they act for; remembered on the user."""
    legal_entity = access_legal_entity(scope, legal_entity_id)
    if user.selected_legal_entity_id != legal_entity.id:
        user.selected_legal_entity = legal_entity
        user.save(update_fields=["selected_legal_entity"])
    return legal_entity
