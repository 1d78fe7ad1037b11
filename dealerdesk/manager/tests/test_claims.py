"""The manager's claims: the list across dealers, the claim page, status changes and comments
the dealer sees."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import Persona, World
from dealerdesk.orders.tests.factories import order_create
from dealerdesk.shipments.models import Claim, ClaimEvent
from dealerdesk.shipments.services import claim_file
from dealerdesk.shipments.tests.factories import shipment_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def claim_for(
    world: World, persona: Persona = Persona.SUPERUSER, description: str = "брак"
) -> Claim:
    user = world.user(persona)
    entity = world.a_main if persona is Persona.SUPERUSER else world.b_main
    order = order_create(legal_entity=entity, author=user, product=world.breaker, quantity=3)
    return claim_file(
        user=user,
        shipment_line=shipment_for(order).lines.get(),
        reason="defect",
        quantity=Decimal(1),
        description=description,
        attachments=[SimpleUploadedFile("photo.png", PNG)],
    )


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


# --- The list -------------------------------------------------------------------------------


def test_the_claim_list_shows_claims_of_every_dealer_with_their_age(world: World) -> None:
    a_claim = claim_for(world)
    b_claim = claim_for(world, Persona.OTHER_DEALER)
    Claim.objects.filter(id=a_claim.id).update(
        created_at=timezone.now() - datetime.timedelta(days=5)
    )

    page = html(world.client_for(Persona.MANAGER).get(reverse("manager:claim_list")))

    row_a = page.split(f'data-claim-id="{a_claim.id}"')[1].split("</tr>")[0]
    row_b = page.split(f'data-claim-id="{b_claim.id}"')[1].split("</tr>")[0]
    assert world.dealer_a.name in row_a
    assert "5\xa0days" in row_a
    assert world.dealer_b.name in row_b
    # Five days without an answer is overdue; a fresh claim is not.
    assert 'class="dd-row-overdue"' in page.split(f'data-claim-id="{a_claim.id}"')[1][:40]
    assert "dd-row-overdue" not in page.split(f'data-claim-id="{b_claim.id}"')[1][:40]


def test_the_claim_list_filters_by_status_and_dealer(world: World) -> None:
    submitted = claim_for(world)
    accepted = claim_for(world, description="трещина")
    Claim.objects.filter(id=accepted.id).update(status=Claim.Status.ACCEPTED)
    in_review = claim_for(world, Persona.OTHER_DEALER)
    Claim.objects.filter(id=in_review.id).update(status=Claim.Status.IN_REVIEW)
    client = world.client_for(Persona.MANAGER)
    url = reverse("manager:claim_list")

    def listed(**query: str) -> set[int]:
        return {
            claim.id
            for claim in (submitted, accepted, in_review)
            if f'data-claim-id="{claim.id}"' in html(client.get(url, query))
        }

    assert listed() == {submitted.id, accepted.id, in_review.id}
    assert listed(status="accepted") == {accepted.id}
    assert listed(status="open") == {submitted.id, in_review.id}
    assert listed(dealer=str(world.dealer_a.id)) == {submitted.id, accepted.id}
    assert listed(status="open", dealer=str(world.dealer_b.id)) == {in_review.id}
    # What cannot be read is ignored.
    assert listed(status="lost", dealer="x") == {submitted.id, accepted.id, in_review.id}


def test_the_claim_list_reads_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:
    client = world.client_for(Persona.MANAGER)
    client.get(reverse("manager:claim_list"))
    # Session, user, assigned dealers, count, page, dealers for the filter, supplier settings.
    with django_assert_max_num_queries(7):
        client.get(reverse("manager:claim_list"))
    for _ in range(3):
        claim_for(world)
        claim_for(world, Persona.OTHER_DEALER)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("manager:claim_list"))
    assert html(response).count("data-claim-id=") == 6


# --- The claim page -------------------------------------------------------------------------


def test_the_claim_page_shows_the_claim_its_files_and_history(world: World) -> None:
    claim = claim_for(world, description="сгорел при включении")
    claim_comment = ClaimEvent.objects.create(
        claim=claim, at=timezone.now(), comment="фото приложили", by_supplier=False
    )

    page = html(
        world.client_for(Persona.MANAGER).get(reverse("manager:claim_detail", args=[claim.id]))
    )

    assert claim.number in page
    assert "сгорел при включении" in page
    assert claim_comment.comment in page
    attachment = claim.attachments.get()
    assert reverse("manager:claim_attachment_download", args=[attachment.id]) in page
    assert reverse("manager:shipment_detail", args=[claim.shipment_id]) in page
    assert 'data-testid="claim-status-form"' in page
    assert 'data-testid="claim-comment-form"' in page


def test_the_manager_downloads_a_claim_attachment(world: World) -> None:
    attachment = claim_for(world).attachments.get()
    response = world.client_for(Persona.MANAGER).get(
        reverse("manager:claim_attachment_download", args=[attachment.id])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"


# --- Status changes and comments ------------------------------------------------------------


def test_a_status_change_with_a_comment_is_shown_to_the_dealer(world: World) -> None:
    claim = claim_for(world)
    client = world.client_for(Persona.MANAGER)

    response = client.post(
        reverse("manager:claim_status", args=[claim.id]),
        {"status": "accepted", "comment": "Заменим в следующей отгрузке"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("manager:claim_detail", args=[claim.id])
    assert "The dealer sees it on the claim page." in html(response)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ACCEPTED
    event = claim.events.last()
    assert event is not None
    assert (event.status, event.comment, event.by_supplier) == (
        "accepted",
        "Заменим в следующей отгрузке",
        True,
    )
    dealer_page = html(
        world.client_for(Persona.SUPERUSER).get(reverse("shipments:claim_detail", args=[claim.id]))
    )
    assert "Заменим в следующей отгрузке" in dealer_page
    assert 'data-testid="claim-status">Accepted<' in dealer_page
    # Both sides see who wrote what: the manager's name, and the employee who filed it.
    manager, filer = world.user(Persona.MANAGER), world.user(Persona.SUPERUSER)
    assert event.author == manager
    assert f"supplier, {manager.display_name}" in dealer_page
    manager_page = html(client.get(reverse("manager:claim_detail", args=[claim.id])))
    assert f"dealer, {filer.display_name}" in manager_page
    assert f"supplier, {manager.display_name}" in manager_page


def test_a_status_change_needs_no_comment(world: World) -> None:
    claim = claim_for(world)
    response = world.client_for(Persona.HEAD_MANAGER).post(
        reverse("manager:claim_status", args=[claim.id]), {"status": "in_review"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    assert claim.events.filter(status="in_review", comment="", by_supplier=True).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "lost", "comment": "x"}, "Select a valid choice."),
        ({"status": ""}, "This field is required."),
        ({"status": "submitted"}, "The claim already has this status"),
        ({"status": "accepted", "comment": "я" * 4001}, "at most 4000 characters"),
    ],
)
def test_a_wrong_status_change_is_refused_and_changes_nothing(
    world: World, data: dict[str, str], message: str
) -> None:
    claim = claim_for(world)
    events = claim.events.count()

    response = world.client_for(Persona.MANAGER).post(
        reverse("manager:claim_status", args=[claim.id]), data
    )

    assert response.status_code == 422
    assert message in html(response)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    assert claim.events.count() == events


def test_a_comment_reaches_the_dealer(world: World) -> None:
    claim = claim_for(world)

    response = world.client_for(Persona.MANAGER).post(
        reverse("manager:claim_comment", args=[claim.id]),
        {"comment": "  Пришлите фото маркировки  "},
        follow=True,
    )

    assert "The comment is sent to the dealer." in html(response)
    event = claim.events.last()
    assert event is not None
    assert (event.status, event.comment, event.by_supplier, event.author) == (
        "",
        "Пришлите фото маркировки",
        True,
        world.user(Persona.MANAGER),
    )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    dealer_page = html(
        world.client_for(Persona.SUPERUSER).get(reverse("shipments:claim_detail", args=[claim.id]))
    )
    assert "Пришлите фото маркировки" in dealer_page


@pytest.mark.parametrize("comment", ["", "   "])
def test_an_empty_comment_is_refused(world: World, comment: str) -> None:
    claim = claim_for(world)
    events = claim.events.count()
    response = world.client_for(Persona.MANAGER).post(
        reverse("manager:claim_comment", args=[claim.id]), {"comment": comment}
    )
    assert response.status_code == 422
    assert "The comment is empty." in html(response)
    assert claim.events.count() == events


# --- Scoping --------------------------------------------------------------------------------


def test_a_manager_of_dealer_b_neither_sees_nor_changes_dealer_a_claims(world: World) -> None:
    world.dealer_b.managers.add(world.user(Persona.MANAGER))
    a_claim = claim_for(world)
    b_claim = claim_for(world, Persona.OTHER_DEALER)
    client = world.client_for(Persona.MANAGER)
    events = ClaimEvent.objects.count()

    listed = html(client.get(reverse("manager:claim_list")))
    assert f'data-claim-id="{b_claim.id}"' in listed
    assert f'data-claim-id="{a_claim.id}"' not in listed
    assert world.dealer_a.name not in listed  # not even in the dealer filter
    assert client.get(reverse("manager:claim_detail", args=[a_claim.id])).status_code == 404
    attachment = a_claim.attachments.get()
    download = client.get(reverse("manager:claim_attachment_download", args=[attachment.id]))
    assert download.status_code == 404
    status = client.post(reverse("manager:claim_status", args=[a_claim.id]), {"status": "rejected"})
    comment = client.post(reverse("manager:claim_comment", args=[a_claim.id]), {"comment": "x"})
    assert (status.status_code, comment.status_code) == (404, 404)
    a_claim.refresh_from_db()
    assert a_claim.status == Claim.Status.SUBMITTED
    assert ClaimEvent.objects.count() == events
    assert client.get(reverse("manager:claim_detail", args=[b_claim.id])).status_code == 200


def test_a_head_manager_sees_every_claim(world: World) -> None:
    world.dealer_b.managers.add(world.user(Persona.HEAD_MANAGER))
    a_claim = claim_for(world)
    client = world.client_for(Persona.HEAD_MANAGER)
    assert f'data-claim-id="{a_claim.id}"' in html(client.get(reverse("manager:claim_list")))
    assert client.get(reverse("manager:claim_detail", args=[a_claim.id])).status_code == 200


def test_a_dealer_cannot_answer_its_own_claim_as_the_supplier(world: World) -> None:
    claim = claim_for(world)
    client = world.client_for(Persona.SUPERUSER)
    response = client.post(reverse("manager:claim_status", args=[claim.id]), {"status": "accepted"})
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    assert not claim.events.filter(by_supplier=True).exists()
