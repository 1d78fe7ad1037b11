"""The OpenAPI document and its page, and Schemathesis driving every operation from it."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from conftest import World
from dealerdesk.erp import resources
from dealerdesk.erp.models import ErpBatch
from dealerdesk.erp.registry import RESOURCES

resources.load()

OPENAPI = "/api/erp/v1/openapi.json"
DOCS = "/api/erp/v1/docs"


@pytest.fixture
def document() -> dict[str, Any]:
    response = Client().get(OPENAPI)
    assert response.status_code == 200
    return response.json()


def resolve(document: dict[str, Any], reference: str) -> dict[str, Any]:
    assert reference.startswith("#/components/schemas/")
    return document["components"]["schemas"][reference.rsplit("/", 1)[-1]]


def test_the_document_is_valid_openapi_3(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.")
    # Schemathesis checks the document against the OpenAPI meta-schema of its version.
    schemathesis.openapi.from_dict(document).validate()


@pytest.mark.parametrize("path", sorted(RESOURCES))
def test_every_resource_has_a_push_operation_with_a_schema_and_an_example(
    document: dict[str, Any], path: str
) -> None:
    resource = RESOURCES[path]
    operation = document["paths"][f"/api/erp/v1/{path}"]["post"]

    assert operation["operationId"] == f"push_{resource.name}"
    assert operation["summary"] == resource.summary
    assert operation["description"]
    content = operation["requestBody"]["content"]
    assert set(content) == {"application/json", "application/xml"}
    reference = content["application/json"]["schema"]["$ref"]
    schema = resolve(document, reference)
    assert "items" in schema["properties"]
    assert schema["additionalProperties"] is False
    assert content["application/json"]["example"] == resource.example
    assert resource.example["items"], "an example shows at least one item"
    # the example is a valid batch of its resource
    resource.batch_model.model_validate(resource.example)
    header = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
    assert header[0]["required"] is True
    assert {"200", "400", "401", "409", "413", "422", "500"} <= set(operation["responses"])


def test_the_item_limit_is_documented(document: dict[str, Any]) -> None:
    reference = document["paths"]["/api/erp/v1/warehouses"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]["$ref"]

    assert resolve(document, reference)["properties"]["items"]["maxItems"] == 50_000


def test_the_pull_operations_are_documented(document: dict[str, Any]) -> None:
    events = document["paths"]["/api/erp/v1/events"]["get"]
    ack = document["paths"]["/api/erp/v1/events/ack"]["post"]

    assert {p["name"] for p in events["parameters"]} == {"after", "limit"}
    assert {"200", "401", "422"} <= set(events["responses"])
    assert {"200", "400", "401", "422"} <= set(ack["responses"])
    assert document["components"]["securitySchemes"]


def test_the_docs_page_renders_from_local_static_files_only(db: None) -> None:
    response = Client().get(DOCS)

    assert response.status_code == 200
    html = response.content.decode()
    assert OPENAPI in html
    assert "swagger-ui" in html
    assert not re.search(r"https?://", html), re.findall(r"https?://[^\s\"']+", html)
    scripts = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert scripts
    assert all(url.startswith("/") for url in scripts), scripts
    for url in scripts:
        # the files ship with django-ninja and are collected like any static file
        assert finders.find(url.removeprefix(django_settings.STATIC_URL)), url


# --- Schemathesis -------------------------------------------------------------------------


@pytest.fixture
def wsgi_in_test_transaction() -> Iterator[Any]:
    """The real WSGI app on the test database: like Django's test client, keep the connection
    (and the test's transaction) open across requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


# Positive cases fit the schema, negative ones break it; 15 calls per operation in all keep
# the whole run well under a minute.
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}


def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(
    world: World, wsgi_in_test_transaction: Any
) -> None:
    schema = schemathesis.openapi.from_wsgi(OPENAPI, wsgi_in_test_transaction)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(RESOURCES) + 2
    statuses: Counter[int] = Counter()

    for operation in operations:
        for mode, examples in EXAMPLES.items():

            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case: Any) -> None:
                # A fresh key per call (not generated: Hypothesis would repeat the simplest one,
                # and every call after the first would be a 409).
                response = case.call(
                    headers={
                        "Authorization": f"Bearer {world.erp_key}",
                        "Idempotency-Key": str(uuid.uuid4()),
                    }
                )
                statuses[response.status_code] += 1
                case.validate_response(response, checks=CHECKS)

            call()

    # the key was taken and batches got through, not only refused
    assert statuses[200] >= len(operations)
    assert ErpBatch.objects.filter(status=ErpBatch.Status.ACCEPTED).count() >= len(RESOURCES)
    assert not ErpBatch.objects.filter(status=ErpBatch.Status.FAILED).exists()
