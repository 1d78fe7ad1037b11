"""The rules of a company's requisites, checked as a whole (`requisites_clean`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dealerdesk.companies.forms import CompanyRequestForm
from dealerdesk.companies.tests.factories import (
    BANK_BIK,
    BANK_CORRESPONDENT_ACCOUNT,
    BANK_SETTLEMENT_ACCOUNT,
)
from dealerdesk.companies.validators import (
    CompanyRequisites,
    inn_with_check_digits,
    requisites_clean,
)

COMPANY_INN = inn_with_check_digits("540612345")
PROPRIETOR_INN = inn_with_check_digits("5406123456")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def company(**overrides: str) -> dict[str, str]:
    fields = {
        "inn": COMPANY_INN,
        "kpp": "540601001",
        "name": 'ООО "ЭМЦ-Сибирь"',
        "legal_address": "630099, г. Новосибирск, ул. Электрозаводская, д. 2",
    }
    fields.update(overrides)
    return fields


def errors_of(**fields: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        requisites_clean(**fields)
    return refused.value.message_dict


def test_a_company_with_a_ten_digit_inn_and_a_kpp_passes() -> None:
    requisites = requisites_clean(**company())
    assert requisites == CompanyRequisites(
        inn=COMPANY_INN,
        kpp="540601001",
        name='ООО "ЭМЦ-Сибирь"',
        legal_address="630099, г. Новосибирск, ул. Электрозаводская, д. 2",
    )
    assert requisites.is_sole_proprietor is False


def test_a_sole_proprietor_with_a_twelve_digit_inn_passes_without_a_kpp() -> None:
    requisites = requisites_clean(**company(inn=PROPRIETOR_INN, kpp="", name="ИП Белов А. В."))
    assert requisites.inn == PROPRIETOR_INN
    assert requisites.kpp == ""
    assert requisites.is_sole_proprietor is True


def test_input_is_normalised_spaces_removed_and_kpp_letters_uppercased() -> None:
    requisites = requisites_clean(
        **company(
            inn=f" {COMPANY_INN[:4]} {COMPANY_INN[4:]} ",
            kpp=" 5406ab001 ",
            name='  ООО   "ЭМЦ-Сибирь" ',
            bik=f"{BANK_BIK[:2]} {BANK_BIK[2:]}",
            settlement_account=f"{BANK_SETTLEMENT_ACCOUNT[:5]} {BANK_SETTLEMENT_ACCOUNT[5:]}",
        )
    )
    assert requisites.inn == COMPANY_INN
    assert requisites.kpp == "5406AB001"
    assert requisites.name == 'ООО "ЭМЦ-Сибирь"'
    assert requisites.bik == BANK_BIK
    assert requisites.settlement_account == BANK_SETTLEMENT_ACCOUNT


@pytest.mark.parametrize(
    ("inn", "message"),
    [
        (COMPANY_INN[:-1] + str((int(COMPANY_INN[-1]) + 1) % 10), "INN checksum does not match."),
        ("0000000000", "INN cannot be all zeros."),
        ("000000000000", "INN cannot be all zeros."),
        ("54061234", "INN must be 10 or 12 digits."),
        ("", "Enter the INN."),
    ],
)
def test_a_wrong_inn_is_refused_with_the_reason(inn: str, message: str) -> None:
    assert errors_of(**company(inn=inn))["inn"] == [message]


def test_a_company_needs_a_kpp() -> None:
    assert errors_of(**company(kpp="")) == {
        "kpp": ["Enter the KPP: a company with a 10-digit INN has one."]
    }


def test_a_sole_proprietor_must_not_have_a_kpp() -> None:
    assert errors_of(**company(inn=PROPRIETOR_INN, kpp="540601001")) == {
        "kpp": ["A sole proprietor has no KPP: leave the field empty."]
    }


@pytest.mark.parametrize("kpp", ["54060100", "5406О1001", "54AB01001"])
def test_a_kpp_of_the_wrong_shape_is_refused(kpp: str) -> None:
    assert errors_of(**company(kpp=kpp))["kpp"] == [
        "KPP must be 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits."
    ]


def test_name_and_legal_address_are_required() -> None:
    assert errors_of(**company(name="  ", legal_address="")) == {
        "name": ["Enter the name of the company."],
        "legal_address": ["Enter the legal address."],
    }


def test_complete_bank_details_pass() -> None:
    requisites = requisites_clean(
        **company(
            bank_name='ПАО "Сбербанк"',
            bik=BANK_BIK,
            correspondent_account=BANK_CORRESPONDENT_ACCOUNT,
            settlement_account=BANK_SETTLEMENT_ACCOUNT,
        )
    )
    assert requisites.has_bank_details is True
    assert requisites.correspondent_account == BANK_CORRESPONDENT_ACCOUNT


def test_bank_details_once_begun_need_the_bik_and_the_settlement_account() -> None:
    assert errors_of(**company(bank_name='ПАО "Сбербанк"')) == {
        "bik": ["Enter the BIK of the bank, or clear all the bank details."],
        "settlement_account": ["Enter the settlement account, or clear all the bank details."],
    }


def test_a_bik_of_the_wrong_shape_is_refused() -> None:
    assert errors_of(**company(bik="123456789", settlement_account=BANK_SETTLEMENT_ACCOUNT)) == {
        "bik": ["BIK must be 9 digits starting with 04."]
    }


def test_a_settlement_account_with_a_wrong_control_key_is_refused() -> None:
    wrong_key = BANK_SETTLEMENT_ACCOUNT[:8] + str((int(BANK_SETTLEMENT_ACCOUNT[8]) + 1) % 10)
    wrong_key += BANK_SETTLEMENT_ACCOUNT[9:]
    assert errors_of(**company(bik=BANK_BIK, settlement_account=wrong_key)) == {
        "settlement_account": ["The settlement account does not match the BIK: check both numbers."]
    }


def test_a_correspondent_account_of_another_bank_is_refused() -> None:
    fields = company(
        bik=BANK_BIK,
        settlement_account=BANK_SETTLEMENT_ACCOUNT,
        correspondent_account="30101810400000000226",
    )
    assert errors_of(**fields) == {
        "correspondent_account": [
            "The correspondent account does not match the BIK: check both numbers."
        ]
    }


def test_the_form_reports_the_same_errors_next_to_each_field() -> None:
    form = CompanyRequestForm(data=company(inn=PROPRIETOR_INN, kpp="540601001", name=""))
    assert form.is_valid() is False
    assert form.errors == {
        "kpp": ["A sole proprietor has no KPP: leave the field empty."],
        "name": ["Enter the name of the company."],
    }


def test_the_form_hands_on_normalised_values() -> None:
    form = CompanyRequestForm(data=company(kpp="5406ab001", comment="  срочно  "))
    assert form.is_valid() is True
    assert form.cleaned_data["kpp"] == "5406AB001"
    assert form.cleaned_data["comment"] == "срочно"


def test_the_form_gives_one_message_for_a_too_long_value() -> None:
    form = CompanyRequestForm(data=company(inn="1" * 30))
    assert form.is_valid() is False
    assert len(form.errors["inn"]) == 1
