"""Writes of the supplier's settings (F22): requisites, bank details, VAT and the reference
rows the ERP speaks in (order statuses, delivery methods, document types).

Nothing here is cached: `companies.selectors.supplier_settings` and the dealer screens read
the rows on every request, so a saved change is what the next page shows.

Codes are the ERP's names for statuses, methods and types. Once an order or a document
carries a row, the ERP and the portal already know it by its code, so the code stays.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.ru import ogrn as stdnum_ogrn

from dealerdesk.accounts.models import User
from dealerdesk.companies.models import SupplierSettings
from dealerdesk.companies.validators import CompanyRequisites, requisites_clean
from dealerdesk.documents.models import Document, DocumentType
from dealerdesk.orders.invoice import INVOICE_TYPE_CODE
from dealerdesk.orders.models import DeliveryMethod, Order, OrderStatus, OrderStatusChange
from dealerdesk.pricing.models import PriceType

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

# Document types the portal itself looks up by code (the invoice it renders, the list of
# cancelled items an order page links to): renaming their code would orphan those features.
PORTAL_DOCUMENT_TYPE_CODES = frozenset({INVOICE_TYPE_CODE, "cancelled_items"})

Row = TypeVar("Row", bound=models.Model)
# The reference rows the ERP names by code; each is written through `_coded_row_save`.
CodedRow = TypeVar("CodedRow", OrderStatus, DeliveryMethod, DocumentType)


def _digits(value: str) -> str:
    return "".join(value.split())


def _text(value: str) -> str:
    return " ".join(value.split())


def _locked_settings() -> SupplierSettings:
    settings, _created = SupplierSettings.objects.select_for_update().get_or_create(pk=1)
    return settings


def _save_settings(settings: SupplierSettings, fields: list[str]) -> None:
    """Check the given fields with the model's validators, then write only them."""
    others = [field.name for field in SupplierSettings._meta.fields if field.name not in fields]
    settings.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    settings.save(update_fields=fields)


def _log(user: User, action: str, target: object) -> None:
    logger.info("supplier settings: %s %s by user %s", action, target, user.pk)


# --- The supplier's own requisites ----------------------------------------------------------


COMPANY_FIELDS = [
    "name",
    "full_name",
    "inn",
    "kpp",
    "ogrn",
    "legal_address",
    "phone",
    "email",
    "website",
    "director_name",
    "accountant_name",
    "currency",
    "default_price_type",
    "invoice_payment_days",
]


@transaction.atomic
def supplier_company_update(
    *,
    user: User,
    name: str,
    full_name: str,
    inn: str,
    kpp: str,
    ogrn: str,
    legal_address: str,
    phone: str,
    email: str,
    website: str,
    director_name: str,
    accountant_name: str,
    currency: str,
    default_price_type: PriceType | None,
    invoice_payment_days: int,
) -> SupplierSettings:
    """The supplier's name, requisites and terms as invoices and the dealer pages show them.

    The INN, KPP, name and address follow the same rules as a dealer's company
    (`requisites_clean`): an invoice without them is not a valid document.
    """
    errors: dict[str, StrOrPromise] = {}
    requisites: CompanyRequisites | None = None
    try:
        requisites = requisites_clean(inn=inn, kpp=kpp, name=name, legal_address=legal_address)
    except ValidationError as invalid:
        errors.update({field: messages[0] for field, messages in invalid.message_dict.items()})
    ogrn = _digits(ogrn)
    if ogrn:
        try:
            stdnum_ogrn.validate(ogrn)
        except StdnumValidationError:
            errors["ogrn"] = _(
                "OGRN is 13 digits (15 for a sole proprietor) and its check digit must match."
            )
    currency = currency.strip().upper()
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        errors["currency"] = _("A currency is a three-letter code, e.g. RUB.")
    if errors or requisites is None:
        raise ValidationError(errors)

    settings = _locked_settings()
    settings.name = requisites.name
    settings.full_name = _text(full_name)
    settings.inn = requisites.inn
    settings.kpp = requisites.kpp
    settings.ogrn = ogrn
    settings.legal_address = requisites.legal_address
    settings.phone = _text(phone)
    settings.email = email.strip()
    settings.website = website.strip()
    settings.director_name = _text(director_name)
    settings.accountant_name = _text(accountant_name)
    settings.currency = currency
    settings.default_price_type = default_price_type
    settings.invoice_payment_days = invoice_payment_days
    _save_settings(settings, COMPANY_FIELDS)
    _log(user, "company updated", settings.inn)
    return settings


BANK_FIELDS = ["bank_name", "bik", "correspondent_account", "settlement_account"]


