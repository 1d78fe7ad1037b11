from __future__ import annotations

import itertools

import factory

from dealerdesk.accounts.models import User
from dealerdesk.companies.models import CompanyRequest, Dealer, LegalEntity
from dealerdesk.companies.services import company_request_submit
from dealerdesk.companies.validators import inn_with_check_digits, is_account_consistent_with_bik


class DealerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dealer

    name = factory.Sequence(lambda n: f"Дилер {n}")
    erp_id = factory.Sequence(lambda n: f"dealer-{n}")


class LegalEntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalEntity

    dealer = factory.SubFactory(DealerFactory)
    name = factory.Sequence(lambda n: f'ООО "Компания {n}"')
    inn = factory.Sequence(lambda n: inn_with_check_digits(f"{770000000 + n:09d}"))
    kpp = "770101001"
    legal_address = "г. Москва, ул. Электродная, д. 2"
    is_main = False


# --- Company requests -----------------------------------------------------------------------

BANK_BIK = "044525225"
BANK_CORRESPONDENT_ACCOUNT = "30101810400000000225"
_request_inns = itertools.count(1)


def account_for_bik(account: str, bik: str) -> str:
    """Put the control key the BIK calls for into the 9th digit of a settlement account."""
    for key in "0123456789":
        candidate = account[:8] + key + account[9:]
        if is_account_consistent_with_bik(candidate, bik, correspondent=False):
            return candidate
    raise AssertionError("one of ten keys always fits")


BANK_SETTLEMENT_ACCOUNT = account_for_bik("40702810000000012345", BANK_BIK)


def organisation_inn() -> str:
    """A fresh organisation INN (region 54) no factory hands out twice."""
    return inn_with_check_digits(f"{540_000_000 + next(_request_inns):09d}")


def sole_proprietor_inn() -> str:
    return inn_with_check_digits(f"{5_400_000_000 + next(_request_inns):010d}")


def request_fields(**overrides: str) -> dict[str, str]:
    """The fields of a valid request for an organisation, with bank details."""
    fields = {
        "inn": organisation_inn(),
        "kpp": "540601001",
        "name": 'ООО "ЭМЦ-Сибирь"',
        "legal_address": "630099, г. Новосибирск, ул. Электрозаводская, д. 2",
        "postal_address": "",
        "bank_name": 'ПАО "Сбербанк"',
        "bik": BANK_BIK,
        "correspondent_account": BANK_CORRESPONDENT_ACCOUNT,
        "settlement_account": BANK_SETTLEMENT_ACCOUNT,
        "comment": "",
    }
    fields.update(overrides)
    return fields


def company_request_create(user: User, **overrides: str) -> CompanyRequest:
    """A request submitted through the service, as a dealer superuser sends it."""
    return company_request_submit(user=user, **request_fields(**overrides))
