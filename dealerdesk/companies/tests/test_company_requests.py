"""Requests for new companies (F17): submission, the supplier's answer, the dealer's pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import Persona, World
from dealerdesk.companies import services
from dealerdesk.companies.models import CompanyRequest, LegalEntity
from dealerdesk.companies.services import (
    company_request_approve,
    company_request_reject,
    company_request_resolve_for_entity,
    company_request_submit,
)
from dealerdesk.companies.tests.factories import (
    BANK_BIK,
    BANK_SETTLEMENT_ACCOUNT,
    LegalEntityFactory,
    company_request_create,
    organisation_inn,
    request_fields,
    sole_proprietor_inn,
)
from dealerdesk.events.models import OutboxEvent


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def refusal(**call: Any) -> dict[str, list[str]]:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        company_request_submit(**call)
    return refused.value.message_dict


# --- Submission -----------------------------------------------------------------------------


def test_a_submitted_request_is_numbered_and_reaches_the_erp_outbox(world: World) -> None:
    superuser = world.user(Persona.SUPERUSER)
    fields = request_fields(kpp="5406ab001", comment="Для филиала в Новосибирске")

    company_request = company_request_submit(user=superuser, **fields)

    # Numbered by the portal's own counter, not by the row id (sequences survive rollbacks).
    assert re.fullmatch(r"З-\d{6}", company_request.number)
    assert company_request.status == CompanyRequest.Status.SUBMITTED
    assert company_request.dealer == world.dealer_a
    assert company_request.requested_by == superuser
    assert company_request.kpp == "5406AB001"
    event = OutboxEvent.objects.get()
    assert event.kind == "company.requested"
    assert event.aggregate_type == "company_request"
    assert event.aggregate_id == str(company_request.id)
    assert event.payload == {
        "version": 1,
        "id": company_request.id,
        "number": company_request.number,
        "status": "submitted",
        "submitted_at": company_request.created_at.isoformat(),
        "dealer": {
            "id": world.dealer_a.id,
            "erp_id": world.dealer_a.erp_id,
            "name": "Электромонтаж-Центр",
        },
        "requested_by": {"email": "boss@a.example", "name": superuser.full_name},
        "inn": fields["inn"],
        "kpp": "5406AB001",
        "name": 'ООО "ЭМЦ-Сибирь"',
        "legal_address": fields["legal_address"],
        "postal_address": "",
        "bank": {
            "name": 'ПАО "Сбербанк"',
            "bik": BANK_BIK,
            "correspondent_account": fields["correspondent_account"],
            "settlement_account": BANK_SETTLEMENT_ACCOUNT,
        },
        "comment": "Для филиала в Новосибирске",
        "decided_at": None,
        "rejection_reason": "",
        "legal_entity": None,
    }


def test_the_request_and_its_event_are_written_in_one_transaction(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_outbox(**kwargs: Any) -> OutboxEvent:
        raise RuntimeError("the outbox is unavailable")

    monkeypatch.setattr(services, "event_record", broken_outbox)
    with pytest.raises(RuntimeError):
        company_request_create(world.user(Persona.SUPERUSER))
    assert CompanyRequest.objects.count() == 0


def test_a_request_without_bank_details_sends_no_bank(world: World) -> None:
    company_request_create(
        world.user(Persona.SUPERUSER),
        bank_name="",
        bik="",
        correspondent_account="",
        settlement_account="",
    )
    assert OutboxEvent.objects.get().payload["bank"] is None


def test_only_a_dealer_superuser_may_request_a_company(world: World) -> None:
    with pytest.raises(PermissionDenied):
        company_request_create(world.user(Persona.MAIN_ENTITY_USER))
    assert CompanyRequest.objects.count() == 0


def test_the_service_checks_the_requisites_like_the_form(world: World) -> None:
    errors = refusal(user=world.user(Persona.SUPERUSER), **request_fields(kpp=""))
    assert errors == {"kpp": ["Enter the KPP: a company with a 10-digit INN has one."]}
    assert not OutboxEvent.objects.exists()


def test_a_company_the_dealer_already_has_is_refused_by_name(world: World) -> None:
    errors = refusal(
        user=world.user(Persona.SUPERUSER),
        **request_fields(inn=world.a_sub1.inn, kpp=world.a_sub1.kpp),
    )
    assert errors == {
        "inn": [
            f'“ООО "ЭМЦ-Регион"” with INN/KPP {world.a_sub1.inn}/{world.a_sub1.kpp} is '
            "already one of your companies."
        ]
    }
    assert CompanyRequest.objects.count() == 0


def test_another_dealers_company_is_refused_without_naming_the_dealer(world: World) -> None:
    errors = refusal(
        user=world.user(Persona.SUPERUSER),
        **request_fields(inn=world.b_main.inn, kpp=world.b_main.kpp),
    )
    assert errors == {
        "inn": [
            f"The company with INN/KPP {world.b_main.inn}/{world.b_main.kpp} is already "
            "registered with the supplier or being added. If it is yours, contact your manager."
        ]
    }


def test_a_second_request_for_the_same_company_names_the_first(world: World) -> None:
    superuser = world.user(Persona.SUPERUSER)
    first = company_request_create(superuser)
    errors = refusal(user=superuser, **request_fields(inn=first.inn, kpp=first.kpp))
    assert errors == {
        "inn": [
            f"Your request {first.number} for the company with INN/KPP {first.inn}/{first.kpp} "
            "is already under review."
        ]
    }
    assert CompanyRequest.objects.count() == 1


def test_another_dealers_request_for_the_same_company_gets_the_neutral_answer(
    world: World,
) -> None:
    first = company_request_create(world.user(Persona.SUPERUSER))
    errors = refusal(
        user=world.user(Persona.OTHER_DEALER), **request_fields(inn=first.inn, kpp=first.kpp)
    )
    assert first.number not in errors["inn"][0]
    assert errors["inn"][0].startswith(f"The company with INN/KPP {first.inn}/{first.kpp} is")


def test_a_company_can_be_requested_again_after_a_rejection(world: World) -> None:
    superuser = world.user(Persona.SUPERUSER)
    first = company_request_create(superuser)
    company_request_reject(
        company_request=first, by_user=world.user(Persona.MANAGER), reason="Нет договора"
    )
    second = company_request_create(superuser, inn=first.inn, kpp=first.kpp)
    assert second.status == CompanyRequest.Status.SUBMITTED


def test_two_requests_racing_for_one_company_meet_the_database_constraint(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the first request is saved; the second one's check ran before it was
    superuser = world.user(Persona.SUPERUSER)
    first = company_request_create(superuser)
    checks = []
    real_check = services._refuse_duplicate

    def check_too_early(**kwargs: Any) -> None:
        checks.append(kwargs)
        if len(checks) > 1:
            real_check(**kwargs)

    monkeypatch.setattr(services, "_refuse_duplicate", check_too_early)
    # when
    errors = refusal(user=superuser, **request_fields(inn=first.inn, kpp=first.kpp))
    # then
    assert len(checks) == 2
    assert errors["inn"][0].startswith(f"Your request {first.number} ")
    assert CompanyRequest.objects.count() == 1
    assert OutboxEvent.objects.count() == 1


# --- The supplier's answer ------------------------------------------------------------------


def test_approval_adds_an_active_subsidiary_and_tells_the_erp(world: World) -> None:
    manager = world.user(Persona.MANAGER)
    submitted = company_request_create(
        world.user(Persona.SUPERUSER), postal_address="630099, а/я 15"
    )

    approved = company_request_approve(
        company_request=submitted, by_user=manager, erp_id="erp-le-77"
    )

    entity = approved.legal_entity
    assert entity is not None
    assert (entity.dealer, entity.inn, entity.kpp, entity.name) == (
        world.dealer_a,
        submitted.inn,
        submitted.kpp,
        'ООО "ЭМЦ-Сибирь"',
    )
    assert (entity.is_main, entity.is_active, entity.erp_id) == (False, True, "erp-le-77")
    assert entity.legal_address == submitted.legal_address
    assert entity.postal_address == "630099, а/я 15"
    approved.refresh_from_db()
    assert approved.status == CompanyRequest.Status.APPROVED
    assert approved.decided_by == manager
    assert approved.decided_at is not None
    event = OutboxEvent.objects.get(kind=OutboxEvent.Kind.COMPANY_APPROVED)
    assert event.payload["status"] == "approved"
    assert event.payload["legal_entity"] == {"id": entity.id, "erp_id": "erp-le-77"}


def test_approval_links_a_company_the_dealer_got_meanwhile(world: World) -> None:
    submitted = company_request_create(world.user(Persona.SUPERUSER))
    existing: LegalEntity = LegalEntityFactory(
        dealer=world.dealer_a, inn=submitted.inn, kpp=submitted.kpp
    )
    approved = company_request_approve(
        company_request=submitted, by_user=world.user(Persona.MANAGER)
    )
    assert approved.legal_entity == existing
    assert LegalEntity.objects.filter(inn=submitted.inn).count() == 1


def test_a_request_is_answered_once(world: World) -> None:
    manager = world.user(Persona.MANAGER)
    submitted = company_request_create(world.user(Persona.SUPERUSER))
    company_request_approve(company_request=submitted, by_user=manager)
    with translation.override("en"), pytest.raises(ValidationError) as again:
        company_request_reject(company_request=submitted, by_user=manager, reason="передумали")
    assert again.value.messages == [
        f"Request {submitted.number} has already been answered: Approved."
    ]
    with pytest.raises(ValidationError):
        company_request_approve(company_request=submitted, by_user=manager)
    assert OutboxEvent.objects.filter(kind=OutboxEvent.Kind.COMPANY_APPROVED).count() == 1
    assert LegalEntity.objects.filter(inn=submitted.inn).count() == 1


def test_only_supplier_staff_answer_requests(world: World) -> None:
    submitted = company_request_create(world.user(Persona.SUPERUSER))
    with pytest.raises(PermissionDenied):
        company_request_approve(company_request=submitted, by_user=world.user(Persona.SUPERUSER))
    submitted.refresh_from_db()
    assert submitted.status == CompanyRequest.Status.SUBMITTED


def test_a_rejection_needs_a_reason(world: World) -> None:
    submitted = company_request_create(world.user(Persona.SUPERUSER))
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        company_request_reject(
            company_request=submitted, by_user=world.user(Persona.MANAGER), reason="   "
        )
    assert refused.value.message_dict == {"reason": ["Give the reason: the dealer will see it."]}
    submitted.refresh_from_db()
    assert submitted.status == CompanyRequest.Status.SUBMITTED
    assert not OutboxEvent.objects.filter(kind=OutboxEvent.Kind.COMPANY_REJECTED).exists()


def test_a_rejection_keeps_the_reason_and_tells_the_erp(world: World) -> None:
    submitted = company_request_create(world.user(Persona.SUPERUSER))
    rejected = company_request_reject(
        company_request=submitted,
        by_user=world.user(Persona.MANAGER),
        reason=" Нет подписанного договора поставки ",
    )
    rejected.refresh_from_db()
    assert rejected.status == CompanyRequest.Status.REJECTED
    assert rejected.rejection_reason == "Нет подписанного договора поставки"
    assert rejected.legal_entity is None
    event = OutboxEvent.objects.get(kind=OutboxEvent.Kind.COMPANY_REJECTED)
    assert event.payload["rejection_reason"] == "Нет подписанного договора поставки"
    assert not LegalEntity.objects.filter(inn=submitted.inn).exists()


def test_a_company_added_by_the_erp_resolves_the_request_for_it(world: World) -> None:
    submitted = company_request_create(
        world.user(Persona.SUPERUSER), inn=sole_proprietor_inn(), kpp="", name="ИП Белов А. В."
    )
    entity: LegalEntity = LegalEntityFactory(dealer=world.dealer_a, inn=submitted.inn, kpp="")

    resolved = company_request_resolve_for_entity(legal_entity=entity)

    assert resolved is not None
    resolved.refresh_from_db()
    assert resolved.id == submitted.id
    assert resolved.status == CompanyRequest.Status.APPROVED
    assert resolved.legal_entity == entity
    assert resolved.decided_by is None
    assert OutboxEvent.objects.filter(kind=OutboxEvent.Kind.COMPANY_APPROVED).count() == 1


def test_a_company_of_another_dealer_resolves_nothing(world: World) -> None:
    submitted = company_request_create(world.user(Persona.SUPERUSER))
    foreign = LegalEntityFactory(dealer=world.dealer_b, inn=submitted.inn, kpp=submitted.kpp)
    assert company_request_resolve_for_entity(legal_entity=foreign) is None
    assert company_request_resolve_for_entity(legal_entity=world.a_main) is None
    submitted.refresh_from_db()
    assert submitted.status == CompanyRequest.Status.SUBMITTED


def test_a_company_added_in_the_admin_resolves_the_request(world: World) -> None:
    submitted = company_request_create(world.user(Persona.SUPERUSER))
    admin = world.client_for(Persona.HEAD_MANAGER)
    response = admin.post(
        reverse("admin:companies_legalentity_add"),
        {
            "dealer": world.dealer_a.id,
            "name": submitted.name,
            "inn": submitted.inn,
            "kpp": submitted.kpp,
            "legal_address": submitted.legal_address,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == CompanyRequest.Status.APPROVED
    assert submitted.legal_entity == LegalEntity.objects.get(inn=submitted.inn)
    assert submitted.decided_by == world.user(Persona.HEAD_MANAGER)


def test_a_company_added_inline_on_the_dealer_page_resolves_the_request(world: World) -> None:
    submitted = company_request_create(world.user(Persona.OTHER_DEALER))
    dealer, existing = world.dealer_b, world.b_main
    inline = "legal_entities"
    response = world.client_for(Persona.HEAD_MANAGER).post(
        reverse("admin:companies_dealer_change", args=[dealer.id]),
        {
            "name": dealer.name,
            "erp_id": dealer.erp_id,
            f"{inline}-TOTAL_FORMS": "2",
            f"{inline}-INITIAL_FORMS": "1",
            f"{inline}-0-id": existing.id,
            f"{inline}-0-dealer": dealer.id,
            f"{inline}-0-name": existing.name,
            f"{inline}-0-inn": existing.inn,
            f"{inline}-0-kpp": existing.kpp,
            f"{inline}-0-legal_address": existing.legal_address,
            f"{inline}-0-is_main": "on",
            f"{inline}-0-is_active": "on",
            f"{inline}-1-dealer": dealer.id,
            f"{inline}-1-name": submitted.name,
            f"{inline}-1-inn": submitted.inn,
            f"{inline}-1-kpp": submitted.kpp,
            f"{inline}-1-legal_address": submitted.legal_address,
            f"{inline}-1-is_active": "on",
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == CompanyRequest.Status.APPROVED
    assert submitted.legal_entity == LegalEntity.objects.get(inn=submitted.inn, dealer=dealer)


def test_the_admin_lists_requests_by_status(world: World) -> None:
    submitted = company_request_create(world.user(Persona.SUPERUSER))
    admin = world.client_for(Persona.HEAD_MANAGER)
    listing = admin.get(
        reverse("admin:companies_companyrequest_changelist"),
        {"status__exact": "submitted", "q": submitted.inn},
    )
    assert listing.status_code == 200
    assert submitted.number in listing.content.decode()
    page = admin.get(reverse("admin:companies_companyrequest_change", args=[submitted.id]))
    assert page.status_code == 200


# --- The dealer's pages ---------------------------------------------------------------------


def test_a_superuser_sends_a_request_from_the_form(world: World) -> None:
    client = world.client_for(Persona.SUPERUSER)
    assert client.get(reverse("companies:request_create")).status_code == 200

    response = client.post(reverse("companies:request_create"), request_fields())

    company_request = CompanyRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:request_detail", args=[company_request.id])
    page = english(client).get(response["Location"]).content.decode()
    assert f"Request {company_request.number} is sent to the supplier." in page
    assert "ООО &quot;ЭМЦ-Сибирь&quot;" in page


def test_a_refused_form_keeps_the_values_and_explains_each_error(world: World) -> None:
    client = english(world.client_for(Persona.SUPERUSER))
    valid_inn = organisation_inn()
    wrong_inn = valid_inn[:-1] + str((int(valid_inn[-1]) + 1) % 10)
    fields = request_fields(inn=wrong_inn, kpp="5406ab001", name="ООО Ромашка")

    response = client.post(reverse("companies:request_create"), fields)

    page = response.content.decode()
    assert response.status_code == 422
    assert 'data-testid="error-inn">INN checksum does not match.</div>' in page
    assert f'value="{wrong_inn}"' in page
    assert 'value="5406ab001"' in page
    assert 'value="ООО Ромашка"' in page
    assert 'value="' + BANK_SETTLEMENT_ACCOUNT + '"' in page
    assert not CompanyRequest.objects.exists()


def test_a_duplicate_is_explained_next_to_the_inn(world: World) -> None:
    client = english(world.client_for(Persona.SUPERUSER))
    response = client.post(
        reverse("companies:request_create"),
        request_fields(inn=world.a_main.inn, kpp=world.a_main.kpp),
    )
    assert response.status_code == 422
    assert "is already one of your companies." in response.content.decode()


@pytest.mark.parametrize("persona", [Persona.MAIN_ENTITY_USER, Persona.EMPLOYEE_WITH_RIGHT])
def test_other_employees_cannot_open_requests(world: World, persona: Persona) -> None:
    company_request = company_request_create(world.user(Persona.SUPERUSER))
    client = world.client_for(persona)
    for url in (
        reverse("companies:request_list"),
        reverse("companies:request_create"),
        reverse("companies:request_detail", args=[company_request.id]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("companies:request_create"), request_fields()).status_code == 403
    assert CompanyRequest.objects.count() == 1


def test_another_dealers_request_is_not_found(world: World) -> None:
    company_request = company_request_create(world.user(Persona.SUPERUSER))
    response = world.client_for(Persona.OTHER_DEALER).get(
        reverse("companies:request_detail", args=[company_request.id])
    )
    assert response.status_code == 404


def test_the_list_shows_only_the_dealers_own_requests(
    world: World, django_assert_num_queries: Any
) -> None:
    own = [company_request_create(world.user(Persona.SUPERUSER)) for _ in range(3)]
    foreign = company_request_create(world.user(Persona.OTHER_DEALER))
    client = world.client_for(Persona.SUPERUSER)
    client.get(reverse("companies:request_list"))  # the session and scope warm up

    # session, user, scope, count, the header's companies, the requests, the supplier's footer
    with django_assert_num_queries(7):
        page = client.get(reverse("companies:request_list")).content.decode()

    for company_request in own:
        assert company_request.number in page
    assert foreign.number not in page


def test_the_detail_page_shows_the_outcome(world: World) -> None:
    client = english(world.client_for(Persona.SUPERUSER))
    approved = company_request_approve(
        company_request=company_request_create(world.user(Persona.SUPERUSER)),
        by_user=world.user(Persona.MANAGER),
    )
    rejected = company_request_reject(
        company_request=company_request_create(world.user(Persona.SUPERUSER)),
        by_user=world.user(Persona.MANAGER),
        reason="Организация ликвидирована",
    )

    approved_page = client.get(reverse("companies:request_detail", args=[approved.id]))
    rejected_page = client.get(reverse("companies:request_detail", args=[rejected.id]))

    assert approved.legal_entity is not None
    entity_url = reverse("companies:legal_entity_detail", args=[approved.legal_entity.id])
    link = f'href="{entity_url}" data-testid="request-legal-entity"'
    assert link in approved_page.content.decode()
    assert "Организация ликвидирована" in rejected_page.content.decode()
    assert 'data-testid="request-status">Rejected<' in rejected_page.content.decode()


def test_the_companies_page_shows_requests_to_the_superuser_only(world: World) -> None:
    company_request = company_request_create(world.user(Persona.SUPERUSER))
    url = reverse("companies:legal_entity_list")

    superusers_page = world.client_for(Persona.SUPERUSER).get(url).content.decode()
    employees_page = world.client_for(Persona.MAIN_ENTITY_USER).get(url).content.decode()

    assert company_request.number in superusers_page
    assert reverse("companies:request_create") in superusers_page
    assert company_request.number not in employees_page
    assert reverse("companies:request_create") not in employees_page
