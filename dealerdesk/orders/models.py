from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dealerdesk.core.models import TimeStampedModel
from dealerdesk.tenancy.rights import Right
from dealerdesk.tenancy.scope import Scope


class LocalizedNameMixin(models.Model):
    """Settings rows named by the supplier in Russian, optionally in English too."""

    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class OrderStatus(LocalizedNameMixin):
    """An order status as the supplier names it (F22): statuses are data, not code."""

    class Tone(models.TextChoices):
        NEUTRAL = "secondary", _("grey")
        INFO = "info", _("blue")
        PROGRESS = "primary", _("dark blue")
        WARNING = "warning", _("yellow")
        SUCCESS = "success", _("green")
        DANGER = "danger", _("red")

    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("The code the ERP uses.")
    )
    tone = models.CharField(_("colour"), max_length=12, choices=Tone.choices, default=Tone.INFO)
    is_initial = models.BooleanField(
        _("initial"), default=False, help_text=_("The status of an order just placed.")
    )
    is_final = models.BooleanField(_("final"), default=False)
    is_cancelled = models.BooleanField(_("means cancelled"), default=False)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("order status")
        verbose_name_plural = _("order statuses")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_initial"],
                condition=Q(is_initial=True),
                name="order_status_one_initial",
                violation_error_message=_("Only one status can be the initial one."),
            )
        ]


class DeliveryMethod(LocalizedNameMixin):
    """How an order reaches the dealer (F22): pickup from a warehouse or delivery."""

    class Kind(models.TextChoices):
        PICKUP = "pickup", _("Pickup from a warehouse")
        DELIVERY = "delivery", _("Delivery to an address")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("delivery method")
        verbose_name_plural = _("delivery methods")
        ordering = ["sort_order", "id"]


# --- The draft (cart) -----------------------------------------------------------------------


class DraftOrderQuerySet(models.QuerySet["DraftOrder"]):
    def for_scope(self, scope: Scope) -> DraftOrderQuerySet:
        """Only the user's own drafts, for legal entities they may order for."""
        return self.filter(
            user_id=scope.user_id, legal_entity_id__in=scope.entity_ids(Right.PLACE_ORDERS)
        )


