from django.db import models
from django.utils.translation import gettext_lazy as _


class Right(models.TextChoices):
    """What an employee may do for a legal entity. A dealer superuser holds them all."""

    PLACE_ORDERS = "place_orders", _("Place orders")
    SEE_PRICES = "see_prices", _("See prices")
    SEE_FINANCE = "see_finance", _("See finance")
    MANAGE_CLAIMS = "manage_claims", _("Manage claims")


ALL_RIGHTS: frozenset[Right] = frozenset(Right)
