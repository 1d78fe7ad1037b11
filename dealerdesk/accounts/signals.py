"""Receivers that keep session bookkeeping and the lockout log in step with sign-ins.

Connected in `AccountsConfig.ready`; each only hands over to `sessions` or `services`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from dealerdesk.accounts import services, sessions
from dealerdesk.accounts.models import User


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.session_started(request.session, user)


def on_user_logged_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.session_forget(request.session)


def on_user_locked_out(
    sender: Any,
    request: HttpRequest | None,
    username: str | None,
    ip_address: str | None,
    **kwargs: Any,
) -> None:
    if username:
        services.account_lockout_record(
            username=username, ip_address=ip_address, cool_off=settings.AXES_COOLOFF_TIME
        )
