from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """The e-mails a user may switch off. The invitation of a new employee is not here: a
    person without an account cannot switch it off."""

    ORDER_PLACED = "order_placed", _("An order is placed")
    ORDER_STATUS_CHANGED = "order_status_changed", _("The status of an order changes")
    NEEDS_ANSWERED = "needs_answered", _("The supplier answers the needs of an order")
    CLAIM_STATUS_CHANGED = "claim_status_changed", _("The status of a claim changes")
    COMPANY_REQUEST_DECIDED = "company_request_decided", _("A request for a new company is decided")


class NotificationOptOut(models.Model):
    """A kind of e-mail a user switched off. Every kind without a row is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_opt_outs",
    )
    kind = models.CharField(_("notification"), max_length=40, choices=NotificationKind.choices)
    created_at = models.DateTimeField(_("switched off"), default=timezone.now)

    class Meta:
        verbose_name = _("switched-off notification")
        verbose_name_plural = _("switched-off notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_opt_out_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} off for {self.user_id}"
