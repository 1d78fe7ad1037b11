"""TOTP secrets stored encrypted (dealerdesk.core.encryption): the column becomes text long
enough for a token, and the secrets stored in plain text so far are encrypted in place. Read
and written with plain SQL: the model's field would try to decrypt the plain ones."""

from django.db import migrations

import dealerdesk.core.encryption

TABLE = "accounts_twofactordevice"


def encrypt_stored_secrets(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, secret FROM {TABLE}")
        rows = cursor.fetchall()
        for pk, secret in rows:
            cursor.execute(
                f"UPDATE {TABLE} SET secret = %s WHERE id = %s",
                [dealerdesk.core.encryption.encrypt(secret), pk],
            )


def decrypt_stored_secrets(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, secret FROM {TABLE}")
        rows = cursor.fetchall()
        for pk, token in rows:
            cursor.execute(
                f"UPDATE {TABLE} SET secret = %s WHERE id = %s",
                [dealerdesk.core.encryption.decrypt(token), pk],
            )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_password_reset_requests")]

    operations = [
        migrations.AlterField(
            model_name="twofactordevice",
            name="secret",
            field=dealerdesk.core.encryption.EncryptedTextField(),
        ),
        migrations.RunPython(encrypt_stored_secrets, decrypt_stored_secrets, elidable=False),
    ]
