from __future__ import annotations

from conftest import Persona, World
from dealerdesk.companies.models import CompanyRequest
from dealerdesk.demo.company_requests import REJECTION_REASON, load_company_requests
from dealerdesk.events.models import OutboxEvent


def test_demo_requests_are_loaded_once(world: World) -> None:
    users = {
        "requested_by": world.user(Persona.SUPERUSER),
        "decided_by": world.user(Persona.MANAGER),
    }

    first_run = load_company_requests(**users)
    second_run = load_company_requests(**users)

    assert (first_run, second_run) == (2, 0)
    statuses = dict(CompanyRequest.objects.values_list("status", "rejection_reason"))
    assert statuses == {"submitted": "", "rejected": REJECTION_REASON}
    assert set(CompanyRequest.objects.values_list("dealer_id", flat=True)) == {world.dealer_a.id}
    assert OutboxEvent.objects.filter(kind="company.requested").count() == 2
