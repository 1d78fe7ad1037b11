from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dealerdesk.core.models import TimeStampedModel
from dealerdesk.tenancy.rights import Right
from dealerdesk.tenancy.scope import Scope


class ShipmentQuerySet(models.QuerySet["Shipment"]):
    def for_scope(self, scope: Scope) -> ShipmentQuerySet:
        return self.filter(legal_entity_id__in=scope.entity_ids())


class Shipment(TimeStampedModel):
    """Goods that left the supplier's warehouse (отгрузка), as the ERP reports them."""

    erp_id = models.CharField(_("ERP id"), max_length=80, unique=True, null=True, blank=True)
    number = models.CharField(_("number"), max_length=60)
    shipped_at = models.DateTimeField(_("shipped"), db_index=True)
    dealer = models.ForeignKey(
        "companies.Dealer", on_delete=models.PROTECT, related_name="shipments"
    )
    legal_entity = models.ForeignKey(
        "companies.LegalEntity",
        verbose_name=_("legal entity"),
        on_delete=models.PROTECT,
        related_name="shipments",
    )
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shipments",
    )
    warehouse = models.ForeignKey(
        "catalog.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    amount_with_vat = models.DecimalField(
        _("amount with VAT"), max_digits=16, decimal_places=2, default=0
    )

    objects = ShipmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-shipped_at", "-id"]
        indexes = [
            models.Index(fields=["legal_entity", "-shipped_at"], name="shipment_entity_date")
        ]

    def __str__(self) -> str:
        return self.number


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    order_line = models.ForeignKey(
        "orders.OrderLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shipment_lines",
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=64)
    name = models.CharField(max_length=500)
    unit = models.CharField(max_length=16)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    price = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "position"], name="shipment_line_position"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shipment_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} x {self.quantity}"


class ClaimQuerySet(models.QuerySet["Claim"]):
    def for_scope(self, scope: Scope) -> ClaimQuerySet:
        return self.filter(legal_entity_id__in=scope.entity_ids(Right.MANAGE_CLAIMS))


class Claim(TimeStampedModel):
    """A dealer's complaint about a shipped line (рекламация)."""

    class Reason(models.TextChoices):
        DEFECT = "defect", _("Defect")
        SHORTAGE = "shortage", _("Shortage")
        WRONG_ITEM = "wrong_item", _("Wrong item")
        DAMAGED = "damaged", _("Damaged in transit")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        RESOLVED = "resolved", _("Resolved")

    number = models.CharField(_("number"), max_length=30, unique=True)
    erp_id = models.CharField(_("ERP id"), max_length=80, unique=True, null=True, blank=True)
    dealer = models.ForeignKey("companies.Dealer", on_delete=models.PROTECT, related_name="claims")
    legal_entity = models.ForeignKey(
        "companies.LegalEntity",
        verbose_name=_("legal entity"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="claims")
    shipment_line = models.ForeignKey(
        ShipmentLine, verbose_name=_("line"), on_delete=models.PROTECT, related_name="claims"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="claim_quantity_positive")
        ]

    def __str__(self) -> str:
        return self.number


class ClaimAttachment(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="claims/%Y/%m/")
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    file_size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("claim attachment")
        verbose_name_plural = _("claim attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file_name


class ClaimEvent(models.Model):
    """The claim's history: status changes and the supplier's comments, oldest first."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Claim.Status.choices, blank=True)
    comment = models.TextField(blank=True)
    by_supplier = models.BooleanField(default=False)
    # Who wrote it, the dealer's employee or the supplier's manager. Empty for older events
    # and once the account is deleted: the history then names only the side.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.status or 'comment'}"
