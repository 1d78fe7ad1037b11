from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conftest import Persona, World
from dealerdesk.accounts import services
from dealerdesk.accounts.models import AccountEvent, Membership, User, UserSession
from dealerdesk.accounts.tests.conftest import sign_in, time_shift
from dealerdesk.accounts.tests.factories import (
    PASSWORD,
    InvitedUserFactory,
    MembershipFactory,
    TwoFactorDeviceFactory,
    UserFactory,
)
from dealerdesk.accounts.tokens import INVITATION_VALIDITY
from dealerdesk.tenancy.rights import Right

NEW_PASSWORD = "Ламповый-шкаф-2024"


def create_form(world: World, **fields: str) -> dict[str, str]:
    return {
        "email": "new.buyer@a.example",
        "full_name": "Петров Пётр",
        "phone": "+7 900 000-00-00",
        f"entity-{world.a_main.id}-attached": "on",
        f"entity-{world.a_main.id}-place_orders": "on",
        f"entity-{world.a_sub2.id}-see_finance": "on",  # a right alone attaches the entity
        **fields,
    }


def invitation_link(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def superuser(world: World) -> User:
    return world.user(Persona.SUPERUSER)


# --- Creating employees and inviting them ---------------------------------------------------


def test_superuser_adds_an_employee_who_is_invited_by_e_mail(
    world: World, django_capture_on_commit_callbacks
) -> None:
    client = world.client_for(Persona.SUPERUSER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:employee_create"), create_form(world))
    employee = User.objects.get(email="new.buyer@a.example")
    assert response["Location"] == reverse("accounts:employee_detail", args=[employee.id])
    assert employee.dealer_id == world.dealer_a.id
    assert employee.has_usable_password() is False
    assert employee.status == "invited"
    rights = {m.legal_entity_id: m.rights for m in Membership.objects.filter(user=employee)}
    assert rights == {world.a_main.id: [Right.PLACE_ORDERS], world.a_sub2.id: [Right.SEE_FINANCE]}
    assert [message.to for message in mail.outbox] == [["new.buyer@a.example"]]
    assert "/accounts/invitation/" in mail.outbox[0].body
    actions = list(AccountEvent.objects.filter(target=employee).values_list("action", flat=True))
    assert sorted(actions) == ["created", "invited"]


def test_an_e_mail_already_taken_is_refused_in_any_case(world: World) -> None:
    client = world.client_for(Persona.SUPERUSER)
    response = client.post(
        reverse("accounts:employee_create"), create_form(world, email="  Buyer@A.Example ")
    )
    assert response.status_code == 422
    assert "A user with this e-mail already exists" in response.content.decode()
    assert User.objects.filter(email="buyer@a.example").count() == 1
    assert not AccountEvent.objects.exists()
    assert mail.outbox == []


def test_an_employee_needs_a_name_a_valid_e_mail_and_a_legal_entity(world: World) -> None:
    form = {"email": "not-an-address", "full_name": " ", "phone": ""}
    response = world.client_for(Persona.SUPERUSER).post(reverse("accounts:employee_create"), form)
    page = response.content.decode()
    assert response.status_code == 422
    assert "Attach the employee to at least one legal entity." in page
    assert "Enter the employee&#x27;s full name." in page
    assert "Enter a valid email address." in page
    assert page.count("is-invalid") == 2  # the e-mail and the name inputs
    assert User.objects.filter(dealer=world.dealer_a).count() == 6


def test_another_dealers_legal_entity_cannot_be_granted(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        services.employee_create(
            actor=superuser(world),
            email="spy@a.example",
            full_name="Шпион",
            rights={world.b_main.id: {Right.SEE_PRICES}},
            site_url="http://testserver",
        )
    assert "rights" in refused.value.message_dict
    assert not User.objects.filter(email="spy@a.example").exists()


def test_only_a_dealer_superuser_may_manage_employees_even_in_services(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.employee_block(
            actor=world.user(Persona.MAIN_ENTITY_USER),
            employee=world.user(Persona.EMPLOYEE_WITH_RIGHT),
        )
    with pytest.raises(PermissionDenied):
        services.employee_block(
            actor=world.user(Persona.OTHER_DEALER), employee=world.user(Persona.EMPLOYEE_WITH_RIGHT)
        )
    assert world.user(Persona.EMPLOYEE_WITH_RIGHT).is_active is True


def test_the_invitation_link_sets_the_password_signs_in_and_then_dies(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        world.client_for(Persona.SUPERUSER).post(
            reverse("accounts:employee_create"), create_form(world)
        )
    link = invitation_link(mail.outbox[0])
    browser = Client()
    assert browser.get(link).status_code == 200
    weak = browser.post(link, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 422
    response = browser.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    employee = User.objects.get(email="new.buyer@a.example")
    assert response["Location"] == reverse("home")
    assert browser.session["_auth_user_id"] == str(employee.pk)
    assert employee.check_password(NEW_PASSWORD)
    assert AccountEvent.objects.filter(target=employee, action="password_set").count() == 1
    # The password changed the token's hash: the same link no longer works.
    again = Client().get(link)
    assert again.status_code == 404
    assert 'data-testid="invitation-invalid"' in again.content.decode()


def test_a_new_invitation_kills_the_previous_link(
    world: World, django_capture_on_commit_callbacks
) -> None:
    invited = InvitedUserFactory(email="later@a.example", dealer=world.dealer_a)
    MembershipFactory(user=invited, legal_entity=world.a_main)
    client = world.client_for(Persona.SUPERUSER)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:employee_invite", args=[invited.id]))
        client.post(reverse("accounts:employee_invite", args=[invited.id]))
    first, second = (invitation_link(message) for message in mail.outbox)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    assert AccountEvent.objects.filter(target=invited, action="invited").count() == 2


def test_an_invitation_expires_after_a_week(world: World) -> None:
    invited = InvitedUserFactory(email="slow@a.example", dealer=world.dealer_a)
    link = services.invitation_url(invited, site_url="")
    with time_shift(INVITATION_VALIDITY - INVITATION_VALIDITY / 7):
        assert Client().get(link).status_code == 200
    with mock_token_clock(INVITATION_VALIDITY.total_seconds() + 60):
        assert Client().get(link).status_code == 404


def mock_token_clock(seconds_later: float):  # type: ignore[no-untyped-def]
    """The token generator reads a naive `datetime.now()`; move it forward."""
    from datetime import datetime, timedelta
    from unittest import mock

    from dealerdesk.accounts.tokens import InvitationTokenGenerator

    moment = datetime.now() + timedelta(seconds=seconds_later)  # noqa: DTZ005
    return mock.patch.object(InvitationTokenGenerator, "_now", return_value=moment)


def test_an_employee_who_set_a_password_cannot_be_invited_again(world: World) -> None:
    client = world.client_for(Persona.SUPERUSER)
    employee = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    response = client.post(reverse("accounts:employee_invite", args=[employee.id]), follow=True)
    assert "has already set a password" in response.content.decode()
    assert not AccountEvent.objects.exists()


# --- Editing rights -------------------------------------------------------------------------


def test_saving_the_employee_page_changes_rights_and_logs_before_and_after(world: World) -> None:
    employee = world.user(Persona.EMPLOYEE_WITH_RIGHT)  # a_main: place orders, see prices
    form = {
        "full_name": "Покупатель Иван",
        "phone": "+7 495 123-45-67",
        f"entity-{world.a_main.id}-place_orders": "on",
        f"entity-{world.a_sub1.id}-attached": "on",
        f"entity-{world.a_sub1.id}-manage_claims": "on",
    }
    response = world.client_for(Persona.SUPERUSER).post(
        reverse("accounts:employee_detail", args=[employee.id]), form
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert (employee.full_name, employee.phone) == ("Покупатель Иван", "+7 495 123-45-67")
    rights = {m.legal_entity_id: m.rights for m in Membership.objects.filter(user=employee)}
    assert rights == {world.a_main.id: [Right.PLACE_ORDERS], world.a_sub1.id: [Right.MANAGE_CLAIMS]}
    event = AccountEvent.objects.get(action="rights_changed")
    assert event.actor == superuser(world)
    assert event.dealer_id == world.dealer_a.id
    main = str(world.a_main.id)
    assert event.details["before"]["entities"][main]["rights"] == ["place_orders", "see_prices"]
    assert event.details["after"]["entities"][main]["rights"] == ["place_orders"]
    profile = AccountEvent.objects.get(action="profile_changed")
    assert profile.details["after"] == {
        "full_name": "Покупатель Иван",
        "phone": "+7 495 123-45-67",
    }


def test_saving_without_changes_logs_nothing(world: World) -> None:
    employee = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    form = {
        "full_name": employee.full_name,
        "phone": employee.phone,
        f"entity-{world.a_main.id}-place_orders": "on",
        f"entity-{world.a_main.id}-see_prices": "on",
    }
    client = world.client_for(Persona.SUPERUSER)
    response = client.post(reverse("accounts:employee_detail", args=[employee.id]), form)
    assert response.status_code == 302
    assert not AccountEvent.objects.exists()


def test_a_superuser_cannot_take_away_their_own_status_or_block_themselves(world: World) -> None:
    boss = superuser(world)
    client = world.client_for(Persona.SUPERUSER)
    form = {"full_name": "Босс", "phone": "", f"entity-{world.a_main.id}-attached": "on"}
    response = client.post(reverse("accounts:employee_detail", args=[boss.id]), form)
    assert response.status_code == 422
    assert "You cannot take away your own superuser status" in response.content.decode()
    blocked = client.post(reverse("accounts:employee_block", args=[boss.id]), follow=True)
    assert "You cannot block yourself." in blocked.content.decode()
    boss.refresh_from_db()
    assert (boss.is_dealer_superuser, boss.is_active, boss.full_name) == (
        True,
        True,
        boss.full_name,
    )
    assert not AccountEvent.objects.exists()


def test_a_superuser_employee_keeps_implicit_rights_and_memberships(world: World) -> None:
    colleague = UserFactory(email="deputy@a.example", dealer=world.dealer_a)
    MembershipFactory(user=colleague, legal_entity=world.a_sub1)
    services.employee_rights_set(
        actor=superuser(world), employee=colleague, rights={}, is_dealer_superuser=True
    )
    colleague.refresh_from_db()
    assert colleague.is_dealer_superuser is True
    assert Membership.objects.filter(user=colleague).count() == 1
    event = AccountEvent.objects.get(action="rights_changed")
    assert (event.details["before"]["superuser"], event.details["after"]["superuser"]) == (
        False,
        True,
    )
    page = world.client_for(Persona.SUPERUSER).get(
        reverse("accounts:employee_detail", args=[colleague.id])
    )
    assert 'data-testid="superuser-note"' in page.content.decode()


# --- Blocking -------------------------------------------------------------------------------


def test_blocking_ends_the_employees_open_session_at_once(world: World) -> None:
    employee = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    browser = Client()
    sign_in(browser, employee.email)
    assert browser.get(reverse("catalog:product_list")).status_code == 200
    session_key = browser.session.session_key
    assert UserSession.objects.filter(user=employee, session_key=session_key).exists()

    response = world.client_for(Persona.SUPERUSER).post(
        reverse("accounts:employee_block", args=[employee.id])
    )

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not UserSession.objects.filter(user=employee).exists()
    after = browser.get(reverse("catalog:product_list"))
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("accounts:login"))
    event = AccountEvent.objects.get(action="blocked")
    assert event.details == {"sessions": 1}


def test_blocking_ends_sessions_kept_in_the_cache_too(world: World, settings) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    employee = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    browser = Client()
    sign_in(browser, employee.email)
    assert browser.get(reverse("catalog:product_list")).status_code == 200
    from django.contrib.sessions.backends.cache import SessionStore

    key = browser.cookies["sessionid"].value
    assert SessionStore(session_key=key).exists(key)

    services.employee_block(actor=superuser(world), employee=employee)

    assert not SessionStore(session_key=key).exists(key)
    assert browser.get(reverse("catalog:product_list"))["Location"].startswith(
        reverse("accounts:login")
    )


def test_an_unblocked_employee_signs_in_again(world: World) -> None:
    blocked = world.user(Persona.BLOCKED)
    client = world.client_for(Persona.SUPERUSER)
    response = client.post(reverse("accounts:employee_unblock", args=[blocked.id]))
    assert response.status_code == 302
    blocked.refresh_from_db()
    assert blocked.is_active is True
    assert sign_in(Client(), blocked.email).status_code == 302
    assert AccountEvent.objects.filter(target=blocked, action="unblocked").count() == 1


# --- The list -------------------------------------------------------------------------------


def test_the_list_shows_status_rights_and_filters(world: World) -> None:
    InvitedUserFactory(email="fresh@a.example", full_name="Новиков", dealer=world.dealer_a)
    client = world.client_for(Persona.SUPERUSER)
    page = client.get(reverse("accounts:employee_list")).content.decode()
    assert page.count('data-testid="employee-row"') == 7
    assert 'data-status="invited"' in page
    assert 'data-status="blocked"' in page
    assert "boss@b.example" not in page
    invited = client.get(reverse("accounts:employee_list"), {"status": "invited"}).content.decode()
    assert invited.count('data-testid="employee-row"') == 1
    assert "fresh@a.example" in invited
    found = client.get(reverse("accounts:employee_list"), {"q": "BUYER@"}).content.decode()
    assert found.count('data-testid="employee-row"') == 1
    assert "buyer@a.example" in found


def test_the_list_takes_a_fixed_number_of_queries(world: World, django_assert_num_queries) -> None:
    client = world.client_for(Persona.SUPERUSER)
    client.get(reverse("accounts:employee_list"))  # warm the session
    for index in range(5):
        employee = UserFactory(email=f"many{index}@a.example", dealer=world.dealer_a)
        MembershipFactory(user=employee, legal_entity=world.a_sub1)
    # session, user, scope, header legal entities, supplier (footer); then the list itself:
    # count, employees, their memberships
    with django_assert_num_queries(8):
        response = client.get(reverse("accounts:employee_list"))
    assert response.content.decode().count('data-testid="employee-row"') == 11


def test_a_non_superuser_employee_is_refused(world: World) -> None:
    client = world.client_for(Persona.MAIN_ENTITY_USER)
    assert client.get(reverse("accounts:employee_list")).status_code == 403
    assert client.get(reverse("accounts:audit_log")).status_code == 403


# --- Two-factor reset -----------------------------------------------------------------------


def test_the_superuser_resets_an_employees_two_factor(world: World) -> None:
    employee = world.user(Persona.MAIN_ENTITY_USER)
    TwoFactorDeviceFactory(user=employee)
    client = world.client_for(Persona.SUPERUSER)
    response = client.post(reverse("accounts:employee_two_factor_reset", args=[employee.id]))
    assert response.status_code == 302
    assert not hasattr(User.objects.get(pk=employee.pk), "two_factor")
    assert AccountEvent.objects.filter(target=employee, action="two_factor_reset").count() == 1
    assert sign_in(Client(), employee.email)["Location"] == "/"


# --- The audit log --------------------------------------------------------------------------


def test_the_audit_log_reads_as_sentences_newest_first_and_filters(world: World) -> None:
    boss = superuser(world)
    buyer = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    viewer = world.user(Persona.EMPLOYEE_WITHOUT_RIGHT)
    services.employee_block(actor=boss, employee=buyer)
    services.employee_rights_set(
        actor=boss,
        employee=viewer,
        rights={world.a_main.id: {Right.SEE_PRICES}},
        is_dealer_superuser=False,
    )
    services.employee_block(
        actor=world.user(Persona.OTHER_DEALER),
        employee=UserFactory(email="b.worker@b.example", dealer=world.dealer_b),
    )
    client = world.client_for(Persona.SUPERUSER)
    page = client.get(reverse("accounts:audit_log")).content.decode()
    rights_sentence = (
        f"{boss.full_name} changed the rights of {viewer.full_name}: "
        f"{world.a_main.name}: +See prices."
    )
    assert page.count('data-testid="audit-row"') == 2
    assert page.index(rights_sentence.replace('"', "&quot;")) < page.index(
        f"{boss.full_name} blocked {buyer.full_name}."
    )
    assert "b.worker" not in page
    only_buyer = client.get(reverse("accounts:audit_log"), {"employee": buyer.id}).content.decode()
    assert only_buyer.count('data-testid="audit-row"') == 1
    foreign = client.get(
        reverse("accounts:audit_log"), {"employee": world.user(Persona.OTHER_DEALER).id}
    )
    assert foreign.status_code == 404


def test_the_audit_log_pages_by_fifty(world: World) -> None:
    boss = superuser(world)
    AccountEvent.objects.bulk_create(
        AccountEvent(dealer=world.dealer_a, actor=boss, target=boss, action="invited")
        for _ in range(51)
    )
    client = world.client_for(Persona.SUPERUSER)
    first = client.get(reverse("accounts:audit_log")).content.decode()
    second = client.get(reverse("accounts:audit_log"), {"page": 2}).content.decode()
    assert first.count('data-testid="audit-row"') == 50
    assert second.count('data-testid="audit-row"') == 1


def test_a_password_from_the_world_still_signs_in(world: World) -> None:
    # Guard for the tests above: the shared password is the factories' one.
    assert world.user(Persona.SUPERUSER).check_password(PASSWORD)


def test_blocking_an_invited_employee_kills_the_invitation_link_for_good(world: World) -> None:
    invited = InvitedUserFactory(email="gone@a.example", dealer=world.dealer_a)
    link = services.invitation_url(invited, site_url="")
    assert Client().get(link).status_code == 200
    services.employee_block(actor=superuser(world), employee=invited)
    assert Client().get(link).status_code == 404
    services.employee_unblock(actor=superuser(world), employee=invited)
    assert Client().get(link).status_code == 404
