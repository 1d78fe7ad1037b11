from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import Persona, World
from dealerdesk.events.models import OutboxEvent
from dealerdesk.orders.models import Order
from dealerdesk.orders.tests.factories import order_create
from dealerdesk.shipments.models import Claim, Shipment
from dealerdesk.shipments.services import claim_status_set
from dealerdesk.shipments.tests.factories import shipment_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def shipment(world: World) -> Shipment:
    order: Order = order_create(
        legal_entity=world.a_main,
        author=world.user(Persona.EMPLOYEE_WITH_RIGHT),
        product=world.breaker,
        quantity=10,
    )
    return shipment_for(order, number="РН-0001")


def claim_form(client, shipment: Shipment, **fields: object):  # type: ignore[no-untyped-def]
    line = shipment.lines.get()
    data = {"reason": "defect", "quantity": "2", "description": "Не включается", **fields}
    return client.post(reverse("shipments:claim_create", args=[line.id]), data)


def test_shipments_follow_legal_entity_visibility(world: World, shipment: Shipment) -> None:
    other = shipment_for(
        order_create(legal_entity=world.a_sub1, author=None, product=world.breaker), number="РН-SUB"
    )
    main_page = (
        world.client_for(Persona.MAIN_ENTITY_USER)
        .get(reverse("shipments:shipment_list"))
        .content.decode()
    )
    sub_page = (
        world.client_for(Persona.SUBSIDIARY_USER)
        .get(reverse("shipments:shipment_list"))
        .content.decode()
    )
    assert "РН-0001" in main_page
    assert "РН-SUB" in main_page
    assert "РН-SUB" in sub_page
    assert "РН-0001" not in sub_page
    assert (
        world.client_for(Persona.SUBSIDIARY_USER)
        .get(reverse("shipments:shipment_detail", args=[shipment.id]))
        .status_code
        == 404
    )
    assert (
        world.client_for(Persona.SUBSIDIARY_USER)
        .get(reverse("shipments:shipment_detail", args=[other.id]))
        .status_code
        == 200
    )


def test_a_claim_is_filed_with_photos_and_reaches_the_erp_outbox(
    world: World, shipment: Shipment
) -> None:
    client = world.client_for(Persona.MAIN_ENTITY_USER)
    photo = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    response = claim_form(client, shipment, attachments=[photo])
    claim = Claim.objects.get()
    assert response["Location"] == reverse("shipments:claim_detail", args=[claim.id])
    assert claim.status == Claim.Status.SUBMITTED
    assert claim.attachments.get().content_type == "image/png"
    event = OutboxEvent.objects.get(kind="claim.filed")
    assert event.payload["number"] == claim.number
    assert event.payload["attachments"][0]["file_name"] == "photo.png"
    download = client.get(
        reverse("shipments:claim_attachment_download", args=[claim.attachments.get().id])
    )
    assert b"".join(download.streaming_content) == PNG


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"quantity": "11"}, "quantity"),
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "много"}, "quantity"),
        ({"reason": "boredom"}, "reason"),
        ({"description": "  "}, "description"),
    ],
)
def test_bad_claims_are_refused_with_the_reason_and_nothing_is_saved(
    world: World, shipment: Shipment, fields: dict[str, str], field: str
) -> None:
    response = claim_form(world.client_for(Persona.MAIN_ENTITY_USER), shipment, **fields)
    assert response.status_code == 422
    assert "is-invalid" in response.content.decode()
    assert not Claim.objects.exists()
    assert not OutboxEvent.objects.exists()


def test_claims_cannot_add_up_to_more_than_was_shipped(world: World, shipment: Shipment) -> None:
    client = world.client_for(Persona.MAIN_ENTITY_USER)
    claim_form(client, shipment, quantity="7")
    response = claim_form(client, shipment, quantity="4")
    assert response.status_code == 422
    assert Claim.objects.count() == 1
    claim_status_set(
        claim=Claim.objects.get(), status=Claim.Status.REJECTED, comment="Не гарантийный случай"
    )
    assert claim_form(client, shipment, quantity="4").status_code == 302


def test_attachments_are_checked_by_content(world: World, shipment: Shipment) -> None:
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an executable", content_type="image/jpeg")
    response = claim_form(world.client_for(Persona.MAIN_ENTITY_USER), shipment, attachments=[fake])
    assert response.status_code == 422
    assert "photo.jpg" in response.content.decode()
    assert not Claim.objects.exists()


def test_the_supplier_answer_is_shown_to_the_dealer(world: World, shipment: Shipment) -> None:
    client = world.client_for(Persona.MAIN_ENTITY_USER)
    claim_form(client, shipment)
    claim = Claim.objects.get()
    claim_status_set(
        claim=claim, status=Claim.Status.ACCEPTED, comment="Заменим при следующей отгрузке"
    )
    page = client.get(reverse("shipments:claim_detail", args=[claim.id])).content.decode()
    assert "Заменим при следующей отгрузке" in page
    assert 'data-testid="claim-status">Принята' in page


def test_claims_need_the_claims_right(world: World, shipment: Shipment) -> None:
    buyer = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)  # may order, may not claim
    assert buyer.get(reverse("shipments:claim_list")).status_code == 403
    assert claim_form(buyer, shipment).status_code == 404
    assert not Claim.objects.exists()


def test_the_superuser_filters_claims_by_author(world: World, shipment: Shipment) -> None:
    # given claims filed by two employees
    main_user = world.client_for(Persona.MAIN_ENTITY_USER)
    superuser = world.client_for(Persona.SUPERUSER)
    claim_form(main_user, shipment, quantity="1")
    claim_form(superuser, shipment, quantity="1", description="Царапины на корпусе")
    url = reverse("shipments:claim_list")
    # when the superuser filters by the main entity's user
    author = world.user(Persona.MAIN_ENTITY_USER)
    response = superuser.get(url, {"author": author.id})
    # then only that employee's claim is listed, and both authors are offered in the filter
    assert [claim.author for claim in response.context["page"]] == [author]
    assert set(response.context["authors"]) == {author, world.user(Persona.SUPERUSER)}
    assert len(superuser.get(url).context["page"]) == 2


def test_a_dealer_comment_is_signed_with_its_author_for_colleagues_and_the_supplier(
    world: World, shipment: Shipment
) -> None:
    filer = world.client_for(Persona.MAIN_ENTITY_USER)
    claim_form(filer, shipment)
    claim = Claim.objects.get()
    colleague = world.user(Persona.SUPERUSER)
    url = reverse("shipments:claim_comment", args=[claim.id])

    response = world.client_for(Persona.SUPERUSER).post(url, {"comment": "Фото во вложении"})

    assert response["Location"] == reverse("shipments:claim_detail", args=[claim.id])
    event = claim.events.last()
    assert event is not None
    assert (event.comment, event.by_supplier, event.author) == (
        "Фото во вложении",
        False,
        colleague,
    )
    page = filer.get(reverse("shipments:claim_detail", args=[claim.id])).content.decode()
    assert "Фото во вложении" in page
    assert colleague.display_name in page
    manager_page = world.client_for(Persona.MANAGER).get(
        reverse("manager:claim_detail", args=[claim.id])
    )
    assert colleague.display_name in manager_page.content.decode()
    # An empty comment is refused and adds nothing.
    events = claim.events.count()
    world.client_for(Persona.SUPERUSER).post(url, {"comment": "   "})
    assert claim.events.count() == events
