"""The operator's commands for ERP keys, and what the API says to a wrong key: nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import World
from dealerdesk.erp.models import ErpClient

EVENTS = "/api/erp/v1/events"
UNAUTHORIZED = {"detail": "Unauthorized"}


def create_client(name: str) -> tuple[str, str]:
    out = StringIO()
    call_command("erp_client_create", name, stdout=out)
    text = out.getvalue()
    last = text.strip().splitlines()[-1]
    assert last.startswith("KEY ")
    return text, last.removeprefix("KEY ")


def bearer(key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {key}"})


def push_warehouse(client: Client, key: str) -> int:
    return client.post(
        "/api/erp/v1/warehouses",
        {"items": [{"id": "WH-SPB", "name": "Санкт-Петербург"}]},
        content_type="application/json",
        headers={"Idempotency-Key": key},
    ).status_code


@pytest.mark.django_db
def test_created_key_is_printed_last_and_opens_the_api() -> None:
    text, key = create_client("1C UT main")

    assert "created" in text
    assert key.startswith("ddk_")
    assert len(key) > 40
    assert bearer(key).get(EVENTS).status_code == 200
    assert push_warehouse(bearer(key), "first") == 200
    client = ErpClient.objects.get(name="1C UT main")
    assert client.last_seen_at is not None


@pytest.mark.django_db
def test_only_a_hash_of_the_key_is_stored() -> None:
    _, key = create_client("1C UT main")

    client = ErpClient.objects.get(name="1C UT main")
    stored = " ".join(str(value) for value in ErpClient.objects.values_list().get(pk=client.pk))
    assert key not in stored
    assert client.key_hash != key
    assert len(client.key_hash) == 64
    assert key.startswith(client.key_prefix)
    assert len(client.key_prefix) < len(key) // 2


@pytest.mark.django_db
def test_a_duplicate_name_is_a_clear_command_error() -> None:
    create_client("1C UT main")

    with pytest.raises(CommandError, match="exists"):
        call_command("erp_client_create", "1C UT main", stdout=StringIO())
    assert ErpClient.objects.filter(name="1C UT main").count() == 1


@pytest.mark.django_db
def test_an_empty_name_is_a_command_error() -> None:
    with pytest.raises(CommandError, match="name"):
        call_command("erp_client_create", "   ", stdout=StringIO())
    assert not ErpClient.objects.exists()


@pytest.mark.django_db
def test_a_revoked_key_answers_401_and_writes_nothing() -> None:
    _, key = create_client("1C UT main")
    assert push_warehouse(bearer(key), "first") == 200

    out = StringIO()
    call_command("erp_client_revoke", "1C UT main", stdout=out)

    assert "revoked" in out.getvalue()
    response = bearer(key).get(EVENTS)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert push_warehouse(bearer(key), "second") == 401
    client = ErpClient.objects.get(name="1C UT main")
    assert not client.is_active
    assert client.revoked_at is not None
    assert client.batches.count() == 1


@pytest.mark.django_db
def test_revoking_an_unknown_client_is_a_command_error() -> None:
    with pytest.raises(CommandError, match="no ERP client"):
        call_command("erp_client_revoke", "nobody", stdout=StringIO())


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer ddk_wrong"},
        {"Authorization": "Bearer not-even-our-prefix"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer "},
    ],
    ids=["missing", "wrong", "foreign", "basic", "empty"],
)
def test_a_missing_or_wrong_key_answers_401_and_says_nothing_else(
    world: World, headers: dict[str, str]
) -> None:
    client = Client(headers=headers)

    pull = client.get(EVENTS)
    push = client.post(
        "/api/erp/v1/warehouses",
        {"items": [{"id": "WH-SPB", "name": "Санкт-Петербург"}]},
        content_type="application/json",
        headers={"Idempotency-Key": "k"},
    )
    ack = client.post(f"{EVENTS}/ack", {"cursor": 0}, content_type="application/json")

    for response in (pull, push, ack):
        assert response.status_code == 401
        assert response.json() == UNAUTHORIZED
    assert not ErpClient.objects.get().batches.exists()


def test_a_valid_key_of_one_client_is_not_confused_with_another(world: World) -> None:
    _, key = create_client("SAP")
    call_command("erp_client_revoke", "1C: Управление торговлей", stdout=StringIO())

    assert bearer(world.erp_key).get(EVENTS).status_code == 401
    assert bearer(key).get(EVENTS).status_code == 200


@pytest.mark.django_db
def test_a_name_longer_than_the_column_is_a_command_error() -> None:
    with pytest.raises(CommandError, match="longer than 120"):
        call_command("erp_client_create", "1C" * 61, stdout=StringIO())
    assert not ErpClient.objects.exists()
