"""What a legal entity pays for a product, and what it can get.

One `PricingStrategy` is built per request from the scope's current legal entity. The catalog,
search, the cart, order submission, documents and the ERP export all ask it, so the price a
dealer sees is the price that is ordered.

The rules (docs/pricing.md):

* the base price is the one of the legal entity's price type, else the dealer's, else the
  supplier's default price type;
* the discount is the legal entity's own discount on the product's category or the nearest
  category above it; when the legal entity has none on that branch, the dealer's, found the
  same way; nothing is materialised, so a changed discount shows at once;
* net price = base x (1 - discount / 100), rounded half-up to kopecks.

A batch of products is priced in a fixed number of queries, whatever its size.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.db.models import Q
from django.http import HttpRequest

from dealerdesk.catalog.models import Category, Product, category_path_ids
from dealerdesk.catalog.selectors import Availability, AvailabilityReader
from dealerdesk.companies.models import LegalEntity, SupplierSettings
from dealerdesk.companies.selectors import request_supplier_settings, supplier_settings
from dealerdesk.core.money import apply_discount
from dealerdesk.pricing.models import BasePrice, Discount, PriceType
from dealerdesk.tenancy.rights import Right
from dealerdesk.tenancy.scope import Scope


class PricedProduct(Protocol):
    """What the strategy needs of a product: `Product` and light rows both qualify."""

    @property
    def id(self) -> int: ...

    @property
    def category_id(self) -> int | None: ...


class DiscountLevel(enum.StrEnum):
    LEGAL_ENTITY = "legal_entity"
    DEALER = "dealer"


@dataclass(frozen=True)
class DiscountSource:
    level: DiscountLevel
    category_id: int
    category_name: str


@dataclass(frozen=True)
class Price:
    base: Decimal
    discount_percent: Decimal
    net: Decimal
    currency: str
    includes_vat: bool
    discount_source: DiscountSource | None = None

    @property
    def has_discount(self) -> bool:
        return self.discount_percent > 0


@dataclass(frozen=True)
class PurchaseInfo:
    product_id: int
    # None: no base price in the price type (price on request), or prices are hidden.
    price: Price | None
    prices_visible: bool
    availability: Availability

    @property
    def is_priced(self) -> bool:
        return self.price is not None


@dataclass(frozen=True)
class _DiscountRule:
    percent: Decimal
    source: DiscountSource


@dataclass
class PricingStrategy:
    price_type: PriceType | None
    dealer_id: int | None
    legal_entity_id: int | None
    prices_visible: bool
    availability_reader: AvailabilityReader = field(default_factory=AvailabilityReader)
    _rules: tuple[dict[int, _DiscountRule], dict[int, _DiscountRule]] | None = field(
        default=None, init=False
    )
    _category_paths: dict[int, list[int]] = field(default_factory=dict, init=False)

    @classmethod
    def for_legal_entity(
        cls,
        legal_entity: LegalEntity | None,
        *,
        prices_visible: bool = True,
        supplier: SupplierSettings | None = None,
    ) -> PricingStrategy:
        price_type = None
        if legal_entity is not None:
            price_type = legal_entity.price_type or legal_entity.dealer.price_type
        if price_type is None:
            price_type = (supplier or supplier_settings()).default_price_type
        return cls(
            price_type=price_type,
            dealer_id=legal_entity.dealer_id if legal_entity else None,
            legal_entity_id=legal_entity.id if legal_entity else None,
            prices_visible=prices_visible,
        )

    @classmethod
    def for_scope(
        cls, scope: Scope, *, supplier: SupplierSettings | None = None
    ) -> PricingStrategy:
        legal_entity = None
        if scope.legal_entity_id is not None:
            legal_entity = (
                LegalEntity.objects.select_related("price_type", "dealer", "dealer__price_type")
                .filter(id=scope.legal_entity_id)
                .first()
            )
        return cls.for_legal_entity(
            legal_entity, prices_visible=scope.has_right(Right.SEE_PRICES), supplier=supplier
        )

    # --- Discounts ---------------------------------------------------------------------------

    def _discount_rules(self) -> tuple[dict[int, _DiscountRule], dict[int, _DiscountRule]]:
        """(legal entity rules, dealer rules), each keyed by category id; one query."""
        if self._rules is None:
            entity_rules: dict[int, _DiscountRule] = {}
            dealer_rules: dict[int, _DiscountRule] = {}
            owners = Q(pk__in=[])
            if self.dealer_id is not None:
                owners |= Q(dealer_id=self.dealer_id)
            if self.legal_entity_id is not None:
                owners |= Q(legal_entity_id=self.legal_entity_id)
            if self.dealer_id is not None or self.legal_entity_id is not None:
                rows = Discount.objects.filter(owners).values_list(
                    "legal_entity_id", "category_id", "category__name", "percent"
                )
                for legal_entity_id, category_id, category_name, percent in rows:
                    level = DiscountLevel.LEGAL_ENTITY if legal_entity_id else DiscountLevel.DEALER
                    target = entity_rules if legal_entity_id else dealer_rules
                    target[category_id] = _DiscountRule(
                        percent, DiscountSource(level, category_id, category_name)
                    )
            self._rules = (entity_rules, dealer_rules)
        return self._rules

    def _remember_loaded_paths(self, products: Sequence[PricedProduct]) -> None:
        """Products read with their category (select_related) spare the paths query."""
        for product in products:
            if isinstance(product, Product) and Product.category.is_cached(product):
                category = product.category
                if category is not None:
                    self._category_paths[category.id] = category_path_ids(category.path)

    def _load_category_paths(self, category_ids: Iterable[int]) -> None:
        missing = set(category_ids) - self._category_paths.keys()
        if missing:
            for category_id, path in Category.objects.filter(id__in=missing).values_list(
                "id", "path"
            ):
                self._category_paths[category_id] = category_path_ids(path)

    def _discount_for(self, category_id: int | None) -> _DiscountRule | None:
        if category_id is None:
            return None
        branch = self._category_paths.get(category_id, [category_id])
        for rules in self._discount_rules():
            for ancestor_id in branch:
                if ancestor_id in rules:
                    return rules[ancestor_id]
        return None

    # --- Prices ------------------------------------------------------------------------------

    def prices_for(self, products: Sequence[PricedProduct]) -> dict[int, Price | None]:
        if not self.prices_visible or self.price_type is None:
            return {product.id: None for product in products}
        base_prices = dict(
            BasePrice.objects.filter(
                price_type=self.price_type, product_id__in=[product.id for product in products]
            ).values_list("product_id", "amount")
        )
        entity_rules, dealer_rules = self._discount_rules()
        if entity_rules or dealer_rules:
            self._remember_loaded_paths(products)
            self._load_category_paths(
                product.category_id for product in products if product.category_id is not None
            )
        prices: dict[int, Price | None] = {}
        for product in products:
            base = base_prices.get(product.id)
            if base is None:
                prices[product.id] = None
                continue
            rule = self._discount_for(product.category_id)
            percent = rule.percent if rule else Decimal(0)
            prices[product.id] = Price(
                base=base,
                discount_percent=percent,
                net=apply_discount(base, percent),
                currency=self.price_type.currency,
                includes_vat=self.price_type.includes_vat,
                discount_source=rule.source if rule else None,
            )
        return prices

    def fetch_for_products(
        self, products: Sequence[PricedProduct], *, every_warehouse: bool = False
    ) -> dict[int, PurchaseInfo]:
        prices = self.prices_for(products)
        availability = self.availability_reader.for_products(
            (product.id for product in products), every_warehouse=every_warehouse
        )
        return {
            product.id: PurchaseInfo(
                product_id=product.id,
                price=prices[product.id],
                prices_visible=self.prices_visible,
                availability=availability[product.id],
            )
            for product in products
        }

    def fetch_for_product(
        self, product: PricedProduct, *, every_warehouse: bool = True
    ) -> PurchaseInfo:
        return self.fetch_for_products([product], every_warehouse=every_warehouse)[product.id]


def request_strategy(request: HttpRequest) -> PricingStrategy:
    """The strategy of this request's scope, built on first use and kept for the request."""
    strategy: PricingStrategy | None = getattr(request, "_pricing_strategy", None)
    if strategy is None:
        strategy = PricingStrategy.for_scope(
            request.scope,  # type: ignore[attr-defined]
            supplier=request_supplier_settings(request),
        )
        request._pricing_strategy = strategy  # type: ignore[attr-defined]
    return strategy
