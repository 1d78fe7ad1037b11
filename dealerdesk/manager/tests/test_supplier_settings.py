"""The supplier's settings pages (F22): head managers edit requisites, bank details, VAT,
order statuses, delivery methods and document types; dealers see the change at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import Persona, World
from dealerdesk.companies.models import SupplierSettings
from dealerdesk.companies.selectors import supplier_settings
from dealerdesk.companies.tests.factories import BANK_BIK, BANK_SETTLEMENT_ACCOUNT
from dealerdesk.documents.models import DocumentType
from dealerdesk.manager import supplier_services as services
from dealerdesk.manager.tests.matrix_rows_supplier import (
    ROWS,
    bank_fields,
    company_fields,
    delivery_method_fields,
    document_type_fields,
    status_fields,
    unused_delivery_method_id,
    unused_document_type_id,
    unused_status_id,
)
from dealerdesk.orders.models import DeliveryMethod, DraftLine, Order, OrderStatus
from dealerdesk.orders.tests.factories import draft_line_create, order_create
from dealerdesk.tenancy.tests.test_authorization_matrix import database_fingerprint, prepare

UNPROCESSABLE = 422


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def head(world: World) -> Client:
    return english(world.client_for(Persona.HEAD_MANAGER))


def post(client: Client, url_name: str, data: dict[str, Any], *args: Any) -> Any:
    return client.post(reverse(url_name, args=args), data)


def field_errors(response: Any) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: list(errors) for name, errors in form.errors.items()}


def status(code: str) -> OrderStatus:
    return OrderStatus.objects.get(code=code)


def status_data(row: OrderStatus, **changes: Any) -> dict[str, Any]:
    data = {
        "code": row.code,
        "name": row.name,
        "name_en": row.name_en,
        "tone": row.tone,
        "sort_order": row.sort_order,
        "is_initial": "on" if row.is_initial else "",
        "is_final": "on" if row.is_final else "",
        "is_cancelled": "on" if row.is_cancelled else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def a_placed_order(world: World) -> Order:
    return order_create(
        legal_entity=world.a_main, author=world.user(Persona.SUPERUSER), product=world.breaker
    )


# --- Pages ----------------------------------------------------------------------------------

PAGES = [
    ("manager:supplier_settings", None, "Requisites"),
    ("manager:supplier_bank_details", None, "Settlement account"),
    ("manager:supplier_vat_rate", None, "keep the rate they were placed with"),
    ("manager:supplier_status_list", None, "Add a status"),
    ("manager:supplier_status_create", None, "New status"),
    ("manager:supplier_status_edit", lambda: status("shipped").id, "Status “Отгружен”"),
    ("manager:supplier_delivery_method_list", None, "Add a method"),
    ("manager:supplier_delivery_method_create", None, "New delivery method"),
    (
        "manager:supplier_delivery_method_edit",
        lambda: DeliveryMethod.objects.get(code="pickup").id,
        "Delivery method “Самовывоз со склада”",
    ),
    ("manager:supplier_document_type_list", None, "Add a type"),
    ("manager:supplier_document_type_create", None, "New document type"),
    (
        "manager:supplier_document_type_edit",
        lambda: DocumentType.objects.get(code="upd").id,
        "Document type “УПД”",
    ),
]


@pytest.mark.parametrize(("url_name", "argument", "text"), PAGES, ids=[p[0] for p in PAGES])
def test_a_head_manager_opens_every_settings_page(
    world: World, url_name: str, argument: Any, text: str
) -> None:
    args = [argument()] if argument else []

    response = head(world).get(reverse(url_name, args=args))

    assert response.status_code == 200
    page = response.content.decode()
    assert text in page
    assert 'data-testid="supplier-settings-menu"' in page


def test_the_company_page_shows_the_saved_requisites(world: World) -> None:
    services.supplier_company_update(
        user=world.user(Persona.HEAD_MANAGER),
        **{**company_fields(world), "default_price_type": world.wholesale_prices},
    )

    response = head(world).get(reverse("manager:supplier_settings"))

    form = response.context["form"]
    assert form["inn"].value() == "7707083893"
    assert form["default_price_type"].value() == world.wholesale_prices.id
    assert form["invoice_payment_days"].value() == 5


@pytest.mark.parametrize("url_name", sorted(ROWS), ids=str)
def test_a_manager_who_is_not_head_is_refused_and_nothing_changes(
    world: World, url_name: str
) -> None:
    client = world.client_for(Persona.MANAGER)
    request = prepare(url_name, ROWS[url_name], world)
    before = database_fingerprint()

    response = request.send(client)

    assert response.status_code == 403
    assert database_fingerprint() == before


# --- Company, bank details, VAT -------------------------------------------------------------


def test_saving_the_company_details_shows_them_to_dealers_at_once(world: World) -> None:
    client = head(world)
    response = post(client, "manager:supplier_settings", company_fields(world))

    assert response.status_code == 302
    saved = supplier_settings()
    assert saved.name == 'ООО "ЭлектроСнаб"'
    assert saved.inn == "7707083893"
    assert saved.kpp == "770701001"
    assert saved.ogrn == "1027700132195"
    assert saved.email == "sales@elektrosnab.example"
    assert saved.default_price_type == world.base_prices
    assert saved.invoice_payment_days == 5
    assert saved.vat_rate == Decimal("22.00")  # another tab's field is left alone
    followed = client.get(response["Location"])
    assert "The company details are saved" in followed.content.decode()
    dealer_page = world.client_for(Persona.SUPERUSER).get(reverse("catalog:product_list"))
    assert "Общество с ограниченной ответственностью" in dealer_page.content.decode()
    assert "sales@elektrosnab.example" in dealer_page.content.decode()


def test_numbers_are_taken_as_typed_with_spaces(world: World) -> None:
    client = head(world)
    fields = {**company_fields(world), "inn": "7707 083893", "kpp": "7707 01 001"}

    post(client, "manager:supplier_settings", fields)

    assert supplier_settings().inn == "7707083893"
    assert supplier_settings().kpp == "770701001"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"inn": "7707083894"}, "inn", "INN checksum does not match."),
        ({"inn": ""}, "inn", "Enter the INN."),
        ({"kpp": "77070100"}, "kpp", "KPP must be 9 characters"),
        ({"kpp": ""}, "kpp", "Enter the KPP"),
        ({"ogrn": "1027700132196"}, "ogrn", "OGRN is 13 digits"),
        ({"name": " "}, "name", "Enter the name of the company."),
        ({"legal_address": ""}, "legal_address", "Enter the legal address."),
        ({"email": "sales@"}, "email", "Enter a valid email address."),
        ({"currency": "рубль"}, "currency", "at most 3 characters"),
        ({"currency": "R1"}, "currency", "A currency is a three-letter code"),
        ({"invoice_payment_days": "-1"}, "invoice_payment_days", "greater than or equal to 0"),
        ({"default_price_type": "999999"}, "default_price_type", "Select a valid choice"),
    ],
)
def test_bad_company_details_are_refused_next_to_the_field_and_nothing_is_saved(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    client = head(world)
    before = database_fingerprint()

    response = post(client, "manager:supplier_settings", {**company_fields(world), **changes})

    assert response.status_code == UNPROCESSABLE
    errors = field_errors(response)
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert 'data-testid="error-' + field + '"' in response.content.decode()
    assert database_fingerprint() == before


def test_a_sole_proprietor_supplier_has_no_kpp(world: World) -> None:
    client = head(world)
    fields = {**company_fields(world), "inn": "500100732259", "ogrn": "304500116000157"}

    refused = post(client, "manager:supplier_settings", fields)
    saved = post(client, "manager:supplier_settings", {**fields, "kpp": ""})

    assert field_errors(refused) == {
        "kpp": ["A sole proprietor has no KPP: leave the field empty."]
    }
    assert saved.status_code == 302
    assert supplier_settings().inn == "500100732259"
    assert supplier_settings().kpp == ""


def test_the_first_save_creates_the_settings_row(world: World) -> None:
    client = head(world)
    SupplierSettings.objects.all().delete()

    response = post(client, "manager:supplier_settings", company_fields(world))

    assert response.status_code == 302
    assert SupplierSettings.objects.get().name == 'ООО "ЭлектроСнаб"'


def test_saving_the_bank_details_puts_them_on_the_next_invoice(world: World) -> None:
    client = head(world)
    response = post(client, "manager:supplier_bank_details", bank_fields(world))

    assert response.status_code == 302
    saved = supplier_settings()
    assert saved.bank_name == 'ПАО "Сбербанк"'
    assert saved.bik == BANK_BIK
    assert saved.correspondent_account == "30101810400000000225"
    assert saved.settlement_account == BANK_SETTLEMENT_ACCOUNT
    assert "The bank details are saved" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"bik": "123456789"}, "bik", "BIK must be 9 digits starting with 04."),
        ({"bik": ""}, "bik", "Enter the BIK"),
        ({"bank_name": ""}, "bank_name", "Enter the name of the bank."),
        ({"settlement_account": ""}, "settlement_account", "Enter the settlement account"),
        ({"settlement_account": "4070281000000001234"}, "settlement_account", "20 digits"),
        (
            {"settlement_account": "40702810000000012345"},
            "settlement_account",
            "The settlement account does not match the BIK",
        ),
        (
            {"correspondent_account": "30101810400000000226"},
            "correspondent_account",
            "The correspondent account does not match the BIK",
        ),
    ],
)
def test_bad_bank_details_are_refused_next_to_the_field_and_nothing_is_saved(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    client = head(world)
    before = database_fingerprint()

    response = post(client, "manager:supplier_bank_details", {**bank_fields(world), **changes})

    assert response.status_code == UNPROCESSABLE
    errors = field_errors(response)
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert database_fingerprint() == before


def test_a_new_vat_rate_applies_to_new_orders_and_placed_orders_keep_theirs(
    world: World,
) -> None:
    client = head(world)
    placed = a_placed_order(world)

    response = post(client, "manager:supplier_vat_rate", {"vat_rate": "10"})

    assert response.status_code == 302
    assert supplier_settings().vat_rate == Decimal("10.00")
    placed.refresh_from_db()
    assert placed.vat_rate == Decimal(22)
    assert "orders placed from now on use it" in (client.get(response["Location"]).content.decode())


@pytest.mark.parametrize(
    ("vat_rate", "message"),
    [
        ("-1", "greater than or equal to 0"),
        ("101", "less than or equal to 100"),
        ("twenty", "Enter a number."),
        ("", "This field is required."),
    ],
)
def test_a_vat_rate_outside_0_to_100_is_refused(world: World, vat_rate: str, message: str) -> None:
    client = head(world)
    response = post(client, "manager:supplier_vat_rate", {"vat_rate": vat_rate})

    assert response.status_code == UNPROCESSABLE
    assert message in field_errors(response)["vat_rate"][0]
    assert supplier_settings().vat_rate == Decimal("22.00")


def test_the_vat_service_refuses_a_negative_rate_too(world: World) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.supplier_vat_rate_update(
            user=world.user(Persona.HEAD_MANAGER), vat_rate=Decimal("-0.01")
        )

    assert refused.value.message_dict == {"vat_rate": ["A VAT rate is between 0 and 100%."]}
    assert supplier_settings().vat_rate == Decimal("22.00")


# --- Order statuses -------------------------------------------------------------------------


def test_a_renamed_and_recoloured_status_shows_in_the_dealers_order_list(world: World) -> None:
    client = head(world)
    a_placed_order(world)
    new = status("new")

    response = post(
        client,
        "manager:supplier_status_edit",
        status_data(new, name="Принят", name_en="Received", tone="success"),
        new.id,
    )

    assert response.status_code == 302
    new.refresh_from_db()
    assert (new.name, new.name_en, new.tone, new.is_initial) == (
        "Принят",
        "Received",
        "success",
        True,
    )
    dealer = world.client_for(Persona.SUPERUSER)
    english_list = dealer.get(reverse("orders:order_list")).content.decode()
    dealer.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    russian_list = dealer.get(reverse("orders:order_list")).content.decode()
    assert '<span class="badge text-bg-success">Received</span>' in english_list
    assert '<span class="badge text-bg-success">Принят</span>' in russian_list
    listed = client.get(reverse("manager:supplier_status_list")).content.decode()
    assert '<span class="badge text-bg-success">Принят</span>' in listed
    assert '<span class="badge text-bg-success">Received</span>' in listed


def test_a_new_status_is_listed_in_its_place(world: World) -> None:
    client = head(world)
    response = post(client, "manager:supplier_status_create", status_fields(world))

    assert response.status_code == 302
    added = status("on_hold")
    assert (added.name, added.tone, added.sort_order, added.is_initial) == (
        "Приостановлен",
        "warning",
        35,
        False,
    )
    codes = list(OrderStatus.objects.values_list("code", flat=True))
    assert codes.index("on_hold") == codes.index("ready") + 1
    page = client.get(response["Location"]).content.decode()
    assert "The status “Приостановлен” is added." in page


def test_a_duplicate_status_code_is_a_field_error(world: World) -> None:
    client = head(world)
    before = database_fingerprint()

    response = post(
        client, "manager:supplier_status_create", {**status_fields(world), "code": "shipped"}
    )

    assert response.status_code == UNPROCESSABLE
    assert field_errors(response) == {
        "code": ["The code “shipped” is already used by another row: codes are unique."]
    }
    assert database_fingerprint() == before


def test_a_code_the_erp_cannot_send_is_refused(world: World) -> None:
    client = head(world)
    response = post(
        client, "manager:supplier_status_create", {**status_fields(world), "code": "на паузе"}
    )

    assert response.status_code == UNPROCESSABLE
    assert list(field_errors(response)) == ["code"]
    assert not OrderStatus.objects.filter(name="Приостановлен").exists()


def test_making_another_status_initial_moves_the_flag_there(world: World) -> None:
    client = head(world)
    confirmed = status("confirmed")

    response = post(
        client,
        "manager:supplier_status_edit",
        status_data(confirmed, is_initial="on"),
        confirmed.id,
    )

    assert response.status_code == 302
    assert list(OrderStatus.objects.filter(is_initial=True).values_list("code", flat=True)) == [
        "confirmed"
    ]


def test_a_new_initial_status_takes_the_flag_over(world: World) -> None:
    client = head(world)
    post(client, "manager:supplier_status_create", {**status_fields(world), "is_initial": "on"})

    assert list(OrderStatus.objects.filter(is_initial=True).values_list("code", flat=True)) == [
        "on_hold"
    ]


def test_the_initial_status_cannot_just_stop_being_initial(world: World) -> None:
    client = head(world)
    new = status("new")

    response = post(client, "manager:supplier_status_edit", status_data(new, is_initial=""), new.id)

    assert response.status_code == UNPROCESSABLE
    assert field_errors(response) == {
        "is_initial": [
            "An order just placed needs a status: make another status the initial one instead."
        ]
    }
    assert status("new").is_initial


def test_the_initial_status_cannot_be_final(world: World) -> None:
    client = head(world)
    shipped = status("shipped")

    response = post(
        client,
        "manager:supplier_status_edit",
        status_data(shipped, is_initial="on", is_final="on"),
        shipped.id,
    )

    assert response.status_code == UNPROCESSABLE
    assert list(field_errors(response)) == ["is_initial"]
    assert status("new").is_initial


def test_the_code_of_a_status_orders_have_cannot_change(world: World) -> None:
    client = head(world)
    a_placed_order(world)
    new = status("new")

    page = head(world).get(reverse("manager:supplier_status_edit", args=[new.id]))
    response = post(client, "manager:supplier_status_edit", status_data(new, code="placed"), new.id)

    assert 'readonly="readonly"' in page.content.decode() or "readonly" in page.content.decode()
    assert response.status_code == UNPROCESSABLE
    assert field_errors(response) == {
        "code": [
            "Orders already have this status and the ERP knows it as “new”: the code cannot "
            "change. Add a new status instead."
        ]
    }
    assert status("new").code == "new"


def test_the_code_of_an_unused_status_can_change(world: World) -> None:
    client = head(world)
    ready = status("ready")

    response = post(
        client, "manager:supplier_status_edit", status_data(ready, code="ready_to_ship"), ready.id
    )

    assert response.status_code == 302
    assert OrderStatus.objects.get(id=ready.id).code == "ready_to_ship"


def test_a_missing_status_is_404(world: World) -> None:
    response = head(world).get(reverse("manager:supplier_status_edit", args=[999_999]))

    assert response.status_code == 404


# --- Delivery methods -----------------------------------------------------------------------


def checkout_methods(world: World) -> str:
    """The dealer's cart page, where the delivery methods are offered."""
    superuser = world.user(Persona.SUPERUSER)
    if not DraftLine.objects.filter(draft__user=superuser).exists():
        draft_line_create(user=superuser, legal_entity=world.a_main, product=world.breaker)
    return world.client_for(Persona.SUPERUSER).get(reverse("orders:cart")).content.decode()


