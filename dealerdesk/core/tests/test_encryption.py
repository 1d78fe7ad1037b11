"""Values stored encrypted: what the database holds, what the application reads, and a change
of the secret key."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.conf import LazySettings
from django.db import connection

from conftest import Persona, World
from dealerdesk.accounts.models import TwoFactorDevice
from dealerdesk.accounts.tests.factories import TwoFactorDeviceFactory
from dealerdesk.core.encryption import decrypt, encrypt

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def stored_secret(device: TwoFactorDevice) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_twofactordevice WHERE id = %s", [device.pk])
        return str(cursor.fetchone()[0])


def test_a_totp_secret_is_stored_encrypted_and_read_back_as_it_was(world: World) -> None:
    device = TwoFactorDeviceFactory(user=world.user(Persona.SUPERUSER), secret=SECRET)

    assert SECRET not in stored_secret(device)
    assert TwoFactorDevice.objects.get(pk=device.pk).secret == SECRET
    first_token = stored_secret(device)
    device.save()
    assert stored_secret(device) != first_token  # a fresh token on every write


def test_values_written_under_the_old_secret_key_read_while_it_is_a_fallback(
    settings: LazySettings,
) -> None:
    settings.SECRET_KEY = "old-secret-key-" + "x" * 40
    token = encrypt(SECRET)

    settings.SECRET_KEY = "new-secret-key-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = ["old-secret-key-" + "x" * 40]
    assert decrypt(token) == SECRET

    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(ValueError, match="SECRET_KEY_FALLBACKS"):
        decrypt(token)


def test_the_migration_encrypts_secrets_stored_in_plain_text(world: World) -> None:
    device = TwoFactorDeviceFactory(user=world.user(Persona.SUPERUSER))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_twofactordevice SET secret = %s WHERE id = %s", [SECRET, device.pk]
        )
    migration = importlib.import_module(
        "dealerdesk.accounts.migrations.0006_two_factor_secret_encrypted"
    )

    # The function uses only the schema editor's connection (SQLite refuses a schema editor
    # inside the test's transaction).
    migration.encrypt_stored_secrets(None, SimpleNamespace(connection=connection))

    assert SECRET not in stored_secret(device)
    assert TwoFactorDevice.objects.get(pk=device.pk).secret == SECRET
