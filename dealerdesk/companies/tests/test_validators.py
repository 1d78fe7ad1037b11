from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.ru import inn as stdnum_inn

from dealerdesk.companies.validators import (
    inn_with_check_digits,
    is_account_consistent_with_bik,
    validate_bik,
    validate_inn,
    validate_kpp,
)


@pytest.mark.parametrize("inn", ["7707083893", "500100732259"])
def test_valid_inns_pass(inn: str) -> None:
    validate_inn(inn)


@pytest.mark.parametrize(
    ("inn", "code"),
    [
        ("7707083894", "inn_checksum"),
        ("0000000000", "inn_zero"),
        ("770708389", "inn_format"),
        ("77070838931", "inn_format"),
        ("77O7083893", "inn_format"),
    ],
)
def test_invalid_inns_are_refused_with_a_reason(inn: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_inn(inn)
    assert refused.value.code == code


@pytest.mark.parametrize("kpp", ["770101001", "7701AB001"])
def test_valid_kpps_pass(kpp: str) -> None:
    validate_kpp(kpp)


@pytest.mark.parametrize("kpp", ["77010100", "7701ab001", "770101001 ", "77AB01001"])
def test_invalid_kpps_are_refused(kpp: str) -> None:
    with pytest.raises(ValidationError):
        validate_kpp(kpp)


def test_bik_and_account_control_key() -> None:
    validate_bik("044525225")
    assert is_account_consistent_with_bik("30101810400000000225", "044525225", correspondent=True)
    assert not is_account_consistent_with_bik(
        "30101810400000000226", "044525225", correspondent=True
    )
    with pytest.raises(ValidationError):
        validate_bik("123456789")


@given(st.integers(min_value=1, max_value=999_999_999))
def test_generated_organisation_inns_are_valid(base: int) -> None:
    inn = inn_with_check_digits(f"{base:09d}")
    assert stdnum_inn.is_valid(inn)


@given(st.integers(min_value=1, max_value=9_999_999_999))
def test_generated_sole_proprietor_inns_are_valid(base: int) -> None:
    inn = inn_with_check_digits(f"{base:010d}")
    assert len(inn) == 12
    assert stdnum_inn.is_valid(inn)
