"""Values kept encrypted in the database: a leaked dump or backup must not hand out what signs
people in (the TOTP secrets of two-factor sign-in).

Fernet (AES-128-CBC with an HMAC, from the `cryptography` package) with a key derived from
SECRET_KEY; values encrypted under a key in SECRET_KEY_FALLBACKS still read, so rotating the
secret key works as it does for sessions: move the old key to the fallbacks, and every value
written from then on uses the new one.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

_PURPOSE = b"dealerdesk.core.encryption"


def _fernet(secret_key: str) -> Fernet:
    # A key of its own per purpose: SECRET_KEY itself is never used as a cipher key.
    digest = hashlib.sha256(_PURPOSE + b":" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _cipher() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


def encrypt(text: str) -> str:
    return _cipher().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _cipher().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError(
            "an encrypted value does not open with SECRET_KEY or SECRET_KEY_FALLBACKS: was the "
            "secret key changed without keeping the old one in SECRET_KEY_FALLBACKS?"
        ) from error


class EncryptedTextField(models.TextField):
    """Text the application reads and writes as usual, stored encrypted: each write gives a
    different token, so the field cannot be searched or compared in the database."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else encrypt(value)
