from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse

from conftest import Persona, World


def production_environment() -> dict[str, str]:
    # The browser tests relax Django's async safety for this process; production never does.
    return {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_check_deploy_reports_nothing_with_production_variables() -> None:
    env = {
        **production_environment(),
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": "x7#Kq9!pZ2@vL5$wN8^tR4&yB6*mC3(dF1)gH0_jS-eU+aQ=iO",
        "ALLOWED_HOSTS": "portal.example.com",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_a_secret_key_check_deploy_complains() -> None:
    env = {key: value for key, value in production_environment().items() if key != "SECRET_KEY"}
    env.update({"DEBUG": "0", "HTTPS": "1", "DATABASE_URL": "sqlite:///:memory:"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "security.W009" in result.stdout + result.stderr


def test_health_check_answers_without_a_session(db: None, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies


def test_home_sends_each_persona_to_its_start_page(world: World) -> None:
    expected = {
        Persona.ANONYMOUS: reverse("accounts:login"),
        Persona.SUPERUSER: reverse("catalog:product_list"),
        Persona.MANAGER: reverse("manager:dashboard"),
        Persona.NO_ACCESS: reverse("accounts:no_access"),
    }
    for persona, location in expected.items():
        response = world.client_for(persona).get(reverse("home"))
        assert response["Location"] == location, persona


def test_security_headers_are_sent(world: World) -> None:
    response = world.client_for(Persona.SUPERUSER).get(reverse("catalog:product_list"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_sign_in_is_by_e_mail_in_any_case(world: World) -> None:
    from dealerdesk.accounts.tests.factories import PASSWORD

    client = world.client_for(Persona.ANONYMOUS)
    response = client.post(
        reverse("accounts:login"), {"username": "Boss@A.Example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.user(Persona.SUPERUSER).pk)


def test_sign_in_rotates_the_session_id(world: World) -> None:
    from dealerdesk.accounts.tests.factories import PASSWORD

    client = world.client_for(Persona.ANONYMOUS)
    client.post(reverse("language_set"), {"language": "ru"})  # no session yet
    client.get(reverse("accounts:login"))
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    client.post(reverse("accounts:login"), {"username": "boss@a.example", "password": PASSWORD})
    assert client.session.session_key != before


def test_wrong_password_and_blocked_user_get_the_same_message(world: World) -> None:
    from dealerdesk.accounts.tests.factories import PASSWORD

    client = world.client_for(Persona.ANONYMOUS)
    wrong = client.post(reverse("accounts:login"), {"username": "boss@a.example", "password": "x"})
    blocked = client.post(
        reverse("accounts:login"), {"username": "blocked@a.example", "password": PASSWORD}
    )
    message = "Неверная эл. почта или пароль, либо учётная запись заблокирована."
    assert message in wrong.content.decode()
    assert message in blocked.content.decode()
