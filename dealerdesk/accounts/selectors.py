from __future__ import annotations

from django.db.models import QuerySet

from dealerdesk.accounts.models import Membership
from dealerdesk.companies.models import LegalEntity


def legal_entity_members(legal_entity: LegalEntity) -> QuerySet[Membership]:
    """Employees attached to a legal entity, with their rights (for the dealer superuser)."""
    return (
        Membership.objects.filter(legal_entity=legal_entity, user__dealer_id=legal_entity.dealer_id)
        .select_related("user")
        .order_by("user__full_name")
    )
