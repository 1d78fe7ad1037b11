"""The demo's requests for new companies: one under review, one the supplier rejected.

Made through the same services the portal uses, so each has its number and its ERP events.
Requisites are invented with correct check digits, in a tax region (50) the generated
dealers never use, so they collide with no demo company.
"""

from __future__ import annotations

from django.db import transaction

from dealerdesk.accounts.models import User
from dealerdesk.companies.models import CompanyRequest
from dealerdesk.companies.services import company_request_reject, company_request_submit
from dealerdesk.companies.validators import inn_with_check_digits, is_account_consistent_with_bik

BANK_BIK = "044525593"


def _settlement_account(account: str) -> str:
    for key in "0123456789":
        candidate = account[:8] + key + account[9:]
        if is_account_consistent_with_bik(candidate, BANK_BIK, correspondent=False):
            return candidate
    raise ValueError("no control key fits")  # unreachable: one of ten keys always fits


UNDER_REVIEW = {
    "inn": inn_with_check_digits("505312345"),
    "kpp": "505301001",
    "name": 'ООО "ЭМЦ-Подмосковье"',
    "legal_address": "141400, Московская обл., г. Химки, ул. Заводская, д. 8, офис 12",
    "postal_address": "141400, Московская обл., г. Химки, а/я 41",
    "bank_name": 'АО "Альфа-Банк", г. Москва',
    "bik": BANK_BIK,
    "correspondent_account": "30101810200000000593",
    "settlement_account": _settlement_account("40702810001860004521"),
    "comment": "Новый склад в Химках: закупать будет Кузнецов Д. А.",
}
REJECTED = {
    "inn": inn_with_check_digits("5053123456"),
    "kpp": "",
    "name": "ИП Белов Сергей Николаевич",
    "legal_address": "143900, Московская обл., г. Балашиха, ул. Энергетиков, д. 3, кв. 17",
    "comment": "Монтажник-партнёр, будет забирать товар самовывозом",
}
REJECTION_REASON = (
    "Для работы с ИП нужен подписанный договор поставки. Пришлите скан договора вашему "
    "менеджеру, и мы добавим компанию."
)


@transaction.atomic
def load_company_requests(*, requested_by: User, decided_by: User) -> int:
    """Create the demo's requests of `requested_by`'s dealer, unless they exist; how many."""
    if requested_by.dealer_id is None:
        raise ValueError("company requests are made by a dealer's superuser")
    created = 0
    for fields in (UNDER_REVIEW, REJECTED):
        already = CompanyRequest.objects.filter(
            dealer_id=requested_by.dealer_id, inn=fields["inn"], kpp=fields["kpp"]
        ).exists()
        if already:
            continue
        company_request = company_request_submit(user=requested_by, **fields)
        if fields is REJECTED:
            company_request_reject(
                company_request=company_request, by_user=decided_by, reason=REJECTION_REASON
            )
        created += 1
    return created
