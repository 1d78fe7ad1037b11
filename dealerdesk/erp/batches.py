"""Receiving a batch: limits, idempotency, parsing (JSON or XML), validation of the whole
batch, then the raw body stored and the batch applied in one transaction, all or nothing."""

from __future__ import annotations

import datetime
import gc
import hashlib
import json
import logging
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import psycopg
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from dealerdesk.erp.models import ErpBatch, ErpClient, ErpItemVersion
from dealerdesk.erp.registry import Applied, BatchRejectedError, ItemErrors, Resource
from dealerdesk.erp.schemas import BatchResult, ErpItem, ErrorAnswer, ItemError, SkippedItem
from dealerdesk.erp.xml import XmlError, xml_to_data

logger = logging.getLogger(__name__)

Item = TypeVar("Item", bound=ErpItem)

XML_TYPES = ("application/xml", "text/xml")


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def error_answer(status: int, code: str, message: str, errors: Iterable[ItemError] = ()) -> Answer:
    return Answer(status, ErrorAnswer(code=code, message=message, errors=list(errors)).model_dump())


@dataclass
class ApplyContext:
    """What an importer gets besides the items: the batch, its options and the clock."""

    client: ErpClient
    batch: ErpBatch
    resource: Resource
    options: dict[str, Any]
    now: datetime.datetime
    skipped: list[SkippedItem] = field(default_factory=list)

    def fresh(self, items: Sequence[Item]) -> list[tuple[int, Item]]:
        """The items (with their index) newer than what is stored and than an earlier item of
        the same batch with the same id; older ones are reported as skipped. Items without a
        version or change time are always fresh."""
        versioned = {item.id for item in items if item.version is not None or item.changed_at}
        stored = {
            row.erp_id: row
            for chunk in _chunks(list(versioned), 500)
            for row in ErpItemVersion.objects.filter(resource=self.resource.path, erp_id__in=chunk)
        }
        newest: dict[str, Stamp] = {
            erp_id: Stamp(row.version, row.changed_at) for erp_id, row in stored.items()
        }
        fresh: list[tuple[int, Item]] = []
        for index, item in enumerate(items):
            known = newest.get(item.id)
            if known is not None and not known.is_older_than(item):
                self.skipped.append(SkippedItem(index=index, id=item.id, reason=known.reason(item)))
                continue
            fresh.append((index, item))
            if item.id in versioned:
                newest[item.id] = Stamp(item.version, item.changed_at)
        self._remember_versions(
            {erp_id: stamp for erp_id, stamp in newest.items() if erp_id in versioned}, stored
        )
        return fresh

    def _remember_versions(
        self, newest: dict[str, Stamp], stored: dict[str, ErpItemVersion]
    ) -> None:
        new, changed = [], []
        for erp_id, stamp in newest.items():
            row = stored.get(erp_id)
            if row is None:
                new.append(
                    ErpItemVersion(
                        resource=self.resource.path,
                        erp_id=erp_id,
                        version=stamp.version,
                        changed_at=stamp.changed_at,
                    )
                )
            elif (row.version, row.changed_at) != (stamp.version, stamp.changed_at):
                row.version, row.changed_at = stamp.version, stamp.changed_at
                changed.append(row)
        ErpItemVersion.objects.bulk_create(new, batch_size=1000)
        ErpItemVersion.objects.bulk_update(changed, ["version", "changed_at"], batch_size=1000)


@dataclass(frozen=True)
class Stamp:
    """The version and change time of one object: stored, or sent earlier in the batch."""

    version: int | None
    changed_at: datetime.datetime | None

    def is_older_than(self, item: ErpItem) -> bool:
        if item.version is not None and self.version is not None:
            return item.version > self.version
        if item.changed_at is not None and self.changed_at is not None:
            return item.changed_at > self.changed_at
        return True  # nothing comparable: the ERP changed how it versions, take the update

    def reason(self, item: ErpItem) -> str:
        if item.version is not None and self.version is not None:
            return f"version {item.version} is not newer than the known version {self.version}"
        sent = item.changed_at.isoformat() if item.changed_at else None
        known = self.changed_at.isoformat() if self.changed_at else None
        return f"changed_at {sent} is not newer than the known {known}"


