from __future__ import annotations

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from dealerdesk.accounts import two_factor
from dealerdesk.accounts.models import Membership, TwoFactorDevice, User

PASSWORD = "correct-horse-42"
# Hashing is deliberately slow; tests share one hash.
_PASSWORD_HASH = make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@dealer.example")
    full_name = factory.Sequence(lambda n: f"Сотрудник {n}")
    password = _PASSWORD_HASH


class InvitedUserFactory(UserFactory):
    """An employee who was invited and has not chosen a password yet."""

    password = factory.LazyFunction(lambda: make_password(None))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    legal_entity = factory.SubFactory("dealerdesk.companies.tests.factories.LegalEntityFactory")
    place_orders = True
    see_prices = True
    see_finance = False
    manage_claims = False


class TwoFactorDeviceFactory(factory.django.DjangoModelFactory):
    """Two-factor authentication already on (confirmed)."""

    class Meta:
        model = TwoFactorDevice

    user = factory.SubFactory(UserFactory)
    secret = factory.LazyFunction(two_factor.new_secret)
    confirmed_at = factory.LazyFunction(timezone.now)
