"""What django-axes needs to know about a sign-in attempt: who, and from which address."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from dealerdesk.accounts.models import normalize_email_address


def login_attempt_username(request: HttpRequest, credentials: Mapping[str, Any] | None) -> str:
    """The e-mail as the backend compares it, so `User@X` and `user@x` count as one account."""
    raw = None
    if credentials:
        raw = credentials.get("username") or credentials.get("email")
    if raw is None:
        raw = request.POST.get("username", "")
    return normalize_email_address(str(raw))


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address, trusting exactly `TRUSTED_PROXY_COUNT` reverse proxies.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For,
    so the client is the entry that many places from the right; anything further left was
    written by the client and may be forged. Without trusted proxies only REMOTE_ADDR counts.
    """
    address = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return _valid_address(address)


def _valid_address(address: str | None) -> str | None:
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