def _chunks(values: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- validation messages -------------------------------------------------------------------

_MESSAGES = {
    "missing": ("required", "is required"),
    "extra_forbidden": ("unknown_field", "is not a field of this resource"),
    "string_too_short": ("empty", "must not be empty"),
    "string_too_long": ("too_long", "is longer than {max_length} characters"),
    "decimal_parsing": ("not_a_number", "must be a number"),
    "decimal_type": ("not_a_number", "must be a number"),
    "decimal_max_places": ("too_precise", "has more than {decimal_places} decimal places"),
    "decimal_max_digits": ("too_large", "has more than {max_digits} digits"),
    "decimal_whole_digits": ("too_large", "is too large"),
    "int_parsing": ("not_an_integer", "must be a whole number"),
    "int_type": ("not_an_integer", "must be a whole number"),
    "bool_parsing": ("not_a_boolean", "must be true or false"),
    "bool_type": ("not_a_boolean", "must be true or false"),
    "date_from_datetime_parsing": ("not_a_date", "must be a date, YYYY-MM-DD"),
    "date_parsing": ("not_a_date", "must be a date, YYYY-MM-DD"),
    "date_type": ("not_a_date", "must be a date, YYYY-MM-DD"),
    "datetime_from_date_parsing": ("not_a_datetime", "must be a date and time (ISO 8601)"),
    "datetime_parsing": ("not_a_datetime", "must be a date and time (ISO 8601)"),
    "datetime_type": ("not_a_datetime", "must be a date and time (ISO 8601)"),
    "string_type": ("not_a_string", "must be a string"),
    "list_type": ("not_a_list", "must be a list"),
    "model_type": ("not_an_object", "must be an object"),
    "model_attributes_type": ("not_an_object", "must be an object"),
    "enum": ("not_allowed", "must be one of {expected}"),
    "literal_error": ("not_allowed", "must be one of {expected}"),
    "value_error": ("invalid", "{reason}"),
}


def _path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path or "body"


def item_error(detail: ErrorDetails) -> ItemError:
    path = _path(tuple(detail["loc"]))
    context = dict(detail.get("ctx") or {})
    kind = detail["type"]
    if kind == "greater_than_equal" and Decimal(str(context.get("ge"))) == 0:
        code, text = "negative", "must not be negative"
    elif kind in ("greater_than_equal", "greater_than"):
        code, text = "too_small", f"must be at least {context.get('ge', context.get('gt'))}"
    elif kind in ("less_than_equal", "less_than"):
        code, text = "too_big", f"must be at most {context.get('le', context.get('lt'))}"
    elif kind in _MESSAGES:
        code, template = _MESSAGES[kind]
        context.setdefault("reason", str(context.get("error", detail["msg"])))
        text = template.format_map(_Default(context))
    else:
        code, text = kind, detail["msg"][:1].lower() + detail["msg"][1:]
    return ItemError(path=path, code=code, message=f"{path}: {text}")


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def validation_errors(error: ValidationError) -> list[ItemError]:
    return [item_error(detail) for detail in error.errors(include_url=False)[:1000]]


# --- receiving ------------------------------------------------------------------------------


def body_sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _parse_xml(body: bytes, resource: Resource) -> Any:
    return xml_to_data(body, resource.batch_model)


def _parse_json(body: bytes, resource: Resource) -> BaseModel:
    # A NUL is reported by `_nul_errors` on the validated model: such a body takes that path.
    if resource.read_json is not None and b"\\u0000" not in body:
        batch = resource.read_json(body, resource.batch_model, max_batch_items())
        if batch is not None:
            return batch
    # pydantic parses and validates JSON in one pass, far faster than json.loads first.
    return resource.batch_model.model_validate_json(body)


def _replay(client: ErpClient, resource: Resource, key: str, digest: str) -> Answer | None:
    first = (
        ErpBatch.objects.filter(client=client, idempotency_key=key, status=ErpBatch.Status.ACCEPTED)
        .defer("body")
        .first()
    )
    if first is None:
        return None
    if first.resource != resource.path:
        return error_answer(
            409,
            "idempotency_key_reused",
            f"The Idempotency-Key {key!r} was used for batch #{first.id} of another resource "
            f"({first.resource}); use a new key for a new batch.",
        )
    if first.body_sha256 != digest:
        return error_answer(
            409,
            "idempotency_key_reused",
            f"The Idempotency-Key {key!r} was used for batch #{first.id} ({first.resource}) "
            "with a different body; use a new key for a new batch.",
        )
    return Answer(first.response_status, first.response, replayed=True)


def _journal_refused(
    client: ErpClient,
    resource: Resource,
    key: str,
    body: bytes,
    content_type: str,
    answer: Answer,
    item_count: int,
    started: float,
) -> Answer:
    """Keep a batch that was not applied in the journal, for support; it holds no key."""
    # An error may quote what was sent (a misspelt field's name): PostgreSQL stores no NUL.
    answer.body = _without_nul(answer.body)
    ErpBatch.objects.create(
        client=client,
        resource=resource.path,
        idempotency_key=key,
        body_sha256=body_sha256(body),
        content_type=content_type,
        body=body,
        status=ErpBatch.Status.FAILED if answer.status >= 500 else ErpBatch.Status.REJECTED,
        item_count=item_count,
        errors=answer.body.get("errors", []) or [{"message": answer.body.get("message", "")}],
        response_status=answer.status,
        response=answer.body,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    return answer


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_without_nul(element) for element in value]
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(element) for key, element in value.items()}
    return value


