"""New-company requests in the manager workspace (F17): approve (the legal entity is created
under the dealer) or reject with a reason; the dealer sees the outcome."""

from __future__ import annotations

import datetime

from django.utils import timezone

from conftest import Persona, World
from dealerdesk.companies.models import CompanyRequest, LegalEntity
from dealerdesk.companies.tests.factories import DealerFactory, company_request_create
from dealerdesk.erp.models import ErpClient
from dealerdesk.events.models import OutboxEvent


def a_request(world: World) -> CompanyRequest:
    return company_request_create(world.user(Persona.SUPERUSER))


def test_the_list_shows_requests_under_review_by_default(world: World) -> None:
    waiting = a_request(world)
    decided = company_request_create(world.user(Persona.OTHER_DEALER))
    decided.status = CompanyRequest.Status.REJECTED
    decided.rejection_reason = "Дубль"
    decided.save()
    manager = world.client_for(Persona.MANAGER)

    under_review = manager.get("/manager/company-requests/").content.decode()
    every = manager.get("/manager/company-requests/", {"status": "all"}).content.decode()

    assert waiting.number in under_review
    assert decided.number not in under_review
    assert waiting.number in every
    assert decided.number in every


def test_approving_creates_a_subsidiary_the_dealer_then_sees(world: World) -> None:
    company_request = a_request(world)

    response = world.client_for(Persona.MANAGER).post(
        f"/manager/company-requests/{company_request.id}/approve/"
    )

    assert response.status_code == 302
    company_request.refresh_from_db()
    assert company_request.status == CompanyRequest.Status.APPROVED
    entity = LegalEntity.objects.get(inn=company_request.inn, kpp=company_request.kpp)
    assert entity.dealer == world.dealer_a
    assert entity.is_main is False
    assert company_request.decided_by == world.user(Persona.MANAGER)
    assert OutboxEvent.objects.filter(kind=OutboxEvent.Kind.COMPANY_APPROVED).count() == 1
    dealer_view = world.client_for(Persona.SUPERUSER).get(
        f"/companies/requests/{company_request.id}/"
    )
    assert 'data-testid="request-legal-entity"' in dealer_view.content.decode()


def test_the_first_company_of_a_new_dealer_can_be_made_its_main_one(world: World) -> None:
    newcomer = DealerFactory(name="Новый дилер")
    owner = world.user(Persona.OTHER_DEALER)
    owner.dealer = newcomer
    owner.save()
    company_request = company_request_create(owner)

    page = world.client_for(Persona.MANAGER).get(f"/manager/company-requests/{company_request.id}/")
    world.client_for(Persona.MANAGER).post(
        f"/manager/company-requests/{company_request.id}/approve/", {"as_main": "on"}
    )

    assert "The dealer has no main company yet." in page.content.decode()
    assert LegalEntity.objects.get(dealer=newcomer).is_main is True


def test_a_second_main_company_is_refused_and_nothing_is_created(world: World) -> None:
    company_request = a_request(world)

    page = world.client_for(Persona.MANAGER).post(
        f"/manager/company-requests/{company_request.id}/approve/", {"as_main": "on"}
    )

    assert page.status_code == 400
    assert "already has a main company" in page.content.decode()
    company_request.refresh_from_db()
    assert company_request.status == CompanyRequest.Status.SUBMITTED
    assert not LegalEntity.objects.filter(inn=company_request.inn).exists()


def test_rejecting_needs_a_reason_which_the_dealer_then_reads(world: World) -> None:
    company_request = a_request(world)
    manager = world.client_for(Persona.MANAGER)
    url = f"/manager/company-requests/{company_request.id}/reject/"

    empty = manager.post(url, {"reason": "  "})
    company_request.refresh_from_db()
    assert empty.status_code == 400
    assert company_request.status == CompanyRequest.Status.SUBMITTED

    manager.post(url, {"reason": "КПП не совпадает с ЕГРЮЛ"})
    company_request.refresh_from_db()
    assert company_request.status == CompanyRequest.Status.REJECTED
    dealer_view = world.client_for(Persona.SUPERUSER).get(
        f"/companies/requests/{company_request.id}/"
    )
    assert "КПП не совпадает с ЕГРЮЛ" in dealer_view.content.decode()
    assert OutboxEvent.objects.filter(kind=OutboxEvent.Kind.COMPANY_REJECTED).count() == 1


def test_a_decided_request_cannot_be_decided_again(world: World) -> None:
    company_request = a_request(world)
    manager = world.client_for(Persona.MANAGER)
    manager.post(f"/manager/company-requests/{company_request.id}/reject/", {"reason": "Нет"})

    again = manager.post(f"/manager/company-requests/{company_request.id}/approve/")

    assert again.status_code == 400
    assert "has already been answered" in again.content.decode()
    assert not LegalEntity.objects.filter(inn=company_request.inn).exists()


def test_a_manager_of_other_dealers_gets_404_and_changes_nothing(world: World) -> None:
    company_request = a_request(world)
    world.dealer_b.managers.add(world.user(Persona.MANAGER))
    manager = world.client_for(Persona.MANAGER)

    listing = manager.get("/manager/company-requests/").content.decode()
    detail = manager.get(f"/manager/company-requests/{company_request.id}/")
    approve = manager.post(f"/manager/company-requests/{company_request.id}/approve/")

    assert company_request.number not in listing
    assert detail.status_code == 404
    assert approve.status_code == 404
    company_request.refresh_from_db()
    assert company_request.status == CompanyRequest.Status.SUBMITTED


# --- The start page and the exchange monitor ------------------------------------------------


def test_the_start_page_counts_what_waits_for_the_manager(world: World) -> None:
    a_request(world)

    page = world.client_for(Persona.MANAGER).get("/manager/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="requests-under-review"' in html
    requests_card = html.split('data-testid="requests-under-review"')[1].split("</a>")[0]
    assert ">1<" in requests_card


def test_an_erp_that_stopped_pulling_is_warned_about(world: World, settings: object) -> None:
    a_request(world)  # a company.requested event waits in the outbox
    client = ErpClient.objects.get()
    long_ago = timezone.now() - datetime.timedelta(hours=3)
    ErpClient.objects.filter(pk=client.pk).update(last_pulled_at=long_ago)
    manager = world.client_for(Persona.MANAGER)

    assert 'data-testid="erp-pull-warning"' in manager.get("/manager/erp/").content.decode()
    assert 'data-testid="erp-pull-warning"' in manager.get("/manager/").content.decode()

    world.client_for(Persona.ERP_CLIENT).get("/api/erp/v1/events")

    client.refresh_from_db()
    assert client.last_pulled_at is not None
    assert client.last_pulled_at > long_ago
    assert 'data-testid="erp-pull-warning"' not in manager.get("/manager/erp/").content.decode()


def test_the_warning_waits_for_the_configured_time(world: World, settings: object) -> None:
    a_request(world)
    ErpClient.objects.update(last_pulled_at=timezone.now() - datetime.timedelta(minutes=30))
    manager = world.client_for(Persona.MANAGER)

    settings.ERP_PULL_WARNING_MINUTES = 60  # type: ignore[attr-defined]
    quiet = manager.get("/manager/erp/").content.decode()
    settings.ERP_PULL_WARNING_MINUTES = 15  # type: ignore[attr-defined]
    warned = manager.get("/manager/erp/").content.decode()

    assert 'data-testid="erp-pull-warning"' not in quiet
    assert 'data-testid="erp-pull-warning"' in warned