class DraftOrder(models.Model):
    """The order being built: one per user and legal entity, kept on the server."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="draft_orders"
    )
    legal_entity = models.ForeignKey(
        "companies.LegalEntity", on_delete=models.CASCADE, related_name="draft_orders"
    )
    # Grows with every change; a form that read an older version is told the draft moved on.
    version = models.PositiveIntegerField(default=0)
    delivery_method = models.ForeignKey(
        DeliveryMethod, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pickup_warehouse = models.ForeignKey(
        "catalog.Warehouse", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delivery_address = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    customer_reference = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DraftOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("draft order")
        verbose_name_plural = _("draft orders")
        constraints = [
            models.UniqueConstraint(fields=["user", "legal_entity"], name="draft_one_per_entity")
        ]

    def __str__(self) -> str:
        return f"draft {self.user_id}@{self.legal_entity_id}"


class DraftLine(models.Model):
    draft = models.ForeignKey(DraftOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draft line")
        verbose_name_plural = _("draft lines")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "product"], name="draft_line_one_per_product"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="draft_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} x {self.quantity}"


# --- Placed orders --------------------------------------------------------------------------


class OrderQuerySet(models.QuerySet["Order"]):
    def for_scope(self, scope: Scope, right: Right | None = None) -> OrderQuerySet:
        return self.filter(legal_entity_id__in=scope.entity_ids(right))


class Order(TimeStampedModel):
    class Source(models.TextChoices):
        PORTAL = "portal", _("Portal")
        ERP = "erp", _("Entered by a manager in the ERP")

    number = models.CharField(_("number"), max_length=30, unique=True)
    erp_id = models.CharField(_("ERP id"), max_length=80, unique=True, null=True, blank=True)
    erp_number = models.CharField(_("ERP number"), max_length=60, blank=True, db_index=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.PORTAL
    )
    dealer = models.ForeignKey(
        "companies.Dealer",
        verbose_name=_("dealer"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    legal_entity = models.ForeignKey(
        "companies.LegalEntity",
        verbose_name=_("legal entity"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    status = models.ForeignKey(
        OrderStatus, verbose_name=_("status"), on_delete=models.PROTECT, related_name="orders"
    )
    delivery_method = models.ForeignKey(
        DeliveryMethod,
        verbose_name=_("delivery method"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    pickup_warehouse = models.ForeignKey(
        "catalog.Warehouse",
        verbose_name=_("pickup warehouse"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delivery_address = models.TextField(_("delivery address"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    customer_reference = models.CharField(_("your order reference"), max_length=100, blank=True)
    price_type = models.ForeignKey(
        "pricing.PriceType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    prices_include_vat = models.BooleanField(default=True)
    vat_rate = models.DecimalField(_("VAT rate, %"), max_digits=5, decimal_places=2)
    amount_without_vat = models.DecimalField(
        _("amount without VAT"), max_digits=16, decimal_places=2
    )
    vat_amount = models.DecimalField(_("VAT"), max_digits=16, decimal_places=2)
    amount_with_vat = models.DecimalField(_("amount with VAT"), max_digits=16, decimal_places=2)
    placed_at = models.DateTimeField(_("placed"), db_index=True)
    # The token of the submit form: a second click on "Place order" finds the first order.
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(fields=["legal_entity", "-placed_at"], name="order_entity_placed"),
            models.Index(fields=["dealer", "-placed_at"], name="order_dealer_placed"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """A line as ordered: product data and prices are copied, so the order never changes when
    the catalog or the price list does."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=64)
    name = models.CharField(max_length=500)
    unit = models.CharField(max_length=16)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    # The part of the quantity stock did not cover when the order was placed (потребность).
    need_quantity = models.DecimalField(max_digits=14, decimal_places=3, default=Decimal(0))
    cancelled_quantity = models.DecimalField(max_digits=14, decimal_places=3, default=Decimal(0))
    cancel_reason = models.CharField(max_length=255, blank=True)
    base_price = models.DecimalField(max_digits=14, decimal_places=2)
    discount_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    price = models.DecimalField(max_digits=14, decimal_places=2)
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2)
    vat_amount = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="order_line_position")
        ]

    def __str__(self) -> str:
        return f"{self.code} x {self.quantity}"

    @property
    def active_quantity(self) -> Decimal:
        """What is still ordered once cancellations are taken off."""
        return self.quantity - self.cancelled_quantity

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_quantity >= self.quantity


class Need(TimeStampedModel):
    """The part of an order line stock did not cover (потребность), for a supplier's manager to
    answer: reserve it in an incoming supply, or give the next delivery date (F5)."""

    class Status(models.TextChoices):
        OPEN = "open", _("awaiting the supplier's answer")
        RESERVED = "reserved", _("reserved in a supply")
        DATED = "dated", _("delivery date given")
        CLOSED = "closed", _("closed")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="needs")
    order_line = models.OneToOneField(OrderLine, on_delete=models.CASCADE, related_name="need")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="needs")
    dealer = models.ForeignKey("companies.Dealer", on_delete=models.PROTECT, related_name="needs")
    legal_entity = models.ForeignKey(
        "companies.LegalEntity", on_delete=models.PROTECT, related_name="needs"
    )
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    expected_date = models.DateField(null=True, blank=True)
    # Reserved in an incoming supply of the product: its whole quantity counts against the
    # supply's free quantity. Kept with its date if the ERP later drops the supply.
    supply = models.ForeignKey(
        "catalog.IncomingSupply",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reservations",
    )
    answer_comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the answer came from the ERP."),
    )

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="need_status_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="need_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"need {self.product_id} x {self.quantity}"


class OrderStatusChange(models.Model):
    """The history of an order's status, shown on the order page."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_history")
    status = models.ForeignKey(OrderStatus, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.status_id}"


class OrderNoteQuerySet(models.QuerySet["OrderNote"]):
    def of_author(self, user_id: int | None) -> OrderNoteQuerySet:
        """Notes are private: filtered by their author, never by tenant scope."""
        return self.filter(author_id=user_id)


class OrderNote(TimeStampedModel):
    """A private note on an order (F13): seen by its author and nobody else."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="order_notes"
    )
    text = models.TextField(_("note"))

    objects = OrderNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        constraints = [
            models.UniqueConstraint(fields=["order", "author"], name="order_note_one_per_author")
        ]

    def __str__(self) -> str:
        return f"note {self.order_id}/{self.author_id}"