def test_a_new_delivery_method_is_offered_at_checkout(world: World) -> None:
    client = head(world)
    response = post(
        client, "manager:supplier_delivery_method_create", delivery_method_fields(world)
    )

    assert response.status_code == 302
    added = DeliveryMethod.objects.get(code="courier")
    assert (added.name, added.kind, added.is_active, added.sort_order) == (
        "Курьером",
        "delivery",
        True,
        40,
    )
    assert "Курьером" in checkout_methods(world)  # no English name: the Russian one


def test_an_edited_delivery_method_keeps_its_code_and_shows_its_new_name(world: World) -> None:
    client = head(world)
    carrier = DeliveryMethod.objects.get(code="carrier")

    response = post(
        client,
        "manager:supplier_delivery_method_edit",
        {
            "code": "carrier",
            "name": "Транспортной компанией до терминала",
            "kind": "delivery",
            "sort_order": "20",
            "name_en": "By a carrier to its terminal",
        },
        carrier.id,
    )

    assert response.status_code == 302
    carrier.refresh_from_db()
    assert carrier.name == "Транспортной компанией до терминала"
    assert carrier.name_en == "By a carrier to its terminal"
    assert "By a carrier to its terminal" in checkout_methods(world)


def test_a_deactivated_method_is_no_longer_offered_and_can_come_back(world: World) -> None:
    carrier = DeliveryMethod.objects.get(code="carrier")
    url = reverse("manager:supplier_delivery_method_active", args=[carrier.id])

    off = head(world).post(url, {"is_active": "0"})
    hidden = checkout_methods(world)
    on = head(world).post(url, {"is_active": "1"})

    assert off.status_code == on.status_code == 302
    assert "By a carrier" not in hidden
    assert "Pickup from a warehouse" in hidden
    assert DeliveryMethod.objects.get(id=carrier.id).is_active
    assert "By a carrier" in checkout_methods(world)


