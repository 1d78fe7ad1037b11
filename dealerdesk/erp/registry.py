"""The resources the ERP may push: each declares its item schema and how a batch is applied.

A resource module under `erp/resources/` calls `register(...)` at import; the API builds one
`POST /api/erp/v1/<path>` operation per resource, the XML adapter and the journal use the same
declarations, so adding a resource is one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from pydantic import BaseModel, Field, create_model

from dealerdesk.erp.schemas import ErpItem, ItemError, Strict

if TYPE_CHECKING:
    from dealerdesk.erp.batches import ApplyContext


@dataclass
class Applied:
    """What applying a batch did, counted per item."""

    created: int = 0
    updated: int = 0
    deleted: int = 0


class BatchRejectedError(Exception):
    """The batch refers to objects that do not exist, or breaks a rule only the database
    knows; nothing of it is written."""

    def __init__(self, errors: list[ItemError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


class ItemErrors:
    """Errors found while applying, collected so the ERP sees all of them at once."""

    LIMIT = 1000

    def __init__(self) -> None:
        self.errors: list[ItemError] = []

    def add(self, index: int, field_name: str, code: str, message: str) -> None:
        if len(self.errors) < self.LIMIT:
            path = f"items[{index}].{field_name}" if field_name else f"items[{index}]"
            self.errors.append(ItemError(path=path, code=code, message=f"{path}: {message}"))

    def unknown(self, index: int, field_name: str, what: str, erp_id: str) -> None:
        self.add(index, field_name, "unknown_reference", f"no {what} with id {erp_id!r}")

    def refuse_duplicate_ids(self, fresh: Sequence[tuple[int, ErpItem]]) -> None:
        """One object once per batch: with two versions of it, which one wins would be a guess."""
        first: dict[str, int] = {}
        for index, item in fresh:
            if item.id in first:
                self.add(index, "id", "duplicate", f"repeats the id of items[{first[item.id]}]")
            else:
                first[item.id] = index

    def raise_if_any(self) -> None:
        if self.errors:
            raise BatchRejectedError(self.errors)


Apply = Callable[["ApplyContext", Sequence[Any]], Applied]
# (body, batch model, item limit) -> the batch, or None to leave the body to the batch model.
ReadJson = Callable[[bytes, type[BaseModel], int], BaseModel | None]


@dataclass
class Resource:
    path: str  # plural noun in the URL: "prices", "legal-entities"
    summary: str
    description: str
    item: type[BaseModel]  # an ErpItem, or a Strict row keyed by references (stock, prices)
    apply: Apply
    example: dict[str, Any]
    # Batch-level fields besides `items`, e.g. {"full_snapshot": (bool, Field(False, ...))}.
    options: dict[str, Any] = field(default_factory=dict)
    # A shortcut for huge batches (a million prices): reads a JSON body that is plainly valid
    # without building a model per item. Whatever it does not return goes to the batch model,
    # so what is accepted and every error message stay the batch model's.
    read_json: ReadJson | None = None

    @property
    def name(self) -> str:
        return self.path.replace("-", "_")

    # One batch model per item limit: the limit is read at request time (tests and operators
    # change the setting), and rebuilding a model per request would cost more than a batch.
    _batch_models: dict[int, type[BaseModel]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def batch_model(self) -> type[BaseModel]:
        """The whole batch (`items` plus the options), limited to ERP_BATCH_MAX_ITEMS items."""
        limit = int(settings.ERP_BATCH_MAX_ITEMS)
        model = self._batch_models.get(limit)
        if model is None:
            model = self._batch_models[limit] = self._build_batch_model(limit)
        return model

    def _build_batch_model(self, max_items: int) -> type[BaseModel]:
        title = "".join(part.capitalize() for part in self.path.split("-"))
        items_type: Any = list[self.item]  # type: ignore[name-defined]
        model: type[BaseModel] = create_model(
            f"{title}Batch",
            __base__=Strict,
            items=(
                items_type,
                Field(description="The objects of the batch.", max_length=max_items),
            ),
            **self.options,
        )
        return model


RESOURCES: dict[str, Resource] = {}


def register(resource: Resource) -> Resource:
    if resource.path in RESOURCES:
        raise ValueError(f"ERP resource {resource.path!r} is registered twice")
    RESOURCES[resource.path] = resource
    return resource
