"""Validators of Russian company and bank requisites."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.ru import inn as stdnum_inn

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KPP_PATTERN = re.compile(r"^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$")
BIK_PATTERN = re.compile(r"^04[0-9]{7}$")
ACCOUNT_PATTERN = re.compile(r"^[0-9]{20}$")


def validate_inn(value: str) -> None:
    """INN of an organisation (10 digits) or a sole proprietor (12 digits), checksums included."""
    if not value.isdigit() or len(value) not in (10, 12):
        raise ValidationError(_("INN must be 10 or 12 digits."), code="inn_format")
    if set(value) == {"0"}:
        raise ValidationError(_("INN cannot be all zeros."), code="inn_zero")
    try:
        stdnum_inn.validate(value)
    except StdnumValidationError as error:
        raise ValidationError(_("INN checksum does not match."), code="inn_checksum") from error


def validate_kpp(value: str) -> None:
    if not KPP_PATTERN.match(value):
        raise ValidationError(
            _("KPP must be 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits."),
            code="kpp_format",
        )


def validate_bik(value: str) -> None:
    if not BIK_PATTERN.match(value):
        raise ValidationError(_("BIK must be 9 digits starting with 04."), code="bik_format")


def validate_bank_account(value: str) -> None:
    if not ACCOUNT_PATTERN.match(value):
        raise ValidationError(_("A bank account number is 20 digits."), code="account_format")


_ACCOUNT_WEIGHTS = (7, 1, 3) * 7 + (7, 1)


def is_account_consistent_with_bik(account: str, bik: str, *, correspondent: bool) -> bool:
    """The Bank of Russia control key of a settlement (or correspondent) account.

    A settlement account is checked together with the last three digits of the BIK; a
    correspondent account with "0" and the 5th and 6th digits of the BIK.
    """
    if not (ACCOUNT_PATTERN.match(account) and BIK_PATTERN.match(bik)):
        return False
    prefix = ("0" + bik[4:6]) if correspondent else bik[-3:]
    digits = prefix + account
    total = sum(int(digit) * weight for digit, weight in zip(digits, _ACCOUNT_WEIGHTS, strict=True))
    return total % 10 == 0


_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _inn_check_digit(digits: str, weights: tuple[int, ...]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10)


def inn_with_check_digits(base: str) -> str:
    """Complete 9 digits to an organisation's INN, or 10 digits to a sole proprietor's.

    Used to generate valid test and demo data; real INNs come from the ERP and users.
    """
    if len(base) == 9 and base.isdigit():
        return base + _inn_check_digit(base, _INN10_WEIGHTS)
    if len(base) == 10 and base.isdigit():
        eleven = base + _inn_check_digit(base, _INN12_WEIGHTS_11)
        return eleven + _inn_check_digit(eleven, _INN12_WEIGHTS_12)
    raise ValueError("an INN base is 9 (organisation) or 10 (sole proprietor) digits")


# --- The requisites of a company as a dealer enters them -----------------------------------

NAME_MAX_LENGTH = 255
ADDRESS_MAX_LENGTH = 1000


@dataclass(frozen=True)
class CompanyRequisites:
    """Requisites of a legal entity, normalised and checked together (see `requisites_clean`)."""

    inn: str
    kpp: str
    name: str
    legal_address: str
    postal_address: str = ""
    bank_name: str = ""
    bik: str = ""
    correspondent_account: str = ""
    settlement_account: str = ""

    @property
    def is_sole_proprietor(self) -> bool:
        return len(self.inn) == 12

    @property
    def has_bank_details(self) -> bool:
        return bool(self.bik or self.settlement_account)


def _digits(value: str) -> str:
    """A number as typed or pasted: "77 07 083893" and "7707 083893" are "7707083893"."""
    return "".join(value.split())


def _text(value: str) -> str:
    return " ".join(value.split())


def _first_error(validator: Callable[[str], None], value: str) -> str | None:
    try:
        validator(value)
    except ValidationError as error:
        return error.messages[0]
    return None


def requisites_clean(
    *,
    inn: str,
    kpp: str,
    name: str,
    legal_address: str,
    postal_address: str = "",
    bank_name: str = "",
    bik: str = "",
    correspondent_account: str = "",
    settlement_account: str = "",
) -> CompanyRequisites:
    """Normalise the requisites of a company and check them as a whole.

    The one place their rules live: the request form and the services call it. Raises a
    `ValidationError` whose message dict is keyed by field name.
    """
    requisites = CompanyRequisites(
        inn=_digits(inn),
        kpp=_digits(kpp).upper(),
        name=_text(name),
        legal_address=_text(legal_address),
        postal_address=_text(postal_address),
        bank_name=_text(bank_name),
        bik=_digits(bik),
        correspondent_account=_digits(correspondent_account),
        settlement_account=_digits(settlement_account),
    )
    errors: dict[str, StrOrPromise] = {}

    if not requisites.inn:
        errors["inn"] = _("Enter the INN.")
    elif inn_error := _first_error(validate_inn, requisites.inn):
        errors["inn"] = inn_error
    if requisites.kpp:
        if "inn" not in errors and requisites.is_sole_proprietor:
            errors["kpp"] = _("A sole proprietor has no KPP: leave the field empty.")
        elif kpp_error := _first_error(validate_kpp, requisites.kpp):
            errors["kpp"] = kpp_error
    elif "inn" not in errors and not requisites.is_sole_proprietor:
        errors["kpp"] = _("Enter the KPP: a company with a 10-digit INN has one.")

    if not requisites.name:
        errors["name"] = _("Enter the name of the company.")
    elif len(requisites.name) > NAME_MAX_LENGTH:
        errors["name"] = _("The name is longer than %(limit)s characters.") % {
            "limit": NAME_MAX_LENGTH
        }
    if not requisites.legal_address:
        errors["legal_address"] = _("Enter the legal address.")
    for field in ("legal_address", "postal_address"):
        if len(getattr(requisites, field)) > ADDRESS_MAX_LENGTH:
            errors[field] = _("The address is longer than %(limit)s characters.") % {
                "limit": ADDRESS_MAX_LENGTH
            }

    errors.update(_bank_details_errors(requisites))
    if errors:
        raise ValidationError(errors)
    return requisites


def _bank_details_errors(requisites: CompanyRequisites) -> dict[str, StrOrPromise]:
    """Bank details are optional; given at all, they must identify a real account."""
    given = (
        requisites.bank_name,
        requisites.bik,
        requisites.correspondent_account,
        requisites.settlement_account,
    )
    if not any(given):
        return {}
    errors: dict[str, StrOrPromise] = {}
    if len(requisites.bank_name) > NAME_MAX_LENGTH:
        errors["bank_name"] = _("The name is longer than %(limit)s characters.") % {
            "limit": NAME_MAX_LENGTH
        }
    if not requisites.bik:
        errors["bik"] = _("Enter the BIK of the bank, or clear all the bank details.")
    elif bik_error := _first_error(validate_bik, requisites.bik):
        errors["bik"] = bik_error
    if not requisites.settlement_account:
        errors["settlement_account"] = _(
            "Enter the settlement account, or clear all the bank details."
        )
    elif account_error := _first_error(validate_bank_account, requisites.settlement_account):
        errors["settlement_account"] = account_error
    elif "bik" not in errors and not is_account_consistent_with_bik(
        requisites.settlement_account, requisites.bik, correspondent=False
    ):
        errors["settlement_account"] = _(
            "The settlement account does not match the BIK: check both numbers."
        )
    if requisites.correspondent_account:
        if account_error := _first_error(validate_bank_account, requisites.correspondent_account):
            errors["correspondent_account"] = account_error
        elif "bik" not in errors and not is_account_consistent_with_bik(
            requisites.correspondent_account, requisites.bik, correspondent=True
        ):
            errors["correspondent_account"] = _(
                "The correspondent account does not match the BIK: check both numbers."
            )
    return errors