@transaction.atomic
def supplier_bank_details_update(
    *,
    user: User,
    bank_name: str,
    bik: str,
    correspondent_account: str,
    settlement_account: str,
) -> SupplierSettings:
    """The account dealers pay to: every invoice prints it, so all but the correspondent
    account are required, and the accounts must match the BIK."""
    bank = {
        "bank_name": _text(bank_name),
        "bik": _digits(bik),
        "correspondent_account": _digits(correspondent_account),
        "settlement_account": _digits(settlement_account),
    }
    errors: dict[str, StrOrPromise] = {}
    if not bank["bank_name"]:
        errors["bank_name"] = _("Enter the name of the bank.")
    if not bank["bik"]:
        errors["bik"] = _("Enter the BIK of the bank.")
    if not bank["settlement_account"]:
        errors["settlement_account"] = _("Enter the settlement account.")
    settings = _locked_settings()
    try:
        # A dealer's bank details follow the same rules; the company's own requisites are
        # checked on their own tab, so only the bank's errors count here.
        requisites_clean(
            inn=settings.inn,
            kpp=settings.kpp,
            name=settings.name,
            legal_address=settings.legal_address,
            **bank,
        )
    except ValidationError as invalid:
        for field, messages in invalid.message_dict.items():
            if field in BANK_FIELDS:
                errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)

    for field, value in bank.items():
        setattr(settings, field, value)
    _save_settings(settings, BANK_FIELDS)
    _log(user, "bank details updated", settings.bik)
    return settings


@transaction.atomic
def supplier_vat_rate_update(*, user: User, vat_rate: Decimal) -> SupplierSettings:
    """The VAT rate of orders placed from now on; placed orders keep the rate they have."""
    if vat_rate < 0 or vat_rate > 100:
        raise ValidationError({"vat_rate": _("A VAT rate is between 0 and 100%.")})
    settings = _locked_settings()
    settings.vat_rate = vat_rate
    _save_settings(settings, ["vat_rate"])
    _log(user, "VAT rate set to", vat_rate)
    return settings


# --- Reference rows the ERP names by code ---------------------------------------------------


def _refuse_taken_code(model: type[Row], code: str, own_id: int | None) -> None:
    if model._default_manager.filter(code=code).exclude(pk=own_id).exists():
        raise ValidationError(
            {
                "code": _("The code “%(code)s” is already used by another row: codes are unique.")
                % {"code": code}
            }
        )


def _save_row(row: Row) -> Row:
    """Validate the row's fields, then save it, turning a lost race for a code into an error."""
    row.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as clash:
        raise ValidationError(
            _("Someone else has just saved a conflicting change. Reload the page and try again.")
        ) from clash
    return row


def _refuse_code_change(row: DeliveryMethod | OrderStatus | DocumentType, code: str) -> None:
    if row.pk is None or row.code == code:
        return
    if isinstance(row, OrderStatus):
        in_use = (
            Order.objects.filter(status=row).exists()
            or OrderStatusChange.objects.filter(status=row).exists()
        )
        message = _(
            "Orders already have this status and the ERP knows it as “%(code)s”: the code "
            "cannot change. Add a new status instead."
        )
    elif isinstance(row, DeliveryMethod):
        in_use = Order.objects.filter(delivery_method=row).exists()
        message = _(
            "Orders were placed with this method and the ERP knows it as “%(code)s”: the code "
            "cannot change. Add a new method instead."
        )
    else:
        in_use = row.code in PORTAL_DOCUMENT_TYPE_CODES or (
            Document.objects.filter(type=row).exists()
        )
        message = _(
            "Documents of this type exist or the portal issues them, and the ERP knows the "
            "type as “%(code)s”: the code cannot change. Add a new type instead."
        )
    if in_use:
        raise ValidationError({"code": message % {"code": row.code}})


def _checked_code(row: CodedRow, code: str) -> str:
    """The code to save: refused if the row is in use under its old code or another row has it."""
    code = code.strip()
    _refuse_code_change(row, code)
    _refuse_taken_code(type(row), code, row.pk)
    return code


def _locked(row: CodedRow) -> CodedRow:
    return type(row).objects.select_for_update().get(pk=row.pk)


def _coded_row_save(
    row: CodedRow,
    *,
    user: User,
    code: str,
    name: str,
    name_en: str,
    logged_as: str,
    **own_fields: object,
) -> CodedRow:
    """Write a row whose code `_checked_code` passed, with its names tidied and the fields only
    its kind has, then log who saved it."""
    row.code = code
    row.name = _text(name)
    row.name_en = _text(name_en)
    for field, value in own_fields.items():
        setattr(row, field, value)
    _save_row(row)
    _log(user, logged_as, row.code)
    return row