def test_the_last_active_delivery_method_stays_active(world: World) -> None:
    DeliveryMethod.objects.exclude(code="pickup").update(is_active=False)
    pickup = DeliveryMethod.objects.get(code="pickup")

    response = head(world).post(
        reverse("manager:supplier_delivery_method_active", args=[pickup.id]),
        {"is_active": "0"},
        follow=True,
    )

    assert DeliveryMethod.objects.get(id=pickup.id).is_active
    assert "Dealers could not place orders without a delivery method" in (response.content.decode())


def test_a_duplicate_delivery_method_code_is_a_field_error(world: World) -> None:
    client = head(world)
    response = post(
        client,
        "manager:supplier_delivery_method_create",
        {**delivery_method_fields(world), "code": "pickup"},
    )

    assert response.status_code == UNPROCESSABLE
    assert list(field_errors(response)) == ["code"]
    assert not DeliveryMethod.objects.filter(name="Курьером").exists()


def test_a_delivery_method_orders_were_placed_with_keeps_its_code_and_kind(world: World) -> None:
    client = head(world)
    order = a_placed_order(world)
    pickup = DeliveryMethod.objects.get(code="pickup")
    order.delivery_method = pickup
    order.save(update_fields=["delivery_method"])
    base = {"code": "pickup", "name": pickup.name, "kind": "pickup", "sort_order": "0"}

    recoded = post(
        client, "manager:supplier_delivery_method_edit", {**base, "code": "self"}, pickup.id
    )
    rekinded = post(
        client, "manager:supplier_delivery_method_edit", {**base, "kind": "delivery"}, pickup.id
    )

    assert recoded.status_code == rekinded.status_code == UNPROCESSABLE
    assert list(field_errors(recoded)) == ["code"]
    assert "the code cannot change" in field_errors(recoded)["code"][0]
    assert list(field_errors(rekinded)) == ["kind"]
    pickup.refresh_from_db()
    assert (pickup.code, pickup.kind) == ("pickup", "pickup")


