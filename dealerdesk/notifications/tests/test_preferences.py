"""The notification settings page: each user switches off the e-mails they do not want."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from conftest import Persona, World
from dealerdesk.notifications.models import NotificationKind, NotificationOptOut

URL = reverse("notifications:preferences")


def switches(page: str) -> dict[str, bool]:
    """The switches on the page: kind -> checked."""
    return {
        kind: " checked" in attributes
        for attributes, kind in re.findall(r'(<input[^>]*value="(\w+)"[^>]*>)', page)
        if "notification-" in attributes
    }


@pytest.mark.parametrize(
    ("persona", "kinds"),
    [
        (
            Persona.EMPLOYEE_WITH_RIGHT,
            ["order_placed", "order_status_changed", "needs_answered"],
        ),
        (
            Persona.MAIN_ENTITY_USER,
            ["order_placed", "order_status_changed", "needs_answered", "claim_status_changed"],
        ),
        (
            Persona.SUPERUSER,
            [
                "order_placed",
                "order_status_changed",
                "needs_answered",
                "claim_status_changed",
                "company_request_decided",
            ],
        ),
        (Persona.MANAGER, ["order_placed"]),
        (Persona.HEAD_MANAGER, ["order_placed"]),
        (Persona.NO_ACCESS, []),
    ],
)
def test_the_page_offers_the_e_mails_that_concern_the_user_all_on_by_default(
    world: World, persona: Persona, kinds: list[str]
) -> None:
    response = world.client_for(persona).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert switches(page) == dict.fromkeys(kinds, True)
    assert ('data-testid="notification-none"' in page) is (kinds == [])


def test_saving_switches_off_what_is_unchecked_and_says_so(world: World) -> None:
    boss = world.user(Persona.SUPERUSER)
    client = world.client_for(Persona.SUPERUSER)

    response = client.post(URL, {"enabled": ["order_placed", "needs_answered"]})

    assert response.status_code == 302
    assert response["Location"] == URL
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Your notification settings are saved."
    ]
    assert sorted(NotificationOptOut.objects.filter(user=boss).values_list("kind", flat=True)) == [
        "claim_status_changed",
        "company_request_decided",
        "order_status_changed",
    ]
    assert switches(client.get(URL).content.decode()) == {
        "order_placed": True,
        "order_status_changed": False,
        "needs_answered": True,
        "claim_status_changed": False,
        "company_request_decided": False,
    }


def test_checking_a_switch_again_turns_the_e_mail_back_on(world: World) -> None:
    manager = world.user(Persona.MANAGER)
    NotificationOptOut.objects.create(user=manager, kind=NotificationKind.ORDER_PLACED)

    world.client_for(Persona.MANAGER).post(URL, {"enabled": ["order_placed"]})

    assert not NotificationOptOut.objects.filter(user=manager).exists()


def test_saving_leaves_e_mails_that_do_not_concern_the_user_alone(world: World) -> None:
    buyer = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    # Switched off while the buyer still held the claims right.
    NotificationOptOut.objects.create(user=buyer, kind=NotificationKind.CLAIM_STATUS_CHANGED)

    world.client_for(Persona.EMPLOYEE_WITH_RIGHT).post(
        URL, {"enabled": ["order_placed", "needs_answered", "company_request_decided", "bogus"]}
    )

    assert sorted(NotificationOptOut.objects.filter(user=buyer).values_list("kind", flat=True)) == [
        "claim_status_changed",
        "order_status_changed",
    ]


def test_one_users_settings_do_not_touch_anothers(world: World) -> None:
    world.client_for(Persona.OTHER_DEALER).post(URL, {})

    assert set(NotificationOptOut.objects.values_list("user__email", flat=True)) == {
        "boss@b.example"
    }
    assert NotificationOptOut.objects.count() == 5
