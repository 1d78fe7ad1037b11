from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dealerdesk.companies.validators import (
    validate_bank_account,
    validate_bik,
    validate_inn,
    validate_kpp,
)
from dealerdesk.core.models import TimeStampedModel
from dealerdesk.tenancy.rights import Right
from dealerdesk.tenancy.scope import Scope


class Dealer(TimeStampedModel):
    """A counterparty of the supplier (контрагент): one business, one or more legal entities."""

    erp_id = models.CharField(_("ERP id"), max_length=80, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=255)
    price_type = models.ForeignKey(
        "pricing.PriceType",
        verbose_name=_("price type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the supplier's default price type."),
    )
    is_blocked = models.BooleanField(
        _("blocked"), default=False, help_text=_("No employee of a blocked dealer can sign in.")
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        blank=True,
        related_name="managed_dealers",
        limit_choices_to={"is_staff": True},
        help_text=_(
            "The supplier's managers who look after this dealer. A manager with assigned "
            "dealers sees only them; a head manager sees every dealer."
        ),
    )

    class Meta:
        verbose_name = _("dealer")
        verbose_name_plural = _("dealers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LegalEntityQuerySet(models.QuerySet["LegalEntity"]):
    def for_scope(self, scope: Scope, right: Right | None = None) -> LegalEntityQuerySet:
        return self.filter(id__in=scope.entity_ids(right))


class LegalEntity(TimeStampedModel):
    """A legal entity (юрлицо) a dealer buys as. One per dealer is main, the rest subsidiaries."""

    dealer = models.ForeignKey(
        Dealer, verbose_name=_("dealer"), on_delete=models.PROTECT, related_name="legal_entities"
    )
    erp_id = models.CharField(_("ERP id"), max_length=80, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=255)
    inn = models.CharField(_("INN"), max_length=12, validators=[validate_inn])
    kpp = models.CharField(
        _("KPP"),
        max_length=9,
        blank=True,
        validators=[validate_kpp],
        help_text=_("Empty for a sole proprietor."),
    )
    ogrn = models.CharField(_("OGRN"), max_length=15, blank=True)
    legal_address = models.TextField(_("legal address"))
    postal_address = models.TextField(_("postal address"), blank=True)
    is_main = models.BooleanField(
        _("main company"),
        default=False,
        help_text=_("Users of the main company see the data of its subsidiaries."),
    )
    price_type = models.ForeignKey(
        "pricing.PriceType",
        verbose_name=_("price type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Overrides the dealer's price type for this legal entity."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = LegalEntityQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal entity")
        verbose_name_plural = _("legal entities")
        ordering = ["-is_main", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["dealer"],
                condition=Q(is_main=True),
                name="legal_entity_one_main_per_dealer",
                violation_error_message=_("A dealer has exactly one main legal entity."),
            ),
            models.UniqueConstraint(
                fields=["inn", "kpp"],
                name="legal_entity_unique_inn_kpp",
                violation_error_message=_("A legal entity with this INN and KPP already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CompanyRequestQuerySet(models.QuerySet["CompanyRequest"]):
    def for_scope(self, scope: Scope) -> CompanyRequestQuerySet:
        """The requests of the user's dealer, for its superuser; nobody else sees them."""
        if not scope.is_dealer_superuser or scope.dealer_id is None:
            return self.none()
        return self.filter(dealer_id=scope.dealer_id)


class CompanyRequest(TimeStampedModel):
    """A dealer's request to add a legal entity (F17), answered by the supplier or the ERP.

    The requisites are the dealer's own words, checked by `validators.requisites_clean`; an
    approved request points at the legal entity made from them.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Under review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    number = models.CharField(_("number"), max_length=30, unique=True)
    dealer = models.ForeignKey(
        Dealer, verbose_name=_("dealer"), on_delete=models.PROTECT, related_name="company_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="company_requests",
    )
    inn = models.CharField(_("INN"), max_length=12, validators=[validate_inn])
    kpp = models.CharField(
        _("KPP"),
        max_length=9,
        blank=True,
        validators=[validate_kpp],
        help_text=_("Empty for a sole proprietor."),
    )
    name = models.CharField(_("name"), max_length=255)
    legal_address = models.TextField(_("legal address"))
    postal_address = models.TextField(_("postal address"), blank=True)
    bank_name = models.CharField(_("bank"), max_length=255, blank=True)
    bik = models.CharField(_("BIK"), max_length=9, blank=True, validators=[validate_bik])
    correspondent_account = models.CharField(
        _("correspondent account"), max_length=20, blank=True, validators=[validate_bank_account]
    )
    settlement_account = models.CharField(
        _("settlement account"), max_length=20, blank=True, validators=[validate_bank_account]
    )
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    legal_entity = models.ForeignKey(
        LegalEntity,
        verbose_name=_("legal entity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="company_requests",
        help_text=_("The legal entity made from the request, once it is approved."),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the ERP added the company."),
    )

    objects = CompanyRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("company request")
        verbose_name_plural = _("company requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["dealer", "-created_at"], name="company_request_dealer")]
        constraints = [
            # Two requests for one company under review at once would make two legal entities.
            models.UniqueConstraint(
                fields=["inn", "kpp"],
                condition=Q(status="submitted"),
                name="company_request_one_under_review",
                violation_error_message=_(
                    "A request for a company with this INN and KPP is already under review."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="approved", legal_entity__isnull=True),
                name="company_request_approved_has_entity",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected", rejection_reason=""),
                name="company_request_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def has_bank_details(self) -> bool:
        return bool(self.bik or self.settlement_account)


class SupplierSettings(models.Model):
    """The supplier running the portal: requisites for documents, VAT, defaults.

    A single row (pk=1); read through `companies.selectors.supplier_settings`.
    """

    name = models.CharField(_("short name"), max_length=255, default="")
    full_name = models.CharField(_("full legal name"), max_length=500, default="")
    inn = models.CharField(_("INN"), max_length=12, blank=True, validators=[validate_inn])
    kpp = models.CharField(_("KPP"), max_length=9, blank=True, validators=[validate_kpp])
    ogrn = models.CharField(_("OGRN"), max_length=15, blank=True)
    legal_address = models.TextField(_("legal address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    bank_name = models.CharField(_("bank"), max_length=255, blank=True)
    bik = models.CharField(_("BIK"), max_length=9, blank=True, validators=[validate_bik])
    correspondent_account = models.CharField(
        _("correspondent account"), max_length=20, blank=True, validators=[validate_bank_account]
    )
    settlement_account = models.CharField(
        _("settlement account"), max_length=20, blank=True, validators=[validate_bank_account]
    )
    director_name = models.CharField(_("director"), max_length=200, blank=True)
    accountant_name = models.CharField(_("chief accountant"), max_length=200, blank=True)
    vat_rate = models.DecimalField(
        _("VAT rate, %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("22.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    default_price_type = models.ForeignKey(
        "pricing.PriceType",
        verbose_name=_("default price type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    invoice_payment_days = models.PositiveSmallIntegerField(
        _("invoice payment term, days"), default=3
    )

    class Meta:
        verbose_name = _("supplier settings")
        verbose_name_plural = _("supplier settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="supplier_settings_single_row")
        ]

    def __str__(self) -> str:
        return self.name or str(_("Supplier settings"))
