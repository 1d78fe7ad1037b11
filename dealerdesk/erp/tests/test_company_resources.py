"""The ERP pushes dealers, legal entities and its answers to new-company requests."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.conf import LazySettings
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import escape

from conftest import Persona, World
from dealerdesk.accounts.models import AccountEvent, UserSession
from dealerdesk.companies.models import CompanyRequest, Dealer, LegalEntity
from dealerdesk.companies.tests.factories import company_request_create, organisation_inn
from dealerdesk.erp.models import ErpBatch
from dealerdesk.events.models import OutboxEvent

_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def _english(settings: LazySettings) -> None:
    settings.LANGUAGE_CODE = "en"


def push(world: World, path: str, body: dict[str, Any], key: str = "") -> HttpResponse:
    response: HttpResponse = world.client_for(Persona.ERP_CLIENT).post(
        f"/api/erp/v1/{path}",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": key or f"companies-test-{next(_keys)}"},
    )
    return response


def error_paths(response: HttpResponse) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {error["path"]: error["message"] for error in response.json()["errors"]}


def entity(
    erp_id: str, dealer_id: str, *, inn: str = "", kpp: str = "770101001", **fields: Any
) -> dict[str, Any]:
    return {
        "id": erp_id,
        "dealer_id": dealer_id,
        "name": f'ООО "Электро-{erp_id}"',
        "inn": inn or organisation_inn(),
        "kpp": kpp,
        "legal_address": "117997, г. Москва, ул. Вавилова, д. 19",
        **fields,
    }


# --- dealers --------------------------------------------------------------------------------


def test_dealers_are_created_and_updated_with_their_price_type(world: World) -> None:
    world.wholesale_prices.erp_id = "PT-OPT"
    world.wholesale_prices.save()
    assert world.dealer_a.erp_id is not None

    response = push(
        world,
        "dealers",
        {
            "items": [
                {"id": "D-NEW", "name": "Светодиодные системы", "price_type_id": "PT-OPT"},
                {"id": world.dealer_a.erp_id, "name": "Электромонтаж-Центр Плюс"},
            ]
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    assert response.json()["updated"] == 1
    new = Dealer.objects.get(erp_id="D-NEW")
    assert new.name == "Светодиодные системы"
    assert new.price_type == world.wholesale_prices
    assert not new.is_blocked
    world.dealer_a.refresh_from_db()
    assert world.dealer_a.name == "Электромонтаж-Центр Плюс"
    assert world.dealer_a.price_type is None


def test_a_dealer_with_an_unknown_price_type_refuses_the_whole_batch(world: World) -> None:
    response = push(
        world,
        "dealers",
        {
            "items": [
                {"id": "D-1", "name": "Дилер 1"},
                {"id": "D-2", "name": "Дилер 2", "price_type_id": "PT-NONE"},
            ]
        },
    )

    paths = error_paths(response)
    assert paths == {"items[1].price_type_id": "items[1].price_type_id: no price type with id "
                     "'PT-NONE'"}  # fmt: skip
    assert not Dealer.objects.filter(erp_id__in=["D-1", "D-2"]).exists()


def test_a_dealer_without_a_name_is_refused(world: World) -> None:
    response = push(world, "dealers", {"items": [{"id": "D-1"}]})

    assert "items[0].name" in error_paths(response)
    assert not Dealer.objects.filter(erp_id="D-1").exists()


def test_blocking_a_dealer_ends_its_employees_sessions(world: World) -> None:
    browser = world.client_for(Persona.SUPERUSER)
    assert browser.get(reverse("finance:receivables")).status_code == 200
    session_key = browser.session.session_key
    superuser = world.user(Persona.SUPERUSER)
    assert UserSession.objects.filter(user=superuser, session_key=session_key).exists()
    other_session = world.client_for(Persona.OTHER_DEALER).session.session_key

    response = push(
        world,
        "dealers",
        {"items": [{"id": world.dealer_a.erp_id, "name": "ЭМЦ", "is_blocked": True}]},
    )

    assert response.status_code == 200, response.content
    world.dealer_a.refresh_from_db()
    assert world.dealer_a.is_blocked
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not UserSession.objects.filter(user=superuser).exists()
    assert Session.objects.filter(session_key=other_session).exists()
    after = browser.get(reverse("finance:receivables"))
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("accounts:login"))

    unblocked = push(
        world,
        "dealers",
        {"items": [{"id": world.dealer_a.erp_id, "name": "ЭМЦ", "is_blocked": False}]},
    )
    assert unblocked.status_code == 200
    # Both changes are in the dealer's account log, by the ERP (no person).
    assert list(
        AccountEvent.objects.filter(dealer=world.dealer_a)
        .order_by("id")
        .values_list("action", "actor", "details")
    ) == [("dealer_blocked", None, {"sessions_ended": 1}), ("dealer_unblocked", None, {})]
    world.dealer_a.refresh_from_db()
    assert not world.dealer_a.is_blocked


def test_a_replayed_batch_answers_the_same_and_writes_nothing(world: World) -> None:
    body = {"items": [{"id": "D-REPLAY", "name": "Первое имя"}]}
    first = push(world, "dealers", body, key="replay-1")
    Dealer.objects.filter(erp_id="D-REPLAY").update(name="Изменено вручную")

    second = push(world, "dealers", body, key="replay-1")

    assert second.status_code == 200
    assert second.json() == first.json()
    assert Dealer.objects.get(erp_id="D-REPLAY").name == "Изменено вручную"
    assert ErpBatch.objects.filter(idempotency_key="replay-1").count() == 1


def test_the_same_dealer_twice_in_a_batch_is_refused(world: World) -> None:
    response = push(
        world,
        "dealers",
        {"items": [{"id": "D-1", "name": "Раз"}, {"id": "D-1", "name": "Два"}]},
    )

    assert "items[1].id" in error_paths(response)
    assert not Dealer.objects.filter(erp_id="D-1").exists()


# --- legal entities -------------------------------------------------------------------------


def test_legal_entities_of_a_new_dealer_are_created(world: World) -> None:
    world.base_prices.erp_id = "PT-BASE"
    world.base_prices.save()
    assert push(world, "dealers", {"items": [{"id": "D-7", "name": "Свет"}]}).status_code == 200
    main_inn = organisation_inn()

    response = push(
        world,
        "legal-entities",
        {
            "items": [
                entity(
                    "LE-1",
                    "D-7",
                    inn=f"{main_inn[:4]} {main_inn[4:]}",
                    kpp="7701 01 001",
                    is_main=True,
                    ogrn="1027700132195",
                    price_type_id="PT-BASE",
                ),
                entity("LE-2", "D-7", inn="500100732259", kpp="", name="ИП Соколов А. В."),
            ]
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    main = LegalEntity.objects.get(erp_id="LE-1")
    assert main.dealer.erp_id == "D-7"
    assert (main.inn, main.kpp, main.ogrn) == (main_inn, "770101001", "1027700132195")
    assert main.is_main
    assert main.price_type == world.base_prices
    proprietor = LegalEntity.objects.get(erp_id="LE-2")
    assert proprietor.name == "ИП Соколов А. В."
    assert not proprietor.is_main
    assert proprietor.kpp == ""


def test_a_wrong_inn_is_refused_with_its_path_and_nothing_is_written(world: World) -> None:
    dealer = world.dealer_b.erp_id
    assert dealer is not None
    good = organisation_inn()
    wrong = good[:-1] + str((int(good[-1]) + 1) % 10)

    response = push(
        world,
        "legal-entities",
        {
            "items": [
                entity("LE-1", dealer),
                entity("LE-2", dealer),
                entity("LE-3", dealer, inn=wrong),
                entity("LE-4", dealer, inn=organisation_inn(), kpp=""),
            ]
        },
    )

    paths = error_paths(response)
    assert set(paths) == {"items[2].inn", "items[3].kpp"}
    assert "checksum" in paths["items[2].inn"]
    assert not LegalEntity.objects.filter(erp_id__startswith="LE-").exists()
    assert ErpBatch.objects.get().status == ErpBatch.Status.REJECTED


def test_a_legal_entity_of_an_unknown_dealer_is_refused(world: World) -> None:
    response = push(world, "legal-entities", {"items": [entity("LE-1", "D-NONE")]})

    assert "items[0].dealer_id" in error_paths(response)
    assert not LegalEntity.objects.filter(erp_id="LE-1").exists()


def test_an_entity_the_portal_made_is_taken_over_by_inn_and_kpp(world: World) -> None:
    assert world.a_main.erp_id is None
    dealer = world.dealer_a.erp_id or ""

    response = push(
        world,
        "legal-entities",
        {
            "items": [
                entity(
                    "LE-A",
                    dealer,
                    inn=world.a_main.inn,
                    kpp=world.a_main.kpp,
                    name='ООО "ЭМЦ" (из 1С)',
                    is_main=True,
                )
            ]
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["updated"] == 1
    taken_over = LegalEntity.objects.get(pk=world.a_main.pk)
    assert taken_over.erp_id == "LE-A"
    assert taken_over.name == 'ООО "ЭМЦ" (из 1С)'
    assert LegalEntity.objects.filter(dealer=world.dealer_a).count() == 3


def test_inn_and_kpp_of_another_entity_are_refused(world: World) -> None:
    world.b_main.erp_id = "LE-B"
    world.b_main.save()

    response = push(
        world,
        "legal-entities",
        {
            "items": [
                entity(
                    "LE-X", world.dealer_a.erp_id or "", inn=world.b_main.inn, kpp=world.b_main.kpp
                )
            ]
        },
    )

    assert set(error_paths(response)) == {"items[0].inn"}
    assert not LegalEntity.objects.filter(erp_id="LE-X").exists()


def test_a_second_main_entity_needs_the_old_one_demoted(world: World) -> None:
    dealer = world.dealer_a.erp_id or ""
    world.a_main.erp_id = "LE-A-MAIN"
    world.a_main.save()
    new_main = entity("LE-A-NEW", dealer, is_main=True)

    refused = push(world, "legal-entities", {"items": [new_main]})

    assert "items[0].is_main" in error_paths(refused)
    assert not LegalEntity.objects.filter(erp_id="LE-A-NEW").exists()

    demoted = entity("LE-A-MAIN", dealer, inn=world.a_main.inn, kpp=world.a_main.kpp, is_main=False)
    accepted = push(world, "legal-entities", {"items": [new_main, demoted]})

    assert accepted.status_code == 200, accepted.content
    assert list(
        LegalEntity.objects.filter(dealer=world.dealer_a, is_main=True).values_list(
            "erp_id", flat=True
        )
    ) == ["LE-A-NEW"]


def test_demoting_the_main_entity_alone_is_refused(world: World) -> None:
    world.a_main.erp_id = "LE-A-MAIN"
    world.a_main.save()

    response = push(
        world,
        "legal-entities",
        {
            "items": [
                entity(
                    "LE-A-MAIN",
                    world.dealer_a.erp_id or "",
                    inn=world.a_main.inn,
                    kpp=world.a_main.kpp,
                )
            ]
        },
    )

    assert "items[0].is_main" in error_paths(response)
    world.a_main.refresh_from_db()
    assert world.a_main.is_main


def test_a_legal_entity_the_dealer_asked_for_approves_the_request(world: World) -> None:
    company_request = company_request_create(world.user(Persona.SUPERUSER))

    response = push(
        world,
        "legal-entities",
        {
            "items": [
                entity(
                    "LE-REQ",
                    world.dealer_a.erp_id or "",
                    inn=company_request.inn,
                    kpp=company_request.kpp,
                )
            ]
        },
    )

    assert response.status_code == 200, response.content
    company_request.refresh_from_db()
    assert company_request.status == CompanyRequest.Status.APPROVED
    assert company_request.legal_entity == LegalEntity.objects.get(erp_id="LE-REQ")
    assert company_request.decided_by is None
    assert OutboxEvent.objects.filter(kind="company.approved").count() == 1


# --- answers to company requests ------------------------------------------------------------


def dealer_page(world: World, company_request: CompanyRequest) -> str:
    page = world.client_for(Persona.SUPERUSER).get(
        reverse("companies:request_detail", args=[company_request.id])
    )
    assert page.status_code == 200
    return page.content.decode()


def test_the_erp_approves_a_request_and_the_dealer_sees_it(world: World) -> None:
    company_request = company_request_create(world.user(Persona.SUPERUSER))

    response = push(
        world,
        "company-request-resolutions",
        {
            "items": [
                {
                    "id": company_request.number,
                    "decision": "approved",
                    "legal_entity_id": "LE-APPROVED",
                }
            ]
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["updated"] == 1
    company_request.refresh_from_db()
    assert company_request.status == CompanyRequest.Status.APPROVED
    made = LegalEntity.objects.get(erp_id="LE-APPROVED")
    assert company_request.legal_entity == made
    assert (made.dealer, made.inn, made.kpp) == (
        world.dealer_a,
        company_request.inn,
        company_request.kpp,
    )
    assert not made.is_main
    page = dealer_page(world, company_request)
    assert 'data-testid="request-status">Approved<' in page
    assert f'data-testid="request-legal-entity">{escape(made.name)}<' in page


def test_an_approval_after_the_entity_was_sent_changes_nothing_more(world: World) -> None:
    company_request = company_request_create(world.user(Persona.SUPERUSER))
    sent = push(
        world,
        "legal-entities",
        {
            "items": [
                entity(
                    "LE-SENT",
                    world.dealer_a.erp_id or "",
                    inn=company_request.inn,
                    kpp=company_request.kpp,
                )
            ]
        },
    )
    assert sent.status_code == 200

    response = push(
        world,
        "company-request-resolutions",
        {
            "items": [
                {
                    "id": str(company_request.id),
                    "decision": "approved",
                    "legal_entity_id": "LE-SENT",
                }
            ]
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["updated"] == 0
    company_request.refresh_from_db()
    assert company_request.legal_entity == LegalEntity.objects.get(erp_id="LE-SENT")
    assert OutboxEvent.objects.filter(kind="company.approved").count() == 1


def test_the_erp_rejects_a_request_and_the_dealer_sees_the_reason(world: World) -> None:
    company_request = company_request_create(world.user(Persona.SUPERUSER))

    response = push(
        world,
        "company-request-resolutions",
        {
            "items": [
                {
                    "id": company_request.number,
                    "decision": "rejected",
                    "reason": "Организация в стадии ликвидации",
                }
            ]
        },
    )

    assert response.status_code == 200, response.content
    company_request.refresh_from_db()
    assert company_request.status == CompanyRequest.Status.REJECTED
    assert company_request.rejection_reason == "Организация в стадии ликвидации"
    assert company_request.decided_by is None
    page = dealer_page(world, company_request)
    assert 'data-testid="request-status">Rejected<' in page
    assert "Организация в стадии ликвидации" in page


def test_bad_resolutions_are_refused_and_change_nothing(world: World) -> None:
    first = company_request_create(world.user(Persona.SUPERUSER))
    second = company_request_create(world.user(Persona.SUPERUSER))

    response = push(
        world,
        "company-request-resolutions",
        {
            "items": [
                {"id": first.number, "decision": "approved", "legal_entity_id": "LE-OK"},
                {"id": second.number, "decision": "rejected"},
                {"id": "З-999999", "decision": "rejected", "reason": "нет"},
                {"id": second.number, "decision": "approved"},
                {"id": first.number, "decision": "maybe"},
            ]
        },
    )

    assert set(error_paths(response)) == {"items[4].decision"}
    response = push(
        world,
        "company-request-resolutions",
        {
            "items": [
                {"id": first.number, "decision": "approved", "legal_entity_id": "LE-OK"},
                {"id": second.number, "decision": "rejected"},
                {"id": "З-999999", "decision": "rejected", "reason": "нет"},
            ]
        },
    )

    assert set(error_paths(response)) == {"items[1].reason", "items[2].id"}
    first.refresh_from_db()
    assert first.status == CompanyRequest.Status.SUBMITTED
    assert not LegalEntity.objects.filter(erp_id="LE-OK").exists()


def test_a_rejected_request_cannot_be_approved_later(world: World) -> None:
    company_request = company_request_create(world.user(Persona.SUPERUSER))
    rejection = {"id": company_request.number, "decision": "rejected", "reason": "Дубль"}
    assert push(world, "company-request-resolutions", {"items": [rejection]}).status_code == 200
    again = push(world, "company-request-resolutions", {"items": [rejection]})
    assert again.status_code == 200
    assert again.json()["updated"] == 0

    response = push(
        world,
        "company-request-resolutions",
        {
            "items": [
                {"id": company_request.number, "decision": "approved", "legal_entity_id": "LE-1"}
            ]
        },
    )

    assert "items[0].decision" in error_paths(response)
    company_request.refresh_from_db()
    assert company_request.status == CompanyRequest.Status.REJECTED
    assert not LegalEntity.objects.filter(erp_id="LE-1").exists()


def test_an_approval_naming_another_dealers_entity_is_refused(world: World) -> None:
    world.b_main.erp_id = "LE-B"
    world.b_main.save()
    company_request = company_request_create(world.user(Persona.SUPERUSER))

    response = push(
        world,
        "company-request-resolutions",
        {
            "items": [
                {"id": company_request.number, "decision": "approved", "legal_entity_id": "LE-B"}
            ]
        },
    )

    assert "items[0].legal_entity_id" in error_paths(response)
    company_request.refresh_from_db()
    assert company_request.status == CompanyRequest.Status.SUBMITTED
