from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dealerdesk.core.models import TimeStampedModel
from dealerdesk.tenancy.rights import Right
from dealerdesk.tenancy.scope import Scope


class DocumentType(models.Model):
    """A kind of document the supplier issues (F22): invoice, waybill, UPD, act..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    # Financial documents (invoices, reconciliation acts) need the finance right to open.
    is_financial = models.BooleanField(_("financial"), default=False)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class DocumentQuerySet(models.QuerySet["Document"]):
    def for_scope(self, scope: Scope) -> DocumentQuerySet:
        visible = self.filter(legal_entity_id__in=scope.entity_ids())
        finance = scope.entity_ids(Right.SEE_FINANCE)
        return visible.filter(Q(type__is_financial=False) | Q(legal_entity_id__in=finance))


class Document(TimeStampedModel):
    """A file issued for a legal entity: generated here (the invoice) or attached by the ERP.

    Every download goes through `documents.selectors.access_document`.
    """

    type = models.ForeignKey(
        DocumentType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="documents"
    )
    erp_id = models.CharField(_("ERP id"), max_length=80, unique=True, null=True, blank=True)
    number = models.CharField(_("number"), max_length=60, blank=True)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=255)
    dealer = models.ForeignKey(
        "companies.Dealer", on_delete=models.PROTECT, related_name="documents"
    )
    legal_entity = models.ForeignKey(
        "companies.LegalEntity",
        verbose_name=_("legal entity"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    shipment = models.ForeignKey(
        "shipments.Shipment",
        verbose_name=_("shipment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100, default="application/pdf")
    file_size = models.PositiveBigIntegerField(default=0)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title
