from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dealerdesk.core.models import TimeStampedModel
from dealerdesk.core.text import normalize_code, normalize_search_text


class Category(TimeStampedModel):
    """A node of the catalog tree.

    `path` holds the ids from the root down to this node (`/1/5/12/`), so ancestors are read
    without a query and a subtree is one indexed prefix match. `catalog.services` keeps it
    right when categories are created or moved.
    """

    erp_id = models.CharField(_("ERP id"), max_length=80, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=255)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=500, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from this category up to the root, nearest first (itself included)."""
        return category_path_ids(self.path)


def category_path_ids(path: str) -> list[int]:
    """`/1/5/12/` -> [12, 5, 1]: the category itself, then its ancestors up to the root."""
    return [int(part) for part in reversed(path.strip("/").split("/")) if part]


class Brand(TimeStampedModel):
    erp_id = models.CharField(_("ERP id"), max_length=80, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    is_own_trademark = models.BooleanField(_("own trade mark"), default=False)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Product(TimeStampedModel):
    erp_id = models.CharField(_("ERP id"), max_length=80, unique=True, null=True, blank=True)
    code = models.CharField(_("code"), max_length=64, help_text=_("The article (артикул)."))
    # The code as it is matched: folded, without spaces (see core.text.normalize_code).
    code_key = models.CharField(max_length=64, editable=False, db_index=True)
    name = models.CharField(_("name"), max_length=500)
    # Folded "code name" that the substring search indexes (see catalog.search).
    search_text = models.TextField(editable=False, default="")
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
    )
    brand = models.ForeignKey(
        Brand,
        verbose_name=_("brand"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
    )
    unit = models.CharField(_("unit"), max_length=16, default="шт")
    pack_multiplicity = models.DecimalField(
        _("pack multiplicity"),
        max_digits=14,
        decimal_places=3,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text=_("Orders are rounded up to a multiple of this quantity."),
    )
    vat_rate = models.DecimalField(
        _("VAT rate, %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: the supplier's standard rate."),
    )
    # Ordered list of {"name": ..., "value": ...}; a list because JSON objects lose key order.
    attributes = models.JSONField(_("attributes"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Archived products are hidden from dealers.")
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["code"], name="product_code_idx"),
            models.Index(fields=["category", "code"], name="product_category_code_idx"),
            models.Index(fields=["brand", "code"], name="product_brand_code_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived match keys must never drift from what they are derived from, whichever
        # path (service, admin, fixture) saves the product. Bulk loaders call the same functions.
        self.code_key = normalize_code(self.code)
        self.search_text = product_search_text(self.code, self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "code_key", "search_text"}
        super().save(*args, **kwargs)

    @property
    def attribute_pairs(self) -> list[tuple[str, str]]:
        return [(str(item.get("name", "")), str(item.get("value", ""))) for item in self.attributes]


def product_search_text(code: str, name: str) -> str:
    return normalize_search_text(f"{code} {name}")


class ProductDocument(TimeStampedModel):
    """Technical documentation a dealer downloads without asking a manager."""

    class Kind(models.TextChoices):
        DATASHEET = "datasheet", _("Datasheet")
        CERTIFICATE = "certificate", _("Certificate")
        MANUAL = "manual", _("Manual")
        DRAWING = "drawing", _("Drawing")
        OTHER = "other", _("Other")

    erp_id = models.CharField(_("ERP id"), max_length=80, unique=True, null=True, blank=True)
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="product-documents/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(_("size, bytes"), default=0)

    class Meta:
        verbose_name = _("product document")
        verbose_name_plural = _("product documents")
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class Warehouse(TimeStampedModel):
    erp_id = models.CharField(_("ERP id"), max_length=80, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=255)
    address = models.TextField(_("address"), blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Stock(models.Model):
    """Free stock of a product at a warehouse, as the ERP last reported it."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="stock"
    )
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.CASCADE, related_name="stock"
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, default=Decimal(0)
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(fields=["product", "warehouse"], name="stock_unique_row"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="stock_quantity_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.warehouse_id}: {self.quantity}"


class IncomingSupply(TimeStampedModel):
    """An expected receipt of a product at a warehouse (график поступлений)."""

    erp_id = models.CharField(_("ERP id"), max_length=80, unique=True, null=True, blank=True)
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="incoming"
    )
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="incoming"
    )
    expected_date = models.DateField(_("expected"))
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=14,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )

    class Meta:
        verbose_name = _("incoming supply")
        verbose_name_plural = _("incoming supplies")
        ordering = ["expected_date"]
        indexes = [models.Index(fields=["product", "expected_date"], name="incoming_product_date")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="incoming_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.quantity} on {self.expected_date}"
