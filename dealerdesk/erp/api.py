"""The ERP REST API, `/api/erp/v1/`: one push operation per registered resource, the outbox
pull and acknowledgement, the OpenAPI document and its docs page (served from the package's
own static files, no CDN)."""

from __future__ import annotations

import logging
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI, Query, Router, Status
from ninja.openapi.schema import OpenAPISchema
from ninja.security import HttpBearer
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema
from pydantic_core import ErrorDetails

from dealerdesk.erp import resources
from dealerdesk.erp.batches import (
    IDEMPOTENCY_KEY_PATTERN,
    batch_receive,
    errors_summary,
    item_error,
    max_batch_bytes,
    too_large,
)
from dealerdesk.erp.models import ErpClient
from dealerdesk.erp.registry import RESOURCES, Resource
from dealerdesk.erp.schemas import (
    BIGINT_MAX,
    Ack,
    AckResult,
    BatchResult,
    ErrorAnswer,
    EventPage,
)
from dealerdesk.erp.selectors import MAX_EVENTS_PER_PAGE, events_after, pending_events
from dealerdesk.erp.services import (
    CursorAheadError,
    erp_client_authenticate,
    events_acknowledge,
    events_pull_record,
)
from dealerdesk.tenancy.http import ACCESS_POLICY_ATTRIBUTE

resources.load()
logger = logging.getLogger(__name__)

REF = "#/components/schemas/{model}"


class ErpKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ErpClient | None:
        return erp_client_authenticate(token)


class Unauthorized(BaseModel):
    detail: str


class ErpApi(NinjaAPI):
    """Adds the batch schemas (read from the raw body, not by ninja) to the components."""

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        models: list[tuple[type[BaseModel], Literal["validation"]]] = [
            (resource.batch_model, "validation") for resource in RESOURCES.values()
        ]
        _, definitions = models_json_schema(models, ref_template=REF)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in definitions.get("$defs", {}).items():
            components.setdefault(name, definition)
        return schema


api = ErpApi(
    title="DealerDesk ERP API",
    version="1",
    description=(
        "The supplier's ERP pushes master data, prices, stock, orders and finance as batches, "
        "and pulls what happened in the portal from the outbox. Every push needs "
        "`Authorization: Bearer <key>` and an `Idempotency-Key`; a batch is validated whole "
        "and applied all or nothing. The integration guide: `docs/erp-integration.md`."
    ),
    urls_namespace="erp_api",
    auth=ErpKeyAuth(),
)

ERRORS = {
    400: ErrorAnswer,
    401: Unauthorized,
    409: ErrorAnswer,
    413: ErrorAnswer,
    422: ErrorAnswer,
    500: ErrorAnswer,
}


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _read_body(request: HttpRequest) -> bytes | None:
    """The raw body, or None when it is over the limit (read no further than the limit)."""
    limit = max_batch_bytes()
    if _declared_length(request) > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


def _content_type(request: HttpRequest) -> str:
    return (request.content_type or "application/json").split(";")[0].strip().lower()


def _push_operation(resource: Resource) -> None:
    def push(request: HttpRequest) -> Status[dict[str, Any]]:
        body = _read_body(request)
        if body is None:
            answer = too_large(_declared_length(request))
        else:
            answer = batch_receive(
                client=request.auth,  # type: ignore[attr-defined]
                resource=resource,
                idempotency_key=request.headers.get("Idempotency-Key", ""),
                body=body,
                content_type=_content_type(request),
            )
        return Status(answer.status, answer.body)

    push.__name__ = f"push_{resource.name}"
    batch_ref = {"$ref": REF.format(model=resource.batch_model.__name__)}
    router.add_api_operation(
        f"/{resource.path}",
        ["POST"],
        push,
        response={200: BatchResult, **ERRORS},
        operation_id=f"push_{resource.name}",
        summary=resource.summary,
        description=resource.description,
        tags=["push"],
        url_name=f"push_{resource.name}",
        openapi_extra={
            "parameters": [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": True,
                    "description": "A unique key per batch; a replay answers the first answer.",
                    "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": batch_ref, "example": resource.example},
                    "application/xml": {"schema": batch_ref},
                },
            },
        },
    )


router = Router()
for registered in RESOURCES.values():
    _push_operation(registered)


class EventQuery(BaseModel):
    after: int | None = Field(
        None,
        ge=0,
        le=BIGINT_MAX,
        description="Events after this cursor; by default after the acknowledged one.",
    )
    limit: int = Field(100, ge=1, le=MAX_EVENTS_PER_PAGE)


