"""Two-factor authentication: turning it on, the second sign-in step, turning it off."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import Persona, World
from dealerdesk.accounts.models import AccountEvent, RecoveryCode, TwoFactorDevice, User
from dealerdesk.accounts.tests.conftest import sign_in, time_shift
from dealerdesk.accounts.tests.factories import PASSWORD, TwoFactorDeviceFactory
from dealerdesk.accounts.two_factor import RECOVERY_CODE_COUNT, recovery_code_hash

EMAIL = "main@a.example"


def code_now(secret: str, *, later: timedelta = timedelta(0)) -> str:
    return pyotp.TOTP(secret).at(timezone.now() + later)


@pytest.fixture
def user_with_two_factor(world: World) -> User:
    user = world.user(Persona.MAIN_ENTITY_USER)
    TwoFactorDeviceFactory(user=user)
    return user


def verify(client: Client, code: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login_verify"), {"code": code})


def test_turning_two_factor_on_shows_a_qr_code_and_ten_recovery_codes_once(world: World) -> None:
    user = world.user(Persona.MAIN_ENTITY_USER)
    client = world.client_for(Persona.MAIN_ENTITY_USER)
    # when the user starts the set-up
    assert client.post(reverse("accounts:two_factor_setup"))["Location"] == reverse(
        "accounts:security"
    )
    page = client.get(reverse("accounts:security")).content.decode()
    device = TwoFactorDevice.objects.get(user=user)
    assert device.is_confirmed is False
    assert "<svg" in page
    assert f'data-secret="{device.secret}"' in page
    # a wrong code does not turn it on
    wrong = client.post(reverse("accounts:two_factor_enable"), {"code": "000000"})
    assert wrong.status_code == 422
    # the code from the app does
    response = client.post(reverse("accounts:two_factor_enable"), {"code": code_now(device.secret)})
    listing = response.content.decode().split('data-testid="recovery-codes"')[1].split("</ul>")[0]
    codes = re.findall(r"\b[a-z2-9]{5}-[a-z2-9]{5}\b", listing)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert len(set(codes)) == RECOVERY_CODE_COUNT
    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert stored == {recovery_code_hash(code) for code in codes}
    assert not stored & set(codes)  # only hashes are kept
    assert TwoFactorDevice.objects.get(user=user).is_confirmed is True
    assert AccountEvent.objects.filter(target=user, action="two_factor_enabled").count() == 1
    security = client.get(reverse("accounts:security")).content.decode()
    assert 'data-status="on"' in security
    assert not any(code in security for code in codes)


def test_the_password_alone_does_not_sign_in_a_user_with_two_factor(
    world: World, user_with_two_factor: User
) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login") + "?next=/orders/",
        {"username": EMAIL, "password": PASSWORD, "next": "/orders/"},
    )
    assert response["Location"] == reverse("accounts:login_verify")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("catalog:product_list")).status_code == 302
    wrong = verify(client, "000000")
    assert wrong.status_code == 422
    assert "_auth_user_id" not in client.session
    right = verify(client, code_now(user_with_two_factor.two_factor.secret))
    assert right["Location"] == "/orders/"
    assert client.session["_auth_user_id"] == str(user_with_two_factor.pk)


def test_a_code_cannot_be_used_twice(world: World, user_with_two_factor: User) -> None:
    secret = user_with_two_factor.two_factor.secret
    first, second = Client(), Client()
    sign_in(first, EMAIL)
    sign_in(second, EMAIL)
    code = code_now(secret)
    assert verify(first, code).status_code == 302
    assert verify(second, code).status_code == 422
    assert "_auth_user_id" not in second.session
    # the next code of the app is fine
    with time_shift(timedelta(seconds=30)):
        assert verify(second, code_now(secret)).status_code == 302


def test_a_recovery_code_works_once(world: World, user_with_two_factor: User) -> None:
    RecoveryCode.objects.create(
        user=user_with_two_factor, code_hash=recovery_code_hash("abcde-fghjk")
    )
    first = Client()
    sign_in(first, EMAIL)
    assert verify(first, " ABCDE-FGHJK ").status_code == 302
    again = Client()
    sign_in(again, EMAIL)
    assert verify(again, "abcde-fghjk").status_code == 422
    assert RecoveryCode.objects.get().used_at is not None


def test_five_wrong_codes_send_the_user_back_to_the_password(
    world: World, user_with_two_factor: User
) -> None:
    client = Client()
    sign_in(client, EMAIL)
    for _ in range(4):
        assert verify(client, "000000").status_code == 422
    response = verify(client, "000000")
    assert response["Location"] == reverse("accounts:login")
    # even the right code is now too late: the password comes first again
    late = verify(client, code_now(user_with_two_factor.two_factor.secret))
    assert late["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    # and the round counts as a failed sign-in for the lockout
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_the_second_step_must_come_within_five_minutes(
    world: World, user_with_two_factor: User
) -> None:
    client = Client()
    sign_in(client, EMAIL)
    with time_shift(timedelta(minutes=6)):
        response = verify(client, code_now(user_with_two_factor.two_factor.secret))
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_the_verify_page_without_a_password_step_goes_to_sign_in(world: World) -> None:
    assert Client().get(reverse("accounts:login_verify"))["Location"] == reverse("accounts:login")


def test_turning_two_factor_off_needs_a_code_or_the_password(
    world: World, user_with_two_factor: User
) -> None:
    client = world.client_for(Persona.MAIN_ENTITY_USER)
    refused = client.post(reverse("accounts:two_factor_disable"), {"code": "not-my-password"})
    assert refused.status_code == 422
    assert TwoFactorDevice.objects.filter(user=user_with_two_factor).exists()
    response = client.post(reverse("accounts:two_factor_disable"), {"code": PASSWORD})
    assert response["Location"] == reverse("accounts:security")
    assert not TwoFactorDevice.objects.filter(user=user_with_two_factor).exists()
    assert (
        AccountEvent.objects.filter(
            target=user_with_two_factor, action="two_factor_disabled"
        ).count()
        == 1
    )
    # signing in is back to the password alone
    assert sign_in(Client(), EMAIL)["Location"] == "/"


def test_turning_two_factor_off_with_a_current_code(
    world: World, user_with_two_factor: User
) -> None:
    client = world.client_for(Persona.MAIN_ENTITY_USER)
    code = code_now(user_with_two_factor.two_factor.secret)
    assert client.post(reverse("accounts:two_factor_disable"), {"code": code}).status_code == 302
    assert not TwoFactorDevice.objects.exists()