# --- Order statuses -------------------------------------------------------------------------


def _status_flag_errors(
    status: OrderStatus, *, is_initial: bool, is_final: bool, is_cancelled: bool
) -> dict[str, StrOrPromise]:
    errors: dict[str, StrOrPromise] = {}
    if status.is_initial and not is_initial:
        errors["is_initial"] = _(
            "An order just placed needs a status: make another status the initial one instead."
        )
    if is_initial and (is_final or is_cancelled):
        errors["is_initial"] = _("The status of a just placed order cannot be final or cancelled.")
    return errors


def _status_write(
    status: OrderStatus,
    *,
    user: User,
    code: str,
    name: str,
    name_en: str,
    tone: str,
    sort_order: int,
    is_initial: bool,
    is_final: bool,
    is_cancelled: bool,
) -> OrderStatus:
    code = _checked_code(status, code)
    errors = _status_flag_errors(
        status, is_initial=is_initial, is_final=is_final, is_cancelled=is_cancelled
    )
    if errors:
        raise ValidationError(errors)
    if is_initial and not status.is_initial:
        # Exactly one status is initial: the flag moves here from wherever it was.
        previous = list(
            OrderStatus.objects.select_for_update().filter(is_initial=True).exclude(pk=status.pk)
        )
        OrderStatus.objects.filter(pk__in=[row.pk for row in previous]).update(is_initial=False)
    return _coded_row_save(
        status,
        user=user,
        code=code,
        name=name,
        name_en=name_en,
        logged_as="order status saved",
        tone=tone,
        sort_order=sort_order,
        is_initial=is_initial,
        is_final=is_final,
        is_cancelled=is_cancelled,
    )


@transaction.atomic
def order_status_create(
    *,
    user: User,
    code: str,
    name: str,
    name_en: str = "",
    tone: str = OrderStatus.Tone.INFO,
    sort_order: int = 0,
    is_initial: bool = False,
    is_final: bool = False,
    is_cancelled: bool = False,
) -> OrderStatus:
    """A new status the ERP may set on orders; made initial, it takes the flag over."""
    return _status_write(
        OrderStatus(),
        user=user,
        code=code,
        name=name,
        name_en=name_en,
        tone=tone,
        sort_order=sort_order,
        is_initial=is_initial,
        is_final=is_final,
        is_cancelled=is_cancelled,
    )


@transaction.atomic
def order_status_update(
    *,
    user: User,
    status: OrderStatus,
    code: str,
    name: str,
    name_en: str,
    tone: str,
    sort_order: int,
    is_initial: bool,
    is_final: bool,
    is_cancelled: bool,
) -> OrderStatus:
    """Rename, recolour or reorder a status; its code changes only while no order has it."""
    return _status_write(
        _locked(status),
        user=user,
        code=code,
        name=name,
        name_en=name_en,
        tone=tone,
        sort_order=sort_order,
        is_initial=is_initial,
        is_final=is_final,
        is_cancelled=is_cancelled,
    )


# --- Delivery methods -----------------------------------------------------------------------


def _delivery_method_write(
    method: DeliveryMethod,
    *,
    user: User,
    code: str,
    name: str,
    name_en: str,
    kind: str,
    sort_order: int,
) -> DeliveryMethod:
    code = _checked_code(method, code)
    if (
        method.pk is not None
        and method.kind != kind
        and Order.objects.filter(delivery_method=method).exists()
    ):
        raise ValidationError(
            {
                "kind": _(
                    "Orders were placed with this method: pickup cannot turn into delivery or "
                    "back. Add a new method instead."
                )
            }
        )
    return _coded_row_save(
        method,
        user=user,
        code=code,
        name=name,
        name_en=name_en,
        logged_as="delivery method saved",
        kind=kind,
        sort_order=sort_order,
    )


@transaction.atomic
def delivery_method_create(
    *, user: User, code: str, name: str, name_en: str = "", kind: str, sort_order: int = 0
) -> DeliveryMethod:
    """A new way to receive orders, offered to dealers at checkout at once."""
    return _delivery_method_write(
        DeliveryMethod(is_active=True),
        user=user,
        code=code,
        name=name,
        name_en=name_en,
        kind=kind,
        sort_order=sort_order,
    )


@transaction.atomic
def delivery_method_update(
    *,
    user: User,
    method: DeliveryMethod,
    code: str,
    name: str,
    name_en: str,
    kind: str,
    sort_order: int,
) -> DeliveryMethod:
    return _delivery_method_write(
        _locked(method),
        user=user,
        code=code,
        name=name,
        name_en=name_en,
        kind=kind,
        sort_order=sort_order,
    )


