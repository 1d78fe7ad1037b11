"""The core of every push: idempotency, whole-batch validation, limits, all-or-nothing apply,
versions and the raw body journal. Tested through the `warehouses` resource."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

from conftest import World
from dealerdesk.catalog.models import Warehouse
from dealerdesk.erp import batches
from dealerdesk.erp.batches import ApplyContext
from dealerdesk.erp.models import ErpBatch, ErpItemVersion
from dealerdesk.erp.registry import RESOURCES, Applied
from dealerdesk.erp.tests.pushing import push, row_counts

WAREHOUSES = "warehouses"


def warehouses(count: int, start: int = 1) -> list[dict[str, Any]]:
    return [
        {"id": f"WH-{number:03}", "name": f"Склад №{number}", "sort_order": number}
        for number in range(start, start + count)
    ]


def one_warehouse(raw_field: str) -> bytes:
    return b'{"items": [{"id": "WH-1", "name": "A", ' + raw_field.encode() + b"}]}"


def erp_warehouses() -> dict[str, str]:
    return dict(Warehouse.objects.exclude(erp_id=None).values_list("erp_id", "name"))


# --- idempotency --------------------------------------------------------------------------


def test_a_replay_returns_the_first_answer_and_writes_nothing(world: World) -> None:
    batch = {"items": warehouses(3)}
    first = push(world, WAREHOUSES, batch, key="replay-1")
    assert first.status_code == 200
    assert first.json()["created"] == 3
    before = row_counts()

    again = push(world, WAREHOUSES, batch, key="replay-1")

    assert again.status_code == 200
    assert again.json() == first.json()
    assert row_counts() == before
    assert ErpBatch.objects.filter(idempotency_key="replay-1").count() == 1


def test_a_replay_in_xml_of_the_same_bytes_is_a_replay_too(world: World) -> None:
    body = b"<batch><items><item><id>WH-1</id><name>A</name></item></items></batch>"
    first = push(world, WAREHOUSES, body, key="x", content_type="application/xml")
    before = row_counts()

    again = push(world, WAREHOUSES, body, key="x", content_type="application/xml")

    assert again.json() == first.json()
    assert row_counts() == before


def test_the_same_key_with_another_body_is_409_and_writes_nothing(world: World) -> None:
    assert push(world, WAREHOUSES, {"items": warehouses(1)}, key="k").status_code == 200
    before = row_counts()

    response = push(world, WAREHOUSES, {"items": warehouses(2)}, key="k")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert "different body" in response.json()["message"]
    assert row_counts() == before


def test_the_same_key_for_another_resource_is_409(world: World) -> None:
    other = next(path for path in RESOURCES if path != WAREHOUSES)
    assert push(world, WAREHOUSES, {"items": []}, key="k").status_code == 200
    before = row_counts()

    response = push(world, other, {"items": []}, key="k")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert "another resource (warehouses)" in response.json()["message"]
    assert row_counts() == before


@pytest.mark.parametrize(
    "key", ["", "   ", "k" * 201, "ключ-1", "two words"], ids=["none", "blank", "long", "cyr", "sp"]
)
def test_a_missing_or_malformed_key_is_400_and_writes_nothing(world: World, key: str) -> None:
    before = row_counts()

    response = push(world, WAREHOUSES, {"items": warehouses(1)}, key=key or "")

    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_required"
    assert "Idempotency-Key" in response.json()["message"]
    assert row_counts() == before


def test_a_rejected_batch_does_not_hold_its_key(world: World) -> None:
    bad = {"items": [{"id": "WH-1", "name": ""}]}
    assert push(world, WAREHOUSES, bad, key="fix-me").status_code == 422
    # the same mistake again is judged again, not replayed as accepted
    assert push(world, WAREHOUSES, bad, key="fix-me").status_code == 422

    fixed = push(world, WAREHOUSES, {"items": [{"id": "WH-1", "name": "Казань"}]}, key="fix-me")

    assert fixed.status_code == 200
    assert erp_warehouses() == {"WH-1": "Казань"}
    statuses = list(
        ErpBatch.objects.filter(idempotency_key="fix-me").order_by("id").values_list("status")
    )
    assert statuses == [("rejected",), ("rejected",), ("accepted",)]


# --- validation ---------------------------------------------------------------------------


def test_the_whole_batch_is_validated_and_errors_name_item_field_and_code(world: World) -> None:
    items = warehouses(20)
    items[17]["name"] = ""
    items[3]["sort_order"] = 10**12
    items[5]["colour"] = "red"
    del items[8]["name"]
    items[9]["version"] = -1
    items[11]["is_active"] = "maybe"
    before = Warehouse.objects.count()

    response = push(world, WAREHOUSES, {"items": items})

    assert response.status_code == 422
    answer = response.json()
    errors = {error["path"]: error["code"] for error in answer["errors"]}
    assert errors == {
        "items[3].sort_order": "too_big",
        "items[5].colour": "unknown_field",
        "items[8].name": "required",
        "items[9].version": "negative",
        "items[11].is_active": "not_a_boolean",
        "items[17].name": "empty",
    }
    assert all(error["message"].startswith(error["path"]) for error in answer["errors"])
    assert answer["message"].startswith("Nothing was applied: 6 errors")
    assert Warehouse.objects.count() == before
    journal = ErpBatch.objects.get()
    assert journal.status == ErpBatch.Status.REJECTED
    assert journal.response_status == 422
    assert {error["path"] for error in journal.errors} == set(errors)


def test_an_unknown_batch_level_field_is_refused(world: World) -> None:
    response = push(world, WAREHOUSES, {"items": [], "full_snapshott": True})

    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "full_snapshott"
    assert response.json()["errors"][0]["code"] == "unknown_field"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"items": [', "malformed_json"),
        (b"", "malformed_json"),
        (b'{"items": [{"id": "WH-1", "name": "\xff\xfe"}]}', "malformed_json"),
        (b'{"items": [{"id": "WH-1", "name": "\\ud800"}]}', "malformed_json"),
        (b"[]", "invalid_batch"),
        (b"null", "invalid_batch"),
        (b'{"items": null}', "invalid_batch"),
        (b'{"items": {"id": "WH-1"}}', "invalid_batch"),
        (b'{"items": [null, 1, "x"]}', "invalid_batch"),
        (one_warehouse('"sort_order": 1e400'), "invalid_batch"),
        (one_warehouse('"version": 1e30'), "invalid_batch"),
        (one_warehouse('"version": 99999999999999999999'), "invalid_batch"),
        (one_warehouse('"changed_at": "0001-01-01T00:00:00+14:00"'), "invalid_batch"),
        (one_warehouse('"changed_at": "yesterday"'), "invalid_batch"),
        (b'{"items": [{"id": "WH-1", "name": "A\\u0000B"}]}', "invalid_batch"),
        (b'{"items": [{"id": "WH-\\u0000", "name": "A"}]}', "invalid_batch"),
        (one_warehouse('"col\\u0000our": "red"'), "invalid_batch"),
        (b"[" * 5000, "malformed_json"),
    ],
    ids=[
        "truncated", "empty", "not-utf8", "lone-surrogate", "array", "null", "null-items",
        "object-items", "junk-items", "huge-float", "huge-version-float", "huge-version-int",
        "datetime-underflow", "not-a-datetime", "nul-in-name", "nul-in-id", "nul-in-field-name",
        "deep",
    ],
)  # fmt: skip
def test_odd_input_is_an_answer_not_a_crash(world: World, body: bytes, code: str) -> None:
    before = Warehouse.objects.count()

    response = push(world, WAREHOUSES, body)

    assert response.status_code == (400 if code.startswith("malformed") else 422)
    assert response.json()["code"] == code
    assert Warehouse.objects.count() == before
    assert not ErpBatch.objects.filter(status=ErpBatch.Status.ACCEPTED).exists()
    assert ErpBatch.objects.get().body == body  # kept for support, as sent


def test_a_nul_in_an_unknown_field_name_is_journaled_without_it(world: World) -> None:
    response = push(world, WAREHOUSES, one_warehouse('"col\\u0000our": "red"'))

    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "items[0].col\ufffdour"
    assert ErpBatch.objects.get().errors[0]["path"] == "items[0].col\ufffdour"


def test_a_nul_character_is_reported_at_its_item_and_field(world: World) -> None:
    items = warehouses(3)
    items[2]["address"] = "ул. Ленина\x00, 1"

    response = push(world, WAREHOUSES, {"items": items})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "path": "items[2].address",
            "code": "nul_character",
            "message": "items[2].address: must not contain the NUL character",
        }
    ]
    assert not erp_warehouses()


# --- limits -------------------------------------------------------------------------------


@override_settings(ERP_BATCH_MAX_ITEMS=3)
def test_more_items_than_the_limit_is_413_with_the_limit_stated(world: World) -> None:
    response = push(world, WAREHOUSES, {"items": warehouses(4)})

    assert response.status_code == 413
    assert response.json()["code"] == "too_many_items"
    assert "the limit is 3 items" in response.json()["message"]
    assert not erp_warehouses()
    assert push(world, WAREHOUSES, {"items": warehouses(3)}).status_code == 200
    assert len(erp_warehouses()) == 3


@override_settings(ERP_BATCH_MAX_ITEMS=3)
def test_the_item_limit_applies_to_xml_too(world: World) -> None:
    items = "".join(f"<item><id>W{n}</id><name>N</name></item>" for n in range(4))
    body = f"<batch><items>{items}</items></batch>".encode()

    response = push(world, WAREHOUSES, body, content_type="application/xml")

    assert response.status_code == 413
    assert "the limit is 3 items" in response.json()["message"]


@override_settings(ERP_BATCH_MAX_BYTES=300)
def test_a_body_over_the_byte_limit_is_413_with_the_limit_stated(world: World) -> None:
    before = row_counts()

    response = push(world, WAREHOUSES, {"items": warehouses(10)})

    assert response.status_code == 413
    assert response.json()["code"] == "batch_too_large"
    assert "the limit is 300 bytes" in response.json()["message"]
    assert row_counts() == before
    assert push(world, WAREHOUSES, {"items": warehouses(1)}).status_code == 200


# --- all or nothing -----------------------------------------------------------------------


def _fail_on_third_save(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    saved: list[str] = []
    original = Warehouse.save

    def save(self: Warehouse, *args: Any, **kwargs: Any) -> None:
        if len(saved) == 2:
            raise RuntimeError("disk full")
        original(self, *args, **kwargs)
        saved.append(self.erp_id or "")

    monkeypatch.setattr(Warehouse, "save", save)
    return saved


@pytest.mark.parametrize("with_versions", [False, True])
def test_a_failure_in_the_middle_of_a_batch_leaves_no_trace(
    world: World, transactional_db: None, monkeypatch: pytest.MonkeyPatch, with_versions: bool
) -> None:
    items = warehouses(5)
    if with_versions:
        for item in items:
            item["version"] = 1
    saved = _fail_on_third_save(monkeypatch)
    before = row_counts()

    response = push(world, WAREHOUSES, {"items": items}, key="doomed")

    assert saved == ["WH-001", "WH-002"]  # two rows were written before the failure
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["code"] == "internal_error"
    assert "nothing of it was written" in response.json()["message"]
    assert not erp_warehouses()
    assert not ErpItemVersion.objects.exists()
    assert not ErpBatch.objects.filter(status=ErpBatch.Status.ACCEPTED).exists()
    failed = ErpBatch.objects.get()
    assert (failed.status, failed.response_status) == (ErpBatch.Status.FAILED, 500)
    after = row_counts()
    after["erp.ErpBatch"] -= 1  # the journal entry of the failure, for support
    assert after == before

    monkeypatch.undo()
    retried = push(world, WAREHOUSES, {"items": items}, key="doomed")
    assert retried.status_code == 200
    assert len(erp_warehouses()) == 5


def test_a_failing_apply_after_writes_rolls_back_the_raw_body_too(
    world: World, transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    resource = RESOURCES[WAREHOUSES]
    original = resource.apply

    def apply_then_fail(context: ApplyContext, items: Sequence[Any]) -> Applied:
        original(context, items)
        assert ErpBatch.objects.filter(pk=context.batch.pk).exists()
        raise KeyError("a bug after the writes")

    monkeypatch.setattr(resource, "apply", apply_then_fail)

    response = push(world, WAREHOUSES, {"items": warehouses(3)})

    assert response.status_code == 500
    assert not erp_warehouses()
    assert list(ErpBatch.objects.values_list("status", flat=True)) == ["failed"]


# --- versions -----------------------------------------------------------------------------


def test_an_older_version_is_skipped_and_reported_a_newer_one_applies(world: World) -> None:
    push(world, WAREHOUSES, {"items": [{"id": "WH-1", "name": "v2", "version": 2}]})

    older = push(world, WAREHOUSES, {"items": [{"id": "WH-1", "name": "v1", "version": 1}]})
    same = push(world, WAREHOUSES, {"items": [{"id": "WH-1", "name": "v2b", "version": 2}]})

    assert erp_warehouses() == {"WH-1": "v2"}
    assert older.json()["updated"] == 0
    assert older.json()["skipped"] == [
        {
            "index": 0,
            "id": "WH-1",
            "reason": "version 1 is not newer than the known version 2",
        }
    ]
    assert same.json()["skipped"][0]["id"] == "WH-1"

    newer = push(world, WAREHOUSES, {"items": [{"id": "WH-1", "name": "v3", "version": 3}]})

    assert newer.json()["updated"] == 1
    assert newer.json()["skipped"] == []
    assert erp_warehouses() == {"WH-1": "v3"}
    assert ErpItemVersion.objects.get(resource=WAREHOUSES, erp_id="WH-1").version == 3


def test_an_older_change_time_is_skipped_a_local_time_is_moscow_time(world: World) -> None:
    # 12:00 without an offset is 12:00 in Moscow, 09:00 UTC
    push(world, WAREHOUSES, {"items": [{"id": "W", "name": "a", "changed_at": "2026-03-01T12:00"}]})

    earlier = push(
        world, WAREHOUSES, {"items": [{"id": "W", "name": "b", "changed_at": "2026-03-01T08:59Z"}]}
    )
    later = push(
        world, WAREHOUSES, {"items": [{"id": "W", "name": "c", "changed_at": "2026-03-01T09:01Z"}]}
    )

    assert len(earlier.json()["skipped"]) == 1
    assert "2026-03-01T08:59:00+00:00" in earlier.json()["skipped"][0]["reason"]
    assert later.json()["updated"] == 1
    assert erp_warehouses() == {"W": "c"}


def test_within_one_batch_an_older_copy_of_an_item_is_skipped(world: World) -> None:
    response = push(
        world,
        WAREHOUSES,
        {
            "items": [
                {"id": "W", "name": "five", "version": 5},
                {"id": "W", "name": "four", "version": 4},
                {"id": "X", "name": "plain"},
            ]
        },
    )

    assert response.json()["created"] == 2
    assert [item["index"] for item in response.json()["skipped"]] == [1]
    assert erp_warehouses() == {"W": "five", "X": "plain"}
    assert ErpItemVersion.objects.get(erp_id="W").version == 5
    assert not ErpItemVersion.objects.filter(erp_id="X").exists()


# --- the raw body -------------------------------------------------------------------------


def test_the_raw_body_is_stored_as_sent_before_the_apply_in_its_transaction(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = json.dumps(
        {"items": [{"id": "WH-EKB", "name": "Екатеринбург", "address": "ул. Фронтовых бригад"}]},
        ensure_ascii=False,
        indent=3,
    ).encode()
    resource = RESOURCES[WAREHOUSES]
    original = resource.apply
    seen: list[tuple[bytes, bool, int]] = []

    def spying_apply(context: ApplyContext, items: Sequence[Any]) -> Applied:
        stored = bytes(ErpBatch.objects.get(pk=context.batch.pk).body)
        seen.append((stored, connection.in_atomic_block, Warehouse.objects.count()))
        return original(context, items)

    monkeypatch.setattr(resource, "apply", spying_apply)
    warehouses_before = Warehouse.objects.count()

    response = push(world, WAREHOUSES, body)

    assert response.status_code == 200
    assert seen == [(body, True, warehouses_before)]
    batch = ErpBatch.objects.get(pk=response.json()["batch_id"])
    assert bytes(batch.body) == body
    assert batch.status == ErpBatch.Status.ACCEPTED
    assert batch.item_count == 1
    assert batch.counts == {"created": 1, "updated": 0, "deleted": 0, "skipped": 0}
    assert batch.response == response.json()
    assert batch.content_type == "application/json"


def test_a_body_over_a_megabyte_is_stored_as_sent_too(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL stores a large body with a statement of its own; the limit is lowered so a
    # small batch takes that path.
    monkeypatch.setattr(batches, "LARGE_BODY", 10)
    body = json.dumps({"items": warehouses(2)}, ensure_ascii=False, indent=1).encode()

    response = push(world, WAREHOUSES, body)

    assert response.status_code == 200, response.content
    assert bytes(ErpBatch.objects.get(pk=response.json()["batch_id"]).body) == body
    assert len(erp_warehouses()) == 2
