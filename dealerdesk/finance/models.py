"""Settlements with dealers (взаиморасчёты), as the ERP keeps them.

The ERP is the book of record: it sends credit terms per legal entity and the settlement
records (shipments as debit, payments and returns as credit, adjustments), optionally with
the allocation of each payment to the debts it paid. Everything else (balance, overdue debt,
ageing, the per-order picture) is computed from these rows at read time (`finance.ledger`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dealerdesk.core.models import TimeStampedModel
from dealerdesk.tenancy.rights import Right
from dealerdesk.tenancy.scope import Scope


class CreditTerms(TimeStampedModel):
    """The dealer's contract terms for one legal entity: how much credit, how long to pay."""

    legal_entity = models.OneToOneField(
        "companies.LegalEntity",
        verbose_name=_("legal entity"),
        on_delete=models.CASCADE,
        related_name="credit_terms",
    )
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=16, decimal_places=2, default=0
    )
    payment_days = models.PositiveSmallIntegerField(
        _("payment deferral, days"),
        default=0,
        help_text=_("Days from shipment to the payment due date."),
    )
    contract = models.CharField(
        _("contract"), max_length=200, blank=True, help_text=_("E.g. «№ 15/2024 от 10.01.2024».")
    )

    class Meta:
        verbose_name = _("credit terms")
        verbose_name_plural = _("credit terms")

    def __str__(self) -> str:
        return f"{self.legal_entity_id}: {self.credit_limit} / {self.payment_days}"


class SettlementRecordQuerySet(models.QuerySet["SettlementRecord"]):
    def for_scope(self, scope: Scope) -> SettlementRecordQuerySet:
        return self.filter(legal_entity_id__in=scope.entity_ids(Right.SEE_FINANCE))


class SettlementRecord(TimeStampedModel):
    """One settlement document: a debit (the dealer owes more) or a credit (owes less)."""

    class Kind(models.TextChoices):
        SHIPMENT = "shipment", _("Shipment")
        PAYMENT = "payment", _("Payment")
        RETURN = "return", _("Return")
        ADJUSTMENT = "adjustment", _("Adjustment")
        OPENING_BALANCE = "opening", _("Opening balance")

    erp_id = models.CharField(_("ERP id"), max_length=80, unique=True, null=True, blank=True)
    dealer = models.ForeignKey(
        "companies.Dealer", on_delete=models.PROTECT, related_name="settlement_records"
    )
    legal_entity = models.ForeignKey(
        "companies.LegalEntity",
        verbose_name=_("legal entity"),
        on_delete=models.PROTECT,
        related_name="settlement_records",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("date"))
    number = models.CharField(_("document number"), max_length=60, blank=True)
    debit = models.DecimalField(_("debit"), max_digits=16, decimal_places=2, default=0)
    credit = models.DecimalField(_("credit"), max_digits=16, decimal_places=2, default=0)
    due_date = models.DateField(
        _("due date"), null=True, blank=True, help_text=_("For debits: when payment is due.")
    )
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="settlement_records",
    )
    shipment = models.ForeignKey(
        "shipments.Shipment",
        verbose_name=_("shipment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="settlement_records",
    )
    description = models.CharField(_("description"), max_length=500, blank=True)

    objects = SettlementRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("settlement record")
        verbose_name_plural = _("settlement records")
        ordering = ["legal_entity", "date", "id"]
        indexes = [models.Index(fields=["legal_entity", "date"], name="settlement_entity_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(debit__gte=0, credit__gte=0) & (Q(debit=0) | Q(credit=0)),
                name="settlement_record_one_side",
                violation_error_message=_(
                    "A settlement record is either a debit or a credit, never negative."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} {self.date}"

    @property
    def is_debit(self) -> bool:
        return self.debit > 0


class PaymentAllocation(models.Model):
    """The ERP's statement that a credit (payment) paid part of a debit (shipment).

    Optional: credits the ERP does not allocate pay the oldest debts first.
    """

    credit_record = models.ForeignKey(
        SettlementRecord, on_delete=models.CASCADE, related_name="allocations_made"
    )
    debit_record = models.ForeignKey(
        SettlementRecord, on_delete=models.CASCADE, related_name="allocations_received"
    )
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_record", "debit_record"], name="allocation_unique_pair"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.credit_record_id} -> {self.debit_record_id}: {self.amount}"
