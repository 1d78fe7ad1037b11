"""Signing in: lockouts, session rotation, timeouts, passwords."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import LazySettings
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from conftest import Persona, World
from dealerdesk.accounts import sessions
from dealerdesk.accounts.models import AccountEvent, PasswordResetRequest, User
from dealerdesk.accounts.security import client_ip_address
from dealerdesk.accounts.tests.conftest import sign_in, time_shift
from dealerdesk.accounts.tests.factories import (
    PASSWORD,
    InvitedUserFactory,
    TwoFactorDeviceFactory,
)

HOME = "10.1.1.1"
ATTACKER = "203.0.113.9"
NEW_PASSWORD = "Щиток-распределительный-7"


def fail(client: Client, email: str, address: str):  # type: ignore[no-untyped-def]
    return sign_in(client, email, "wrong-password", REMOTE_ADDR=address)


# --- Lockout --------------------------------------------------------------------------------


def test_five_failures_lock_the_account_from_that_address_only(world: World) -> None:
    attacker = Client()
    for attempt in range(4):
        assert fail(attacker, "boss@a.example", ATTACKER).status_code == 200, attempt
    locked = fail(attacker, "boss@a.example", ATTACKER)
    assert locked.status_code == 429
    assert 'data-testid="login-locked"' in locked.content.decode()
    # even the right password is refused from the attacker's address now
    right_there = sign_in(attacker, "boss@a.example", REMOTE_ADDR=ATTACKER)
    assert right_there.status_code == 429
    assert "_auth_user_id" not in attacker.session
    # the user at their own address is not locked out
    owner = Client()
    assert sign_in(owner, "boss@a.example", REMOTE_ADDR=HOME)["Location"] == "/"
    assert owner.session["_auth_user_id"] == str(world.user(Persona.SUPERUSER).pk)


def test_the_e_mail_counts_in_any_case(world: World) -> None:
    client = Client()
    for email in ("Boss@A.Example", "boss@a.example", "BOSS@a.example ", "boss@A.example"):
        fail(client, email, ATTACKER)
    assert fail(client, "boss@a.example", ATTACKER).status_code == 429
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["boss@a.example"]


def test_a_lockout_is_logged_once_for_the_dealer(world: World) -> None:
    client = Client()
    for _ in range(7):
        fail(client, "buyer@a.example", ATTACKER)
    event = AccountEvent.objects.get(action="locked_out")
    assert event.target == world.user(Persona.EMPLOYEE_WITH_RIGHT)
    assert event.dealer_id == world.dealer_a.id
    assert event.details == {"ip": ATTACKER}


def test_a_successful_sign_in_clears_the_failures_of_that_address(world: World) -> None:
    client = Client()
    for _ in range(4):
        fail(client, "boss@a.example", HOME)
    assert sign_in(client, "boss@a.example", REMOTE_ADDR=HOME).status_code == 302
    assert not AccessAttempt.objects.exists()


def test_the_lockout_ends_after_the_cool_off(world: World) -> None:
    client = Client()
    for _ in range(5):
        fail(client, "boss@a.example", ATTACKER)
    assert sign_in(client, "boss@a.example", REMOTE_ADDR=ATTACKER).status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert sign_in(client, "boss@a.example", REMOTE_ADDR=ATTACKER).status_code == 302


def test_only_trusted_proxies_are_believed_about_the_client_address(settings) -> None:
    request = RequestFactory().post(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip_address(request) == "198.51.100.7"  # the forged 1.2.3.4 is ignored
    settings.TRUSTED_PROXY_COUNT = 3  # more proxies than entries: the header is not trusted
    assert client_ip_address(request) == "10.0.0.2"


# --- Sessions -------------------------------------------------------------------------------


def test_signing_in_rotates_the_session_key(world: World) -> None:
    client = Client()
    client.get(reverse("accounts:login"))
    session = client.session
    session["before_sign_in"] = True
    session.save()
    anonymous_key = session.session_key
    sign_in(client, "boss@a.example")
    assert client.session.session_key != anonymous_key
    assert client.session["before_sign_in"] is True  # the data survives, the key does not
    assert not SessionStore().exists(anonymous_key)


def test_an_idle_session_expires_with_a_message(world: World) -> None:
    client = Client()
    sign_in(client, "boss@a.example")
    with time_shift(timedelta(hours=1, minutes=59)):
        assert client.get(reverse("catalog:product_list")).status_code == 200
    with time_shift(timedelta(hours=4)):
        # an hour of activity in between restarted the idle clock; two more hours did not
        response = client.get(reverse("catalog:product_list"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/catalog/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Your session has expired" in page


def test_an_active_session_still_ends_after_the_absolute_timeout(world: World) -> None:
    client = Client()
    sign_in(client, "boss@a.example")
    for hours in range(1, 12):
        with time_shift(timedelta(hours=hours)):
            assert client.get(reverse("catalog:product_list")).status_code == 200, hours
    with time_shift(timedelta(hours=12, minutes=5)):
        response = client.get(reverse("catalog:product_list"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_expired_htmx_request_asks_for_a_full_navigation(world: World) -> None:
    client = Client()
    sign_in(client, "boss@a.example")
    with time_shift(timedelta(hours=3)):
        response = client.get(reverse("orders:cart_lines"), headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response["HX-Redirect"] == reverse("accounts:login")


def test_last_activity_is_written_at_most_once_a_minute() -> None:
    session = SessionStore()
    now = timezone.now()
    session[sessions.SIGNED_IN_AT] = now.timestamp()
    session[sessions.LAST_SEEN_AT] = now.timestamp()
    session.modified = False
    sessions.session_touch(session, now=now + timedelta(seconds=59))
    written_after_59_seconds = session.modified
    sessions.session_touch(session, now=now + timedelta(seconds=61))
    assert written_after_59_seconds is False
    assert session.modified is True
    assert session[sessions.LAST_SEEN_AT] == (now + timedelta(seconds=61)).timestamp()


def test_signing_out_forgets_the_session(world: World) -> None:
    client = Client()
    sign_in(client, "boss@a.example")
    boss = world.user(Persona.SUPERUSER)
    assert boss.tracked_sessions.count() == 1
    client.post(reverse("accounts:logout"))
    assert boss.tracked_sessions.count() == 0


# --- Passwords ------------------------------------------------------------------------------


def test_changing_the_password_keeps_this_session_and_ends_the_others(world: World) -> None:
    here, elsewhere = Client(), Client()
    sign_in(here, "boss@a.example")
    sign_in(elsewhere, "boss@a.example")
    key_before = here.session.session_key
    response = here.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:security")
    assert here.get(reverse("accounts:security")).status_code == 200
    assert elsewhere.get(reverse("accounts:security"))["Location"].startswith(
        reverse("accounts:login")
    )
    assert AccountEvent.objects.filter(action="password_changed").count() == 1
    boss = world.user(Persona.SUPERUSER)
    # the rotated session key is tracked again, so blocking would still end it
    tracked = set(boss.tracked_sessions.values_list("session_key", flat=True))
    assert here.session.session_key in tracked
    assert key_before not in tracked


def test_a_forgotten_password_is_reset_by_e_mail(world: World) -> None:
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "Boss@A.example"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert link
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert User.objects.get(email="boss@a.example").check_password(NEW_PASSWORD)
    assert AccountEvent.objects.filter(action="password_reset").count() == 1
    assert client.get(link.group(1), follow=True).context["validlink"] is False


def test_an_invited_employee_gets_no_reset_e_mail(world: World) -> None:
    InvitedUserFactory(email="fresh@a.example", dealer=world.dealer_a)
    response = Client().post(reverse("accounts:password_reset"), {"email": "fresh@a.example"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_reset_e_mails_to_one_account_stop_at_the_hourly_limit(
    world: World, settings: LazySettings
) -> None:
    settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT = 3
    answers = [
        Client().post(
            reverse("accounts:password_reset"),
            {"email": "boss@a.example"},
            REMOTE_ADDR=f"198.51.100.{number}",
        )
        for number in range(5)
    ]
    # Every request gets the same answer; only the first three send an e-mail.
    assert {answer["Location"] for answer in answers} == {reverse("accounts:password_reset_done")}
    assert len(mail.outbox) == 3
    # Another account is not held back by this one's limit.
    Client().post(reverse("accounts:password_reset"), {"email": "Main@A.example"})
    assert len(mail.outbox) == 4
    # An hour later the account may ask again.
    PasswordResetRequest.objects.update(requested_at=timezone.now() - timedelta(minutes=61))
    Client().post(reverse("accounts:password_reset"), {"email": "boss@a.example"})
    assert len(mail.outbox) == 5
    assert PasswordResetRequest.objects.count() == 1  # the old rows were cleared


def test_reset_requests_from_one_address_stop_at_its_hourly_limit(
    world: World, settings: LazySettings
) -> None:
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 2
    client = Client()
    for email in ("boss@a.example", "stranger@unknown.example", "main@a.example"):
        client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=ATTACKER)
    # The unknown address counted as a request though no e-mail could go to it.
    assert [message.to for message in mail.outbox] == [["boss@a.example"]]
    Client().post(reverse("accounts:password_reset"), {"email": "main@a.example"}, REMOTE_ADDR=HOME)
    assert [message.to for message in mail.outbox][-1] == ["main@a.example"]


@pytest.mark.parametrize("persona", [Persona.SUPERUSER, Persona.MANAGER])
def test_the_security_page_offers_two_factor_and_the_password_change(
    world: World, persona: Persona
) -> None:
    page = world.client_for(persona).get(reverse("accounts:security")).content.decode()
    assert 'data-testid="two-factor-start"' in page
    assert reverse("accounts:password_change") in page


def test_the_administration_signs_in_through_the_portal(world: World) -> None:
    response = Client().get(reverse("admin:login"), {"next": "/admin/accounts/user/"})
    assert response["Location"] == (f"{reverse('accounts:login')}?next=/admin/accounts/user/")
    staff = world.client_for(Persona.HEAD_MANAGER)
    assert staff.get(reverse("admin:login"), {"next": "//evil.example/"})["Location"] == "/admin/"
    assert world.client_for(Persona.SUPERUSER).get(reverse("admin:login")).status_code == 403
    # the password step of a manager with two-factor leads to the code, as for dealers
    TwoFactorDeviceFactory(user=world.user(Persona.HEAD_MANAGER))
    step = sign_in(Client(), "head@supplier.example")
    assert step["Location"] == reverse("accounts:login_verify")
