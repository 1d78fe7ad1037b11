from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import Persona, World
from dealerdesk.accounts import services
from dealerdesk.accounts.models import AccountEvent
from dealerdesk.orders.models import DraftLine, DraftOrder, Order, OrderNote
from dealerdesk.orders.tests.factories import draft_line_create, order_create
from dealerdesk.shipments.models import Claim
from dealerdesk.shipments.services import claim_file
from dealerdesk.shipments.tests.factories import shipment_for


def claim_on(world: World, order: Order, author) -> Claim:  # type: ignore[no-untyped-def]
    return claim_file(
        user=author,
        shipment_line=shipment_for(order).lines.get(),
        reason="defect",
        quantity=Decimal(1),
        description="брак",
        attachments=[SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 8)],
    )


@pytest.fixture
def leaver_work(world: World) -> dict[str, object]:
    """The main-entity user's work: orders, a claim, drafts and a note on two legal entities."""
    leaver = world.user(Persona.MAIN_ENTITY_USER)
    main_orders = [
        order_create(legal_entity=world.a_main, author=leaver, product=world.breaker)
        for _ in range(2)
    ]
    sub_order = order_create(legal_entity=world.a_sub1, author=leaver, product=world.breaker)
    main_claim = claim_on(world, main_orders[0], leaver)
    sub_claim = claim_on(world, sub_order, leaver)
    draft_line_create(user=leaver, legal_entity=world.a_main, product=world.breaker)
    draft_line_create(user=leaver, legal_entity=world.a_sub1, product=world.breaker, quantity=2)
    draft_line_create(user=leaver, legal_entity=world.a_sub1, product=world.cable_product)
    note = OrderNote.objects.create(order=sub_order, author=leaver, text="позвонить снабженцу")
    return {
        "leaver": leaver,
        "main_orders": main_orders,
        "sub_order": sub_order,
        "main_claim": main_claim,
        "sub_claim": sub_claim,
        "note": note,
    }


def test_work_moves_only_where_the_colleague_may_see_it(
    world: World, leaver_work: dict[str, object]
) -> None:
    # given a colleague of subsidiary 1 who already has a cart there with the same breaker
    colleague = world.user(Persona.SUBSIDIARY_USER)
    draft_line_create(user=colleague, legal_entity=world.a_sub1, product=world.breaker)
    leaver = leaver_work["leaver"]
    # when the superuser hands the leaver's work over
    response = world.client_for(Persona.SUPERUSER).post(
        reverse("accounts:employee_reassign", args=[leaver.id]),
        {"target": colleague.id},
        follow=True,
    )
    # then subsidiary 1's order, claim and cart moved; the main entity's stayed
    page = response.content.decode()
    assert "Handed over to" in page
    assert "1 draft order, 1 order, 1 claim." in page
    assert "4 items were not moved" in page
    assert list(Order.objects.filter(author=colleague)) == [leaver_work["sub_order"]]
    assert Order.objects.filter(author=leaver).count() == 2
    assert list(Claim.objects.filter(author=colleague)) == [leaver_work["sub_claim"]]
    assert list(Claim.objects.filter(author=leaver)) == [leaver_work["main_claim"]]
    # the carts of subsidiary 1 merged: quantities of the same product add up
    merged = DraftOrder.objects.get(user=colleague, legal_entity=world.a_sub1)
    quantities = dict(merged.lines.values_list("product_id", "quantity"))
    assert quantities == {world.breaker.id: Decimal(3), world.cable_product.id: Decimal(1)}
    assert not DraftOrder.objects.filter(user=leaver, legal_entity=world.a_sub1).exists()
    assert DraftOrder.objects.get(user=leaver, legal_entity=world.a_main).lines.count() == 1
    # private notes stay with their author
    note = OrderNote.objects.get(pk=leaver_work["note"].pk)
    assert note.author_id == leaver.id
    event = AccountEvent.objects.get(action="reassigned")
    assert event.details["moved"] == {"drafts": 1, "orders": 1, "claims": 1}
    assert event.details["kept"] == {"drafts": 1, "orders": 2, "claims": 1}
    assert event.target_id == leaver.id


def test_a_draft_moves_whole_when_the_colleague_has_none(
    world: World, leaver_work: dict[str, object]
) -> None:
    colleague = world.user(Persona.SUPERUSER)  # sees and may order for every legal entity
    leaver = leaver_work["leaver"]
    result = services.employee_reassign(actor=colleague, employee=leaver, target=colleague)
    assert result.moved == {"drafts": 2, "orders": 3, "claims": 2}
    assert result.kept_total == 0
    assert DraftLine.objects.filter(draft__user=colleague).count() == 3
    assert not DraftOrder.objects.filter(user=leaver).exists()
    assert OrderNote.objects.get().author_id == leaver.id


def test_work_cannot_go_to_a_blocked_or_foreign_employee_or_to_oneself(
    world: World, leaver_work: dict[str, object]
) -> None:
    boss = world.user(Persona.SUPERUSER)
    leaver = leaver_work["leaver"]
    with pytest.raises(ValidationError):
        services.employee_reassign(actor=boss, employee=leaver, target=world.user(Persona.BLOCKED))
    with pytest.raises(ValidationError):
        services.employee_reassign(actor=boss, employee=leaver, target=leaver)
    client = world.client_for(Persona.SUPERUSER)
    foreign = client.post(
        reverse("accounts:employee_reassign", args=[leaver.id]),
        {"target": world.user(Persona.OTHER_DEALER).id},
    )
    assert foreign.status_code == 404
    assert Order.objects.filter(author=leaver).count() == 3
    assert not AccountEvent.objects.exists()
