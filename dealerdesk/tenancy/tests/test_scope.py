from __future__ import annotations

from django.contrib.sessions.models import Session
from django.urls import reverse

from conftest import Persona, World
from dealerdesk.tenancy.rights import ALL_RIGHTS, Right
from dealerdesk.tenancy.scope import ScopeKind
from dealerdesk.tenancy.selectors import scope_for_user


def test_superuser_holds_every_right_on_every_legal_entity_of_the_dealer(world: World) -> None:
    scope = scope_for_user(world.user(Persona.SUPERUSER))
    assert scope.kind is ScopeKind.DEALER
    assert scope.entity_ids() == {world.a_main.id, world.a_sub1.id, world.a_sub2.id}
    assert all(rights == ALL_RIGHTS for rights in scope.rights_by_entity.values())
    assert scope.legal_entity_id == world.a_main.id


def test_main_entity_rights_extend_to_subsidiaries(world: World) -> None:
    scope = scope_for_user(world.user(Persona.EMPLOYEE_WITH_RIGHT))
    assert scope.entity_ids() == {world.a_main.id, world.a_sub1.id, world.a_sub2.id}
    assert scope.entity_ids(Right.PLACE_ORDERS) == scope.entity_ids()
    assert scope.entity_ids(Right.SEE_FINANCE) == set()


def test_main_entity_user_without_rights_still_sees_subsidiaries(world: World) -> None:
    scope = scope_for_user(world.user(Persona.EMPLOYEE_WITHOUT_RIGHT))
    assert scope.entity_ids() == {world.a_main.id, world.a_sub1.id, world.a_sub2.id}
    assert scope.current_rights() == frozenset()
    assert scope.has_right(Right.SEE_PRICES) is False


def test_subsidiary_user_sees_only_its_own_entity(world: World) -> None:
    scope = scope_for_user(world.user(Persona.SUBSIDIARY_USER))
    assert scope.entity_ids() == {world.a_sub1.id}
    assert scope.legal_entity_id == world.a_sub1.id
    assert scope.has_right(Right.SEE_FINANCE, world.a_main.id) is False


def test_other_dealer_sees_none_of_dealer_a(world: World) -> None:
    scope = scope_for_user(world.user(Persona.OTHER_DEALER))
    assert scope.dealer_id == world.dealer_b.id
    assert scope.entity_ids() == {world.b_main.id}


def test_staff_and_unattached_users_have_no_dealer_scope(world: World) -> None:
    assert scope_for_user(world.user(Persona.MANAGER)).kind is ScopeKind.MANAGER
    assert scope_for_user(world.user(Persona.NO_ACCESS)).kind is ScopeKind.NO_ACCESS
    assert scope_for_user(world.user(Persona.BLOCKED)).kind is ScopeKind.ANONYMOUS


def test_archived_legal_entity_drops_out_of_the_scope(world: World) -> None:
    world.a_sub2.is_active = False
    world.a_sub2.save()
    scope = scope_for_user(world.user(Persona.SUPERUSER))
    assert world.a_sub2.id not in scope.entity_ids()


def test_membership_of_another_dealers_entity_grants_nothing(world: World) -> None:
    from dealerdesk.accounts.tests.factories import MembershipFactory

    # A misattached membership (e.g. a data error in an import) must not open dealer B.
    MembershipFactory(user=world.user(Persona.SUBSIDIARY_USER), legal_entity=world.b_main)
    scope = scope_for_user(world.user(Persona.SUBSIDIARY_USER))
    assert scope.entity_ids() == {world.a_sub1.id}


def test_scope_is_resolved_in_a_fixed_number_of_queries(
    world: World, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    user = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    with django_assert_num_queries(1):
        scope_for_user(user)


def test_switching_legal_entity_is_remembered_across_sessions(world: World) -> None:
    # given
    user = world.user(Persona.SUPERUSER)
    client = world.client_for(Persona.SUPERUSER)
    # when
    response = client.post(
        reverse("tenancy:legal_entity_switch"), {"legal_entity": world.a_sub1.id, "next": "/x/"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/x/"
    user.refresh_from_db()
    assert user.selected_legal_entity_id == world.a_sub1.id
    assert scope_for_user(user).legal_entity_id == world.a_sub1.id


def test_switch_refuses_an_offsite_redirect(world: World) -> None:
    response = world.client_for(Persona.SUPERUSER).post(
        reverse("tenancy:legal_entity_switch"),
        {"legal_entity": world.a_sub1.id, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_switch_to_a_foreign_legal_entity_is_404_and_changes_nothing(world: World) -> None:
    user = world.user(Persona.SUBSIDIARY_USER)
    client = world.client_for(Persona.SUBSIDIARY_USER)
    for target in (world.a_main.id, world.b_main.id, 987654, "abc"):
        response = client.post(reverse("tenancy:legal_entity_switch"), {"legal_entity": target})
        assert response.status_code == 404
    user.refresh_from_db()
    assert user.selected_legal_entity_id is None


def test_blocked_user_loses_an_open_session_at_the_next_request(world: World) -> None:
    # given a signed-in employee
    user = world.user(Persona.EMPLOYEE_WITH_RIGHT)
    client = world.client_for(Persona.EMPLOYEE_WITH_RIGHT)
    assert client.get(reverse("catalog:product_list")).status_code == 200
    # when the employee is blocked
    user.is_active = False
    user.save(update_fields=["is_active"])
    # then the very next request is refused
    response = client.get(reverse("catalog:product_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_blocking_a_dealer_ends_its_users_sessions(world: World) -> None:
    client = world.client_for(Persona.SUPERUSER)
    assert client.get(reverse("catalog:product_list")).status_code == 200
    world.dealer_a.is_blocked = True
    world.dealer_a.save()
    response = client.get(reverse("catalog:product_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Session.objects.filter(session_key=client.session.session_key).exists()


def test_users_of_a_blocked_dealer_cannot_sign_in(world: World) -> None:
    from dealerdesk.accounts.tests.factories import PASSWORD

    world.dealer_a.is_blocked = True
    world.dealer_a.save()
    response = world.client_for(Persona.ANONYMOUS).post(
        reverse("accounts:login"), {"username": "boss@a.example", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session
