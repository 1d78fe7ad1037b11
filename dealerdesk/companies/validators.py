"""Validators of Russian company and bank requisites."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.ru import inn as stdnum_inn

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