# --- Document types -------------------------------------------------------------------------


def test_a_new_document_type_is_added(world: World) -> None:
    client = head(world)
    response = post(client, "manager:supplier_document_type_create", document_type_fields(world))

    assert response.status_code == 302
    added = DocumentType.objects.get(code="act")
    assert (added.name, added.is_financial, added.sort_order) == (
        "Акт выполненных работ",
        False,
        90,
    )
    listed = head(world).get(reverse("manager:supplier_document_type_list")).content.decode()
    assert "Акт выполненных работ" in listed


def test_a_document_type_made_financial_is_hidden_from_employees_without_the_right(
    world: World,
) -> None:
    client = head(world)
    order = a_placed_order(world)
    invoice = DocumentType.objects.get(code="invoice")
    download = reverse("documents:download", args=[order.documents.get().id])
    assert world.client_for(Persona.EMPLOYEE_WITH_RIGHT).get(download).status_code == 200

    response = post(
        client,
        "manager:supplier_document_type_edit",
        {"code": "invoice", "name": "Счёт", "is_financial": "on", "sort_order": "0"},
        invoice.id,
    )

    assert response.status_code == 302
    assert world.client_for(Persona.EMPLOYEE_WITH_RIGHT).get(download).status_code == 404
    assert world.client_for(Persona.MAIN_ENTITY_USER).get(download).status_code == 200


