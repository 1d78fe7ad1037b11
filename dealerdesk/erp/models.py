from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ErpClient(models.Model):
    """One ERP installation (a 1C base, an SAP system...) with its own API key.

    Only the SHA-256 of the key is stored: the key is random and long, so a slow hash would
    add nothing but latency to every request. `acknowledged_event_id` is the client's cursor
    in the outbox: events after it are served again until acknowledged.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    # The user name 1C sends with HTTP Basic in the CommerceML exchange; the key is the password.
    login = models.CharField(_("login"), max_length=60, unique=True)
    key_prefix = models.CharField(_("key prefix"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last request"), null=True, blank=True)
    acknowledged_event_id = models.BigIntegerField(_("acknowledged event"), default=0)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    # The last time the client read the outbox: an ERP that stopped pulling is warned about.
    last_pulled_at = models.DateTimeField(_("last pull"), null=True, blank=True)

    class Meta:
        verbose_name = _("ERP client")
        verbose_name_plural = _("ERP clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ErpBatch(models.Model):
    """A batch pushed by an ERP client, with its raw body, kept as the exchange journal.

    An accepted batch holds its idempotency key (unique per client) and the answer it got, so a
    replay answers the same without writing; a rejected or failed batch is kept for the journal
    only and does not hold its key, so the corrected batch may be sent under it again.
    """

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        # The portal failed while applying (a bug, the database went away): rolled back.
        FAILED = "failed", _("failed")

    client = models.ForeignKey(
        ErpClient, verbose_name=_("ERP client"), on_delete=models.PROTECT, related_name="batches"
    )
    resource = models.CharField(_("resource"), max_length=40)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    body_sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    body = models.BinaryField(_("raw body"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    counts = models.JSONField(_("counts"), default=dict)
    errors = models.JSONField(_("errors"), default=list)
    response_status = models.PositiveSmallIntegerField(default=200)
    response = models.JSONField(default=dict)
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    duration_ms = models.PositiveIntegerField(_("duration, ms"), default=0)

    class Meta:
        verbose_name = _("ERP batch")
        verbose_name_plural = _("ERP batches")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "idempotency_key"],
                condition=models.Q(status="accepted"),
                name="erp_batch_idempotency_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.resource} ({self.status})"


class ErpItemVersion(models.Model):
    """The newest version or change time the ERP sent for one object, per resource.

    Only items that carry a version or change time are recorded, so plain full loads (a
    million prices without versions) write nothing here.
    """

    resource = models.CharField(max_length=40)
    erp_id = models.CharField(max_length=200)
    version = models.BigIntegerField(null=True)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "erp_id"], name="erp_item_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.resource}:{self.erp_id}"


class ExchangeSession(models.Model):
    """One run of the 1C "exchange with a website" protocol, from `checkauth` on.

    1C identifies the run by the cookie it got from `checkauth`; only the cookie's SHA-256 is
    stored. `state` remembers the step-wise import (chunks done per file, archives unpacked)
    so a repeated `import` resumes where the previous step stopped; `query_cursor` is the
    newest outbox event served by `query`, acknowledged by `success` of the same session only.
    """

    class Kind(models.TextChoices):
        CATALOG = "catalog", _("catalog")
        SALE = "sale", _("orders")

    client = models.ForeignKey(
        ErpClient,
        verbose_name=_("ERP client"),
        on_delete=models.CASCADE,
        related_name="exchange_sessions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    cookie_hash = models.CharField(max_length=64, unique=True, editable=False)
    sessid = models.CharField(max_length=64, editable=False)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_request_at = models.DateTimeField(_("last request"), default=timezone.now)
    state = models.JSONField(_("state"), default=dict)
    query_cursor = models.BigIntegerField(_("served up to event"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("1C exchange session")
        verbose_name_plural = _("1C exchange sessions")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.id} {self.kind} {self.client}"
