"""ERP clients and their keys, and the outbox cursor they acknowledge."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dealerdesk.erp.models import ErpClient
from dealerdesk.events.models import OutboxEvent

KEY_PREFIX = "ddk_"
NAME_MAX_LENGTH = ErpClient._meta.get_field("name").max_length or 120
# A client's last request time is written at most this often, so reads stay reads.
LAST_SEEN_RESOLUTION = datetime.timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    client: ErpClient
    key: str  # shown once; only its hash is stored


@transaction.atomic
def erp_client_create(*, name: str) -> IssuedKey:
    name = name.strip()
    if not name:
        raise ValueError("an ERP client needs a name")
    if len(name) > NAME_MAX_LENGTH:
        raise ValueError(f"the name is longer than {NAME_MAX_LENGTH} characters")
    if ErpClient.objects.filter(name=name).exists():
        raise ValueError(f"an ERP client named {name!r} exists; choose another name")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    # A unique placeholder until the id is known; the row is not visible before the commit.
    client = ErpClient.objects.create(
        name=name, login=f"new-{secrets.token_hex(8)}", key_prefix=key[:12], key_hash=key_hash(key)
    )
    client.login = _login_for(client)
    client.save(update_fields=["login"])
    return IssuedKey(client, key)


LOGIN_MAX_LENGTH = ErpClient._meta.get_field("login").max_length or 60
_GENERATED_LOGIN = re.compile(r"^erp\d+$")


def _login_for(client: ErpClient) -> str:
    """The login 1C sends with HTTP Basic: the ASCII slug of the name (`1c-ut-main`) when it
    is usable and free, else `erp<id>`. Basic credentials are not reliably sent in anything but
    ASCII, so a Cyrillic name gives `erp<id>`."""
    slug = slugify(client.name)[:LOGIN_MAX_LENGTH].strip("-")
    usable = len(slug) >= 3 and not _GENERATED_LOGIN.match(slug)
    if usable and not ErpClient.objects.filter(login=slug).exclude(pk=client.pk).exists():
        return slug
    return f"erp{client.pk}"


def erp_client_rotate_key(*, client: ErpClient) -> IssuedKey:
    """A new key for the same client (same cursor and journal); the old key stops at once."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    client.key_prefix, client.key_hash = key[:12], key_hash(key)
    client.is_active, client.revoked_at = True, None
    client.save(update_fields=["key_prefix", "key_hash", "is_active", "revoked_at"])
    return IssuedKey(client, key)


def erp_client_revoke(*, client: ErpClient) -> ErpClient:
    client.is_active = False
    client.revoked_at = timezone.now()
    client.save(update_fields=["is_active", "revoked_at"])
    return client


def erp_client_authenticate(key: str) -> ErpClient | None:
    if not key.startswith(KEY_PREFIX):
        return None
    client = ErpClient.objects.filter(key_hash=key_hash(key), is_active=True).first()
    if client is None:
        return None
    now = timezone.now()
    if client.last_seen_at is None or now - client.last_seen_at > LAST_SEEN_RESOLUTION:
        ErpClient.objects.filter(pk=client.pk).update(last_seen_at=now)
        client.last_seen_at = now
    return client


def erp_client_authenticate_login(*, login: str, key: str) -> ErpClient | None:
    """The client whose login and key these are (HTTP Basic of the 1C exchange), or None."""
    client = erp_client_authenticate(key)
    if client is None or not hmac.compare_digest(client.login.encode(), login.encode()):
        return None
    return client


def events_pull_record(*, client: ErpClient) -> None:
    """Note that the client read the outbox (the exchange monitor warns when it stops)."""
    now = timezone.now()
    if client.last_pulled_at is None or now - client.last_pulled_at > LAST_SEEN_RESOLUTION:
        ErpClient.objects.filter(pk=client.pk).update(last_pulled_at=now)
        client.last_pulled_at = now


class CursorAheadError(ValueError):
    pass


@transaction.atomic
def events_acknowledge(*, client: ErpClient, cursor: int) -> int:
    """Move the client's cursor forward to `cursor`; acknowledging again or an older cursor
    changes nothing (the ERP may retry an acknowledgement)."""
    latest = OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if cursor > latest:
        raise CursorAheadError(
            f"cursor {cursor} is after the newest event {latest}; acknowledge a cursor you read"
        )
    locked = ErpClient.objects.select_for_update().get(pk=client.pk)
    if cursor > locked.acknowledged_event_id:
        locked.acknowledged_event_id = cursor
        locked.acknowledged_at = timezone.now()
        locked.save(update_fields=["acknowledged_event_id", "acknowledged_at"])
    client.acknowledged_event_id = locked.acknowledged_event_id
    return locked.acknowledged_event_id