def test_a_duplicate_document_type_code_is_a_field_error(world: World) -> None:
    client = head(world)
    before = database_fingerprint()

    response = post(
        client,
        "manager:supplier_document_type_create",
        {**document_type_fields(world), "code": "upd"},
    )

    assert response.status_code == UNPROCESSABLE
    assert list(field_errors(response)) == ["code"]
    assert database_fingerprint() == before


@pytest.mark.parametrize("code", ["invoice", "cancelled_items"])
def test_the_code_of_a_type_the_portal_issues_cannot_change(world: World, code: str) -> None:
    client = head(world)
    document_type = DocumentType.objects.get(code=code)

    response = post(
        client,
        "manager:supplier_document_type_edit",
        {"code": code + "_2", "name": document_type.name, "sort_order": "0"},
        document_type.id,
    )

    assert response.status_code == UNPROCESSABLE
    assert "the code cannot change" in field_errors(response)["code"][0]
    assert DocumentType.objects.get(id=document_type.id).code == code


def test_the_code_of_a_type_with_documents_cannot_change_and_of_an_unused_one_can(
    world: World,
) -> None:
    client = head(world)
    a_placed_order(world)
    waybill = DocumentType.objects.get(code="waybill")
    upd = DocumentType.objects.get(code="upd")
    services.document_type_update(
        user=world.user(Persona.HEAD_MANAGER),
        document_type=waybill,
        code="torg12",
        name=waybill.name,
        name_en=waybill.name_en,
        is_financial=False,
        sort_order=waybill.sort_order,
    )
    order = Order.objects.get()
    order.documents.update(type=upd)

    response = post(
        client,
        "manager:supplier_document_type_edit",
        {"code": "upd2", "name": upd.name, "sort_order": "0"},
        upd.id,
    )

    assert DocumentType.objects.get(id=waybill.id).code == "torg12"
    assert response.status_code == UNPROCESSABLE
    assert DocumentType.objects.get(id=upd.id).code == "upd"