def max_batch_bytes() -> int:
    return int(settings.ERP_BATCH_MAX_BYTES)


def max_batch_items() -> int:
    return int(settings.ERP_BATCH_MAX_ITEMS)


def too_large(size: int) -> Answer:
    limit = max_batch_bytes()
    return error_answer(
        413,
        "batch_too_large",
        f"The batch is {size} bytes; the limit is {limit} bytes ({limit / 1024 / 1024:.1f} MB). "
        "Split it into several batches.",
    )


# Printable ASCII: the key is an HTTP header, stored and shown in the journal as is.
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,200}$"
_IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)


def batch_receive(
    *, client: ErpClient, resource: Resource, idempotency_key: str, body: bytes, content_type: str
) -> Answer:
    """Check, validate and apply one pushed batch; the answer to send back."""
    # A batch allocates up to millions of small objects that all live until the answer: the
    # cyclic garbage collector would scan them again and again (it doubled the validation time
    # of a million prices) and could free nothing. It runs again when the batch is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _receive(
            client=client,
            resource=resource,
            idempotency_key=idempotency_key,
            body=body,
            content_type=content_type,
        )
    finally:
        if collecting:
            gc.enable()


def _receive(
    *, client: ErpClient, resource: Resource, idempotency_key: str, body: bytes, content_type: str
) -> Answer:
    started = time.monotonic()
    key = idempotency_key.strip()
    if not _IDEMPOTENCY_KEY.match(key):
        return error_answer(
            400,
            "idempotency_key_required",
            "Send an Idempotency-Key header (1 to 200 printable ASCII characters, e.g. a UUID) "
            "with every batch.",
        )
    if len(body) > max_batch_bytes():
        return too_large(len(body))
    content_type = content_type[:100].replace("\x00", "")
    digest = body_sha256(body)
    replay = _replay(client, resource, key, digest)
    if replay is not None:
        return replay

    def refused(answer: Answer, item_count: int = 0) -> Answer:
        return _journal_refused(
            client, resource, key, body, content_type, answer, item_count, started
        )

    try:
        if content_type in XML_TYPES:
            batch = resource.batch_model.model_validate(_parse_xml(body, resource))
        else:
            batch = _parse_json(body, resource)
    except XmlError as error:
        return refused(error_answer(400, error.code, error.message))
    except ValidationError as error:
        return refused(*_validation_answer(error))
    count = len(batch.items)  # type: ignore[attr-defined]
    # PostgreSQL cannot store NUL in text; JSON is the only form that can carry one.
    nul_errors = _nul_errors(batch) if b"\\u0000" in body else []
    if nul_errors:
        return refused(
            error_answer(422, "invalid_batch", _summary(nul_errors, count), nul_errors), count
        )
    try:
        return _apply(client, resource, key, body, digest, content_type, batch, count, started)
    except BatchRejectedError as rejection:
        return refused(
            error_answer(422, "invalid_batch", _summary(rejection.errors, count), rejection.errors),
            count,
        )
    except IntegrityError:
        # The same key arrived twice at once: the first one won; answer as its replay.
        replay = _replay(client, resource, key, digest)
        if replay is not None:
            return replay
        return refused(_failure(resource), count)
    except Exception:
        return refused(_failure(resource), count)


def _failure(resource: Resource) -> Answer:
    # The transaction is rolled back: nothing of the batch is written, so a retry is safe.
    logger.exception("ERP batch for %s failed", resource.path)
    return error_answer(
        500,
        "internal_error",
        "The portal failed to apply the batch; nothing of it was written. Send it again with "
        "the same Idempotency-Key; if it fails again, tell the supplier's support.",
    )


def _nul_errors(batch: BaseModel) -> list[ItemError]:
    errors: list[ItemError] = []

    def walk(value: Any, location: tuple[int | str, ...]) -> None:
        if len(errors) >= ItemErrors.LIMIT:
            return
        if isinstance(value, str):
            if "\x00" in value:
                path = _path(location)
                errors.append(
                    ItemError(
                        path=path,
                        code="nul_character",
                        message=f"{path}: must not contain the NUL character",
                    )
                )
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), (*location, name))
        elif isinstance(value, list | tuple):
            for index, element in enumerate(value):
                walk(element, (*location, index))
        elif isinstance(value, dict):
            for name, element in value.items():
                walk(name, location)
                walk(element, (*location, str(name)))

    walk(batch, ())
    return errors


