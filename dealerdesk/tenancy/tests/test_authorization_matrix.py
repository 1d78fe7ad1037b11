"""The authorization matrix: every URL of the project, every persona, the expected outcome.

`test_every_url_pattern_has_a_matrix_row` walks the URL resolver and fails for any pattern
without a row, so a new page cannot be added without deciding who may open it. Rows of the
first apps live here; later apps declare theirs in `dealerdesk/<app>/tests/matrix_rows.py`
(`ROWS`, optional `PROBES`), collected below. Each row is requested as every persona; a
denied request must also leave the database unchanged.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import Persona, World
from dealerdesk.orders.models import Order
from dealerdesk.orders.services import order_line_cancel
from dealerdesk.orders.tests.factories import draft_line_create, order_create
from dealerdesk.shipments.models import Claim, Shipment
from dealerdesk.shipments.services import claim_file
from dealerdesk.shipments.tests.factories import shipment_for
from dealerdesk.tenancy.http import ACCESS_POLICY_ATTRIBUTE
from dealerdesk.tenancy.tests.matrix import (
    ADMIN_LOGIN,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    SIGNED_IN_DEALERS,
    Outcome,
    Probe,
    Row,
    dealer_page,
    ordering_page,
    outcomes,
)


def own_order() -> Callable[[World], list[Any]]:
    return lambda w: [
        order_create(
            legal_entity=w.a_main, author=w.user(Persona.EMPLOYEE_WITH_RIGHT), product=w.breaker
        ).id
    ]


def own_invoice() -> Callable[[World], list[Any]]:
    return lambda w: [
        order_create(
            legal_entity=w.a_main, author=w.user(Persona.EMPLOYEE_WITH_RIGHT), product=w.breaker
        )
        .documents.get()
        .id
    ]


def superusers_line() -> Callable[[World], list[Any]]:
    return lambda w: [
        draft_line_create(
            user=w.user(Persona.SUPERUSER), legal_entity=w.a_main, product=w.breaker
        ).id
    ]


def a_main_order(world: World) -> Order:
    return order_create(
        legal_entity=world.a_main,
        author=world.user(Persona.EMPLOYEE_WITH_RIGHT),
        product=world.breaker,
    )


def cancelled_order() -> Callable[[World], list[Any]]:
    def build(world: World) -> list[Any]:
        order = a_main_order(world)
        order_line_cancel(line=order.lines.get(), quantity=Decimal(1), reason="нет в наличии")
        return [order.id]

    return build


def a_main_shipment(world: World) -> Shipment:
    return shipment_for(a_main_order(world))


def a_main_claim(world: World) -> Claim:
    upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    return claim_file(
        user=world.user(Persona.SUPERUSER),
        shipment_line=a_main_shipment(world).lines.get(),
        reason="defect",
        quantity=Decimal(1),
        description="брак",
        attachments=[upload],
    )


CLAIM_MANAGERS = {"superuser": OK, "main_entity_user": OK}


def claim_page(allowed: Outcome) -> dict[Persona, Outcome]:
    """Claims of the main entity: only for users holding the claims right on it."""
    table = dealer_page(
        employee_without_right=NOT_FOUND,
        employee_with_right=NOT_FOUND,
        subsidiary_user=NOT_FOUND,
        other_dealer=NOT_FOUND,
    )
    table.update({Persona(name): allowed for name in CLAIM_MANAGERS})
    return table


MATRIX: dict[str, Row] = {
    "home": Row(outcomes(REDIRECT)),
    "healthz": Row(outcomes(OK)),
    "language_set": Row(outcomes(REDIRECT), method="post", data=lambda w: {"language": "en"}),
    "accounts:login": Row(
        outcomes(REDIRECT, anonymous=OK, blocked=OK)  # signed-in users go straight on
    ),
    "accounts:logout": Row(outcomes(REDIRECT), method="post"),
    "accounts:no_access": Row(outcomes(FORBIDDEN, anonymous=LOGIN, blocked=LOGIN)),
    "tenancy:legal_entity_switch": Row(
        # A sibling subsidiary and another dealer's staff get the same 404 as "missing".
        dealer_page(
            subsidiary_user=NOT_FOUND,
            other_dealer=NOT_FOUND,
            **{
                persona.value: REDIRECT
                for persona in [
                    Persona.EMPLOYEE_WITHOUT_RIGHT,
                    Persona.EMPLOYEE_WITH_RIGHT,
                    Persona.MAIN_ENTITY_USER,
                    Persona.SUPERUSER,
                ]
            },
        ),
        method="post",
        data=lambda w: {"legal_entity": w.a_sub2.id, "next": "/catalog/"},
    ),
    "catalog:product_list": Row(dealer_page()),
    "catalog:category": Row(dealer_page(), args=lambda w: [w.breakers.id]),
    "catalog:product_detail": Row(dealer_page(), args=lambda w: [w.breaker.id]),
    "catalog:search_suggestions": Row(dealer_page(), data=lambda w: {"q": "ва47"}),
    "catalog:product_document_download": Row(
        outcomes(OK, anonymous=LOGIN, blocked=LOGIN, no_access=NOT_FOUND),
        args=lambda w: [w.document.id],
    ),
    "companies:legal_entity_list": Row(dealer_page()),
    "orders:cart": Row(ordering_page(OK)),
    "orders:cart_lines": Row(ordering_page(OK), data=lambda w: {"q": "ва47"}),
    "orders:cart_suggest": Row(ordering_page(OK), data=lambda w: {"q": "mva"}),
    "orders:cart_add": Row(
        ordering_page(REDIRECT),
        method="post",
        data=lambda w: {"product": w.breaker.id, "quantity": "1"},
    ),
    "orders:cart_line_quantity": Row(
        # Only the owner of the draft reaches its lines; for everyone else the line is missing.
        ordering_page(NOT_FOUND, superuser=OK),
        method="post",
        args=superusers_line(),
        data=lambda w: {"quantity": "3", "expected": "1"},
    ),
    "orders:cart_line_remove": Row(
        ordering_page(NOT_FOUND, superuser=REDIRECT), method="post", args=superusers_line()
    ),
    "orders:cart_clear": Row(ordering_page(REDIRECT), method="post"),
    "orders:paste_preview": Row(
        ordering_page(OK), method="post", data=lambda w: {"text": "MVA20-3-016-C 2"}
    ),
    "orders:paste_apply": Row(
        ordering_page(OK), method="post", data=lambda w: {"text": "MVA20-3-016-C 2"}
    ),
    "orders:checkout": Row(
        ordering_page(REDIRECT), method="post", data=lambda w: {"submission_key": "x"}
    ),
    # Orders of the main legal entity: its users and the superuser; not a subsidiary's user.
    "orders:order_detail": Row(
        dealer_page(subsidiary_user=NOT_FOUND, other_dealer=NOT_FOUND), args=own_order()
    ),
    "orders:order_list": Row(dealer_page(), data=lambda w: {"number": "B2B"}),
    "orders:order_export": Row(dealer_page()),
    "orders:order_note": Row(
        dealer_page(
            **dict.fromkeys([persona.value for persona in SIGNED_IN_DEALERS], REDIRECT)
            | {"subsidiary_user": NOT_FOUND, "other_dealer": NOT_FOUND}
        ),
        method="post",
        args=own_order(),
        data=lambda w: {"text": "заметка"},
    ),
    "orders:order_reorder": Row(
        ordering_page(OK, subsidiary_user=NOT_FOUND, other_dealer=NOT_FOUND), args=own_order()
    ),
    "orders:order_cancelled_items": Row(
        dealer_page(subsidiary_user=NOT_FOUND, other_dealer=NOT_FOUND), args=cancelled_order()
    ),
    "shipments:shipment_list": Row(dealer_page()),
    "shipments:shipment_detail": Row(
        dealer_page(subsidiary_user=NOT_FOUND, other_dealer=NOT_FOUND),
        args=lambda w: [a_main_shipment(w).id],
    ),
    "shipments:claim_create": Row(
        claim_page(OK), args=lambda w: [a_main_shipment(w).lines.get().id]
    ),
    "shipments:claim_list": Row(
        dealer_page(employee_without_right=FORBIDDEN, employee_with_right=FORBIDDEN)
    ),
    "shipments:claim_detail": Row(claim_page(OK), args=lambda w: [a_main_claim(w).id]),
    "shipments:claim_comment": Row(
        claim_page(REDIRECT),
        method="post",
        args=lambda w: [a_main_claim(w).id],
        data=lambda w: {"comment": "когда?"},
    ),
    "shipments:claim_attachment_download": Row(
        claim_page(OK), args=lambda w: [a_main_claim(w).attachments.get().id]
    ),
    "documents:download": Row(
        dealer_page(subsidiary_user=NOT_FOUND, other_dealer=NOT_FOUND), args=own_invoice()
    ),
    "companies:legal_entity_detail": Row(
        dealer_page(subsidiary_user=NOT_FOUND, other_dealer=NOT_FOUND),
        args=lambda w: [w.a_sub2.id],
    ),
}

# Object-level probes beyond the matrix: another tenant's objects and ones that do not exist
# must be indistinguishable (both 404).
FOREIGN_OBJECT_PROBES: list[Probe] = [
    ("companies:legal_entity_detail", Persona.OTHER_DEALER, lambda w: [w.a_main.id]),
    ("companies:legal_entity_detail", Persona.SUPERUSER, lambda w: [w.b_main.id]),
    ("companies:legal_entity_detail", Persona.SUBSIDIARY_USER, lambda w: [w.a_main.id]),
    ("companies:legal_entity_detail", Persona.SUPERUSER, lambda w: [999_999]),
    ("catalog:product_detail", Persona.SUPERUSER, lambda w: [w.archived.id]),
    ("catalog:product_detail", Persona.SUPERUSER, lambda w: [999_999]),
    ("catalog:category", Persona.SUPERUSER, lambda w: [999_999]),
    ("catalog:product_document_download", Persona.SUPERUSER, lambda w: [999_999]),
    ("orders:order_detail", Persona.SUPERUSER, lambda w: [999_999]),
    (
        "orders:order_detail",
        Persona.SUPERUSER,
        lambda w: [order_create(legal_entity=w.b_main, author=None, product=w.breaker).id],
    ),
    (
        "documents:download",
        Persona.MAIN_ENTITY_USER,
        lambda w: [
            order_create(legal_entity=w.b_main, author=None, product=w.breaker).documents.get().id
        ],
    ),
    ("documents:download", Persona.SUPERUSER, lambda w: [999_999]),
]


def _collect_app_rows() -> None:
    """Add the rows and probes each app declares in its `tests/matrix_rows.py`."""
    for app in apps.get_app_configs():
        if not app.name.startswith("dealerdesk."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.tests.matrix_rows")
        except ModuleNotFoundError as missing:
            if missing.name != f"{app.name}.tests.matrix_rows":
                raise
            continue
        rows: dict[str, Row] = module.ROWS
        twice = MATRIX.keys() & rows.keys()
        assert not twice, f"matrix rows declared twice: {sorted(twice)}"
        MATRIX.update(rows)
        FOREIGN_OBJECT_PROBES.extend(getattr(module, "PROBES", []))


_collect_app_rows()

ADMIN_NAMESPACE = "admin"


def _walk(
    patterns: list[URLPattern | URLResolver], namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, inner)
        else:
            yield f"{namespace}{entry.name or ''}", entry


def project_url_patterns() -> list[tuple[str, URLPattern]]:
    return list(_walk(get_resolver().url_patterns))


def database_fingerprint() -> str:
    """A digest of every row of every table but sessions (sign-in and sign-out touch those)."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda model: model._meta.db_table):
        table = model._meta.db_table
        if table == "django_session":
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
        digest.update(table.encode())
        digest.update("\n".join(rows).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class PreparedRequest:
    method: str
    url: str
    data: dict[str, Any]
    headers: dict[str, str]
    json: bool = False

    def send(self, client: Client) -> Any:
        if self.method == "post" and self.json:
            return client.post(
                self.url, self.data, content_type="application/json", headers=self.headers
            )
        send = client.post if self.method == "post" else client.get
        return send(self.url, self.data, headers=self.headers)


def prepare(url_name: str, row: Row, world: World) -> PreparedRequest:
    """Build the URL and body first: building them may create the objects they point at."""
    return PreparedRequest(
        row.method,
        reverse(url_name, args=row.args(world)),
        row.data(world),
        row.headers,
        row.json,
    )


def assert_outcome(response: Any, expected: Outcome) -> None:
    if expected == LOGIN:
        assert response.status_code == REDIRECT
        assert response["Location"].startswith(reverse("accounts:login"))
    elif expected == ADMIN_LOGIN:
        assert response.status_code == REDIRECT
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected, response.content[:500]


def test_every_url_pattern_has_a_matrix_row() -> None:
    names = {name for name, _ in project_url_patterns()}
    unnamed = [str(pattern.pattern) for name, pattern in project_url_patterns() if not name]
    dealer_names = {name for name in names if not name.startswith(f"{ADMIN_NAMESPACE}:")}
    assert unnamed == []
    assert sorted(dealer_names - MATRIX.keys()) == [], "URL names without a matrix row"
    assert sorted(MATRIX.keys() - dealer_names) == [], "matrix rows for URLs that do not exist"


def test_every_view_declares_its_access_policy() -> None:
    missing = [
        name
        for name, pattern in project_url_patterns()
        if not name.startswith(f"{ADMIN_NAMESPACE}:")
        and not hasattr(pattern.callback, ACCESS_POLICY_ATTRIBUTE)
    ]
    assert missing == []


def test_every_row_covers_every_persona() -> None:
    incomplete = {name: set(Persona) - row.expected.keys() for name, row in MATRIX.items()}
    assert {name: gaps for name, gaps in incomplete.items() if gaps} == {}


@pytest.mark.parametrize("persona", list(Persona), ids=str)
@pytest.mark.parametrize("url_name", sorted(MATRIX), ids=str)
def test_authorization_matrix(world: World, url_name: str, persona: Persona) -> None:
    # given
    row = MATRIX[url_name]
    expected = row.expected[persona]
    client = world.client_for(persona)
    request = prepare(url_name, row, world)
    before = database_fingerprint()
    # when
    response = request.send(client)
    # then
    assert_outcome(response, expected)
    if expected not in (OK, REDIRECT):
        assert database_fingerprint() == before, "a denied request changed the database"


@pytest.mark.parametrize(
    ("url_name", "persona", "args"),
    FOREIGN_OBJECT_PROBES,
    ids=[
        f"{name}-{persona}-{index}"
        for index, (name, persona, _) in enumerate(FOREIGN_OBJECT_PROBES)
    ],
)
def test_foreign_and_missing_objects_answer_the_same_404(
    world: World, url_name: str, persona: Persona, args: Callable[[World], list[Any]]
) -> None:
    client = world.client_for(persona)
    url = reverse(url_name, args=args(world))
    before = database_fingerprint()
    response = client.get(url)
    assert response.status_code == NOT_FOUND
    assert database_fingerprint() == before


def test_get_is_refused_where_only_post_changes_state(world: World) -> None:
    for url_name in ("tenancy:legal_entity_switch", "language_set", "accounts:logout"):
        response = world.client_for(Persona.SUPERUSER).get(reverse(url_name))
        assert response.status_code == NOT_ALLOWED, url_name


# --- Administration pages -------------------------------------------------------------------


def admin_urls(world: World) -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return urls


ADMIN_OUTCOMES = outcomes(ADMIN_LOGIN, head_manager=OK, manager=FORBIDDEN)


def test_admin_namespace_is_covered_by_the_staff_rule() -> None:
    admin_names = [name for name, _ in project_url_patterns() if name.startswith("admin:")]
    # Every admin view is wrapped by admin_view (staff only) except the login/logout pages,
    # the JavaScript catalog and the redirects to object pages.
    assert len(admin_names) > 20
    assert {name for name in admin_names if "login" in name} == {"admin:login"}


@pytest.mark.parametrize("persona", list(Persona), ids=str)
def test_admin_is_for_staff_only(world: World, persona: Persona) -> None:
    client = world.client_for(persona)
    before = database_fingerprint()
    for url in admin_urls(world):
        response = client.get(url)
        expected = ADMIN_OUTCOMES[persona]
        if persona is Persona.MANAGER and url == reverse("admin:index"):
            expected = OK  # staff without permissions see an empty index
        assert_outcome(response, expected)
    assert database_fingerprint() == before