# --- Query counts ---------------------------------------------------------------------------

# The session, the user, then the page's rows; the supplier's settings once (the footer
# shares them); the company page also lists the price types.
PAGE_QUERIES = {
    "manager:supplier_status_list": 4,
    "manager:supplier_delivery_method_list": 4,
    "manager:supplier_document_type_list": 4,
    "manager:supplier_settings": 4,
    "manager:supplier_bank_details": 3,
    "manager:supplier_vat_rate": 3,
}


@pytest.mark.parametrize(("url_name", "queries"), PAGE_QUERIES.items(), ids=list(PAGE_QUERIES))
def test_settings_pages_run_a_fixed_number_of_queries(
    world: World, url_name: str, queries: int, django_assert_num_queries: Any
) -> None:
    user = world.user(Persona.HEAD_MANAGER)
    for number in range(10):
        services.order_status_create(user=user, code=f"extra-{number}", name=f"Статус {number}")
        services.delivery_method_create(
            user=user, code=f"extra-{number}", name=f"Способ {number}", kind="delivery"
        )
        services.document_type_create(user=user, code=f"extra-{number}", name=f"Тип {number}")
    a_placed_order(world)
    client = head(world)
    client.get(reverse(url_name))  # the session and language settle on the first request

    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name))

    assert response.status_code == 200