def _validation_answer(error: ValidationError) -> tuple[Answer, int]:
    details = error.errors(include_url=False)
    for detail in details:
        if detail["type"] == "json_invalid":
            reason = (detail.get("ctx") or {}).get("error", detail["msg"])
            return error_answer(400, "malformed_json", f"The body is not JSON: {reason}."), 0
        if detail["type"] == "too_long" and tuple(detail["loc"]) == ("items",):
            count = int((detail.get("ctx") or {}).get("actual_length", 0))
            return error_answer(
                413,
                "too_many_items",
                f"The batch has {count} items; the limit is {max_batch_items()} items per batch.",
            ), count
    errors = validation_errors(error)
    return error_answer(422, "invalid_batch", _summary(errors, -1), errors), 0


def errors_summary(errors: list[ItemError]) -> str:
    """The first few errors in one line, for logs and for a human reading the answer."""
    shown = "; ".join(error.message for error in errors[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return f"{shown}{more}."


def _summary(errors: list[ItemError], count: int) -> str:
    items = f" in {count} items" if count >= 0 else ""
    return f"Nothing was applied: {len(errors)} errors{items}: {errors_summary(errors)}"


LARGE_BODY = 1024 * 1024


def _store_body(batch_id: int, body: bytes) -> None:
    """Django's psycopg backend inlines parameters into the SQL text, so 80 MB of body would
    travel as 160 MB of hex. psycopg's own cursor sends it as a binary parameter (4x faster);
    it runs on the same connection, so in the same transaction. (`connection.cursor()` of the
    raw connection is Django's client-side binding cursor again: its factory is Django's.)"""
    connection.ensure_connection()
    raw = connection.connection
    if raw is None:  # pragma: no cover - ensure_connection() opened it
        raise RuntimeError("no database connection")
    with psycopg.Cursor(raw) as cursor:
        # lz4 compresses the body to the same size in half the time of the default (pglz);
        # for this transaction only, and only where the server was built with it.
        cursor.execute(
            "SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings "
            "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )
        cursor.execute(
            f"UPDATE {ErpBatch._meta.db_table} SET body = %b WHERE id = %s",  # noqa: S608
            [body, batch_id],
        )


@transaction.atomic
def _apply(
    client: ErpClient,
    resource: Resource,
    key: str,
    body: bytes,
    digest: str,
    content_type: str,
    batch: BaseModel,
    count: int,
    started: float,
) -> Answer:
    # The raw body is stored first, in the same transaction: a failure leaves neither.
    large = connection.vendor == "postgresql" and len(body) > LARGE_BODY
    record = ErpBatch.objects.create(
        client=client,
        resource=resource.path,
        idempotency_key=key,
        body_sha256=digest,
        content_type=content_type,
        body=b"" if large else body,
        status=ErpBatch.Status.ACCEPTED,
        item_count=count,
    )
    if large:
        _store_body(record.pk, body)
    options = {name: value for name, value in batch if name != "items"}
    context = ApplyContext(
        client=client, batch=record, resource=resource, options=options, now=timezone.now()
    )
    applied: Applied = resource.apply(context, batch.items)  # type: ignore[attr-defined]
    result = BatchResult(
        batch_id=record.id,
        resource=resource.path,
        received=count,
        created=applied.created,
        updated=applied.updated,
        deleted=applied.deleted,
        skipped=context.skipped,
    )
    record.response = result.model_dump(mode="json")
    record.counts = {
        "created": applied.created,
        "updated": applied.updated,
        "deleted": applied.deleted,
        "skipped": len(context.skipped),
    }
    record.duration_ms = int((time.monotonic() - started) * 1000)
    record.save(update_fields=["response", "counts", "duration_ms"])
    return Answer(200, record.response)


def items_receive(
    *,
    client: ErpClient,
    resource: Resource,
    items: list[dict[str, Any]],
    options: dict[str, Any] | None = None,
    idempotency_key: str,
) -> Answer:
    """Apply items an adapter (CommerceML...) read from another format: they become an
    ordinary JSON batch, so they take the same path, journal and idempotency as the API.
    Give each chunk a key derived from its source, so a repeated import step replays."""
    body = json.dumps({**(options or {}), "items": items}, ensure_ascii=False, default=str).encode()
    return batch_receive(
        client=client,
        resource=resource,
        idempotency_key=idempotency_key,
        body=body,
        content_type="application/json",
    )
