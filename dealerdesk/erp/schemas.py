"""The building blocks of every ERP batch: an item keyed by the ERP's own id, optionally
versioned, and the answers the API gives (result, errors, events)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

ErpId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Quantity = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=3)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
# Numbers the database stores as a 64-bit integer; a larger one is an error, not a crash.
BIGINT_MAX = 2**63 - 1


class Strict(BaseModel):
    """Unknown fields are errors: a misspelt field must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ErpItem(Strict):
    """One object of a batch, keyed by the ERP's own id (a GUID or a code)."""

    id: ErpId = Field(description="The ERP's own id of the object (GUID or code).")
    version: int | None = Field(
        default=None,
        ge=0,
        le=BIGINT_MAX,
        description="Optional version; an item not newer than the stored one is skipped.",
    )
    changed_at: datetime.datetime | None = Field(
        default=None,
        description=(
            "Optional change time; used like `version` when no version is given. "
            "A time without a UTC offset is the supplier's local time."
        ),
    )

    @field_validator("changed_at")
    @classmethod
    def _aware(cls, value: datetime.datetime | None) -> datetime.datetime | None:
        # 1C sends local times without an offset; comparing them with stored (aware) times
        # would fail, so they are read as the supplier's time zone.
        if value is None:
            return None
        try:
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            return value.astimezone(datetime.UTC)
        except (OverflowError, ValueError) as error:
            raise ValueError("is not a representable date and time") from error


class SkippedItem(BaseModel):
    index: int
    id: str
    reason: str


class BatchResult(BaseModel):
    """The answer to an accepted batch; a replay of its idempotency key answers the same."""

    batch_id: int
    resource: str
    received: int = Field(description="Items in the batch.")
    created: int = 0
    updated: int = 0
    deleted: int = Field(0, description="Removed or set to zero by a full snapshot.")
    skipped: list[SkippedItem] = Field(
        default_factory=list, description="Items older than what is stored, not applied."
    )


class ItemError(BaseModel):
    path: str = Field(description="Where the error is, e.g. `items[17].price`.")
    code: str = Field(description="A machine-readable code, e.g. `negative`, `unknown_reference`.")
    message: str


class ErrorAnswer(BaseModel):
    code: str
    message: str
    errors: list[ItemError] = Field(default_factory=list)


class Event(BaseModel):
    cursor: int = Field(description="The event's number; acknowledge up to it.")
    id: str = Field(description="A stable id for de-duplication on the ERP side.")
    kind: str
    aggregate_type: str
    aggregate_id: str
    created_at: datetime.datetime
    payload: dict[str, Any]


class EventPage(BaseModel):
    events: list[Event]
    next_cursor: int = Field(description="Pass as `after` for the next page; acknowledge it.")
    has_more: bool


class Ack(Strict):
    cursor: int = Field(
        ge=0, le=BIGINT_MAX, description="Every event up to and including it was taken."
    )


class AckResult(BaseModel):
    acknowledged: int
    pending: int = Field(description="Events after the acknowledged cursor.")