# --- Deleting a row added by mistake ----------------------------------------------------------


@pytest.mark.parametrize(
    ("create", "delete_url", "model"),
    [
        (unused_status_id, "manager:supplier_status_delete", OrderStatus),
        (unused_delivery_method_id, "manager:supplier_delivery_method_delete", DeliveryMethod),
        (unused_document_type_id, "manager:supplier_document_type_delete", DocumentType),
    ],
    ids=["status", "delivery-method", "document-type"],
)
def test_a_row_nothing_refers_to_is_deleted_from_its_edit_page(
    world: World, create: Any, delete_url: str, model: Any
) -> None:
    (row_id,) = create(world)
    client = english(world.client_for(Persona.HEAD_MANAGER))
    edit_url = reverse(delete_url.replace("_delete", "_edit"), args=[row_id])
    page = client.get(edit_url).content.decode()
    assert f'action="{reverse(delete_url, args=[row_id])}"' in page

    assert client.get(reverse(delete_url, args=[row_id])).status_code == 405
    response = client.post(reverse(delete_url, args=[row_id]), follow=True)

    assert "is deleted" in response.content.decode()
    assert not model.objects.filter(id=row_id).exists()


def test_rows_in_use_are_kept_with_the_reason(world: World) -> None:
    order = order_create(
        legal_entity=world.a_main, author=world.user(Persona.SUPERUSER), product=world.breaker
    )
    client = english(world.client_for(Persona.HEAD_MANAGER))
    kept = [
        ("manager:supplier_status_delete", order.status, "it stays in their history"),
        ("manager:supplier_document_type_delete", order.documents.get().type, "stays"),
    ]
    method = DeliveryMethod.objects.get(code="carrier")
    Order.objects.filter(id=order.id).update(delivery_method=method)
    kept.append(("manager:supplier_delivery_method_delete", method, "stop offering it"))
    for url_name, row, reason in kept:
        edit_page = client.get(reverse(url_name.replace("_delete", "_edit"), args=[row.id]))
        assert 'data-testid="delete-row-confirm"' not in edit_page.content.decode()
        response = client.post(reverse(url_name, args=[row.id]), follow=True)
        assert reason in response.content.decode(), url_name
        assert type(row).objects.filter(id=row.id).exists()


def test_the_initial_status_and_the_last_delivery_method_stay(world: World) -> None:
    head = world.user(Persona.HEAD_MANAGER)
    initial = OrderStatus.objects.get(is_initial=True)
    with pytest.raises(ValidationError, match="initial one first"):
        services.order_status_delete(user=head, status=initial)
    DeliveryMethod.objects.exclude(code="carrier").update(is_active=False)
    with pytest.raises(ValidationError, match="keep at least one"):
        services.delivery_method_delete(
            user=head, method=DeliveryMethod.objects.get(code="carrier")
        )
    with pytest.raises(ValidationError, match="portal issues"):
        services.document_type_delete(
            user=head, document_type=DocumentType.objects.get(code="cancelled_items")
        )
    assert OrderStatus.objects.filter(id=initial.id).exists()
