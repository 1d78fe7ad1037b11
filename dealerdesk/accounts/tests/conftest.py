from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.conf import LazySettings, settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dealerdesk.accounts.tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _english(settings: LazySettings) -> None:
    # Assertions read the English texts; the Russian catalogue may not cover them yet.
    settings.LANGUAGE_CODE = "en"


@contextmanager
def time_shift(delta: timedelta) -> Iterator[datetime]:
    """Every `timezone.now()` answers `delta` later than the real clock."""
    real_now = timezone.now
    moment = real_now() + delta
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("accounts:login"), {"username": email, "password": password}, **extra
    )
    # Signing in switches to the user's language (Russian); the assertions read English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return response