@router.get(
    "/events",
    response={
        200: EventPage,
        400: ErrorAnswer,
        401: Unauthorized,
        422: ErrorAnswer,
        500: ErrorAnswer,
    },
    tags=["pull"],
    url_name="events",
    summary="Events after a cursor",
    description=(
        "Order placed (the full order document), order changed by the dealer, need raised, "
        "claim filed, company requested... oldest first. Reading moves nothing: acknowledge "
        "with `POST /events/ack`; unacknowledged events are served again."
    ),
)
def events(request: HttpRequest, query: Query[EventQuery]) -> EventPage:
    client: ErpClient = request.auth  # type: ignore[attr-defined]
    events_pull_record(client=client)
    return events_after(client=client, after=query.after, limit=query.limit)


@router.post(
    "/events/ack",
    response={
        200: AckResult,
        400: ErrorAnswer,
        401: Unauthorized,
        422: ErrorAnswer,
        500: ErrorAnswer,
    },
    tags=["pull"],
    url_name="events_ack",
    summary="Acknowledge events up to a cursor",
    openapi_extra={"requestBody": {"content": {"application/json": {"example": {"cursor": 42}}}}},
)
def events_ack(request: HttpRequest, ack: Ack) -> Status[dict[str, Any]]:
    client: ErpClient = request.auth  # type: ignore[attr-defined]
    try:
        cursor = events_acknowledge(client=client, cursor=ack.cursor)
    except CursorAheadError as error:
        answer = ErrorAnswer(code="cursor_ahead", message=str(error))
        return Status(422, answer.model_dump())
    return Status(200, AckResult(acknowledged=cursor, pending=pending_events(client)).model_dump())


api.add_router("/", router)


def _ninja_validation_error(request: HttpRequest, error: Exception) -> Any:
    """Query and small bodies validated by ninja answer in the same shape and codes as
    batches: `cursor: must not be negative`, not ninja's `body.ack.cursor`."""
    details = getattr(error, "errors", [])
    errors = [
        item_error(
            ErrorDetails(
                type=str(detail.get("type", "invalid")),
                loc=_parameter_location(tuple(detail.get("loc", ()))),
                msg=str(detail.get("msg", "is not valid")),
                input=detail.get("input"),
                ctx=detail.get("ctx") or {},
            )
        )
        for detail in details[:1000]
    ]
    answer = ErrorAnswer(
        code="invalid_request",
        message=f"The request is not valid: {errors_summary(errors)}",
        errors=errors,
    )
    return api.create_response(request, answer.model_dump(), status=422)


def _parameter_location(location: tuple[Any, ...]) -> tuple[Any, ...]:
    # ninja prefixes the source ("query", "body") and, for a body, the parameter's name.
    if location[:1] == ("body",):
        return location[2:]
    return location[1:]


def _http_error(request: HttpRequest, error: Exception) -> Any:
    """A body ninja cannot parse answers like a malformed batch; a refused key says nothing."""
    status = getattr(error, "status_code", 400)
    if status == 401:
        return api.create_response(request, {"detail": "Unauthorized"}, status=401)
    answer = ErrorAnswer(code="bad_request", message=str(error))
    return api.create_response(request, answer.model_dump(), status=status)


def _unexpected_error(request: HttpRequest, error: Exception) -> Any:
    # The ERP parses every answer as JSON: a bug answers in the same shape as any error.
    logger.error("ERP API request failed: %s", request.path, exc_info=error)
    answer = ErrorAnswer(
        code="internal_error",
        message="The portal failed to answer; nothing was changed. Try again later.",
    )
    return api.create_response(request, answer.model_dump(), status=500)


def _register_handlers() -> None:
    from ninja.errors import HttpError, ValidationError

    api.add_exception_handler(ValidationError, _ninja_validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, _http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, _unexpected_error)  # type: ignore[arg-type]


_register_handlers()


def urlpatterns() -> list[URLPattern | URLResolver]:
    """The API's URLs, each marked with its access policy for the authorization matrix."""
    patterns, _, _ = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            policy = "erp_client" if pattern.name not in PUBLIC_NAMES else "public"
            setattr(pattern.callback, ACCESS_POLICY_ATTRIBUTE, policy)
    return patterns


# The OpenAPI document and its page are public: they describe the API, they hold no data.
PUBLIC_NAMES = {"openapi-json", "openapi-view", "api-root"}
