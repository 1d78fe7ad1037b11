from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dealerdesk.core.models import TimeStampedModel


class PriceType(TimeStampedModel):
    """A price list of the ERP (e.g. "Оптовая", "Дилерская"); base prices are kept per type."""

    erp_id = models.CharField(_("ERP id"), max_length=80, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=120)
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    includes_vat = models.BooleanField(_("prices include VAT"), default=True)

    class Meta:
        verbose_name = _("price type")
        verbose_name_plural = _("price types")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BasePrice(models.Model):
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="base_prices",
    )
    price_type = models.ForeignKey(
        PriceType, verbose_name=_("price type"), on_delete=models.CASCADE, related_name="prices"
    )
    amount = models.DecimalField(
        _("price"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("base price")
        verbose_name_plural = _("base prices")
        constraints = [
            models.UniqueConstraint(fields=["product", "price_type"], name="base_price_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="base_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}/{self.price_type_id}: {self.amount}"


class Discount(models.Model):
    """A discount on a product category, for a whole dealer or for one of its legal entities.

    A discount on a category applies to its subcategories unless they have their own; a legal
    entity's discounts override the dealer's (see `pricing.strategy`).
    """

    dealer = models.ForeignKey(
        "companies.Dealer",
        verbose_name=_("dealer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="discounts",
    )
    legal_entity = models.ForeignKey(
        "companies.LegalEntity",
        verbose_name=_("legal entity"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="discounts",
    )
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="discounts",
    )
    percent = models.DecimalField(
        _("discount, %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("discount")
        verbose_name_plural = _("discounts")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(dealer__isnull=False, legal_entity__isnull=True)
                    | Q(dealer__isnull=True, legal_entity__isnull=False)
                ),
                name="discount_for_dealer_or_legal_entity",
                violation_error_message=_(
                    "A discount belongs either to a dealer or to a legal entity."
                ),
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="discount_percent_range"
            ),
            models.UniqueConstraint(
                fields=["dealer", "category"],
                condition=Q(dealer__isnull=False),
                name="discount_unique_dealer_category",
            ),
            models.UniqueConstraint(
                fields=["legal_entity", "category"],
                condition=Q(legal_entity__isnull=False),
                name="discount_unique_entity_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percent}% on {self.category_id}"
