from __future__ import annotations

import factory

from dealerdesk.companies.models import Dealer, LegalEntity
from dealerdesk.companies.validators import inn_with_check_digits


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