@transaction.atomic
def delivery_method_active_set(
    *, user: User, method: DeliveryMethod, is_active: bool
) -> DeliveryMethod:
    """Offer a method at checkout again, or stop offering it; placed orders keep theirs."""
    active = list(DeliveryMethod.objects.select_for_update().filter(is_active=True))
    locked = DeliveryMethod.objects.select_for_update().get(pk=method.pk)
    if locked.is_active == is_active:
        return locked
    if not is_active and [row.pk for row in active] == [locked.pk]:
        raise ValidationError(
            _("Dealers could not place orders without a delivery method: keep at least one.")
        )
    locked.is_active = is_active
    locked.save(update_fields=["is_active"])
    _log(user, "delivery method activated" if is_active else "delivery method deactivated", locked)
    return locked


# --- Document types -------------------------------------------------------------------------


def _document_type_write(
    document_type: DocumentType,
    *,
    user: User,
    code: str,
    name: str,
    name_en: str,
    is_financial: bool,
    sort_order: int,
) -> DocumentType:
    return _coded_row_save(
        document_type,
        user=user,
        code=_checked_code(document_type, code),
        name=name,
        name_en=name_en,
        logged_as="document type saved",
        is_financial=is_financial,
        sort_order=sort_order,
    )


@transaction.atomic
def document_type_create(
    *,
    user: User,
    code: str,
    name: str,
    name_en: str = "",
    is_financial: bool = False,
    sort_order: int = 0,
) -> DocumentType:
    """A new kind of document the ERP may attach to orders, shipments or legal entities."""
    return _document_type_write(
        DocumentType(),
        user=user,
        code=code,
        name=name,
        name_en=name_en,
        is_financial=is_financial,
        sort_order=sort_order,
    )


@transaction.atomic
def document_type_update(
    *,
    user: User,
    document_type: DocumentType,
    code: str,
    name: str,
    name_en: str,
    is_financial: bool,
    sort_order: int,
) -> DocumentType:
    """Rename or reorder a type; making it financial hides its documents from employees
    without the finance right at once."""
    return _document_type_write(
        _locked(document_type),
        user=user,
        code=code,
        name=name,
        name_en=name_en,
        is_financial=is_financial,
        sort_order=sort_order,
    )


# --- Deleting a row added by mistake ----------------------------------------------------------


def _delete_unused(row: models.Model, *, user: User, in_use: bool, refusal: str) -> None:
    """Delete a reference row nothing refers to. A row an order or a document holds is kept
    (the history and the ERP's codes depend on it): `refusal` says what to do instead."""
    if in_use:
        raise ValidationError(refusal)
    try:
        # A savepoint: a reference written meanwhile makes the delete fail on its own.
        with transaction.atomic():
            row.delete()
    except models.ProtectedError as protected:
        raise ValidationError(refusal) from protected
    _log(user, "deleted", row)


@transaction.atomic
def order_status_delete(*, user: User, status: OrderStatus) -> None:
    locked = _locked(status)
    if (
        locked.is_initial
        and not OrderStatus.objects.filter(is_initial=True).exclude(pk=locked.pk).exists()
    ):
        raise ValidationError(
            _("New orders get this status: make another status the initial one first.")
        )
    in_use = (
        Order.objects.filter(status=locked).exists()
        or OrderStatusChange.objects.filter(status=locked).exists()
    )
    _delete_unused(
        locked,
        user=user,
        in_use=in_use,
        refusal=_("Orders have had this status: it stays in their history and cannot be deleted."),
    )


@transaction.atomic
def delivery_method_delete(*, user: User, method: DeliveryMethod) -> None:
    active = list(DeliveryMethod.objects.select_for_update().filter(is_active=True))
    locked = _locked(method)
    if [row.pk for row in active] == [locked.pk]:
        raise ValidationError(
            _("Dealers could not place orders without a delivery method: keep at least one.")
        )
    _delete_unused(
        locked,
        user=user,
        in_use=Order.objects.filter(delivery_method=locked).exists(),
        refusal=_(
            "Orders were placed with this method: stop offering it at checkout instead of "
            "deleting it."
        ),
    )


@transaction.atomic
def document_type_delete(*, user: User, document_type: DocumentType) -> None:
    locked = _locked(document_type)
    if locked.code in PORTAL_DOCUMENT_TYPE_CODES:
        raise ValidationError(_("The portal issues documents of this type: it stays."))
    _delete_unused(
        locked,
        user=user,
        in_use=Document.objects.filter(type=locked).exists(),
        refusal=_("Documents of this type exist: it cannot be deleted."),
    )
