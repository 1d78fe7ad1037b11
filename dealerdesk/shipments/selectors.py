"""Shipment and claim reads."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone

from dealerdesk.accounts.models import User
from dealerdesk.documents.models import Document
from dealerdesk.shipments.models import Claim, ClaimAttachment, Shipment, ShipmentLine
from dealerdesk.tenancy.rights import Right
from dealerdesk.tenancy.scope import Scope


@dataclass(frozen=True)
class ShipmentFilters:
    legal_entity_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    number: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> ShipmentFilters:
        def positive(raw: str | None) -> int | None:
            return int(raw) if raw and raw.isdigit() and int(raw) > 0 else None

        def day(raw: str | None) -> datetime.date | None:
            try:
                return datetime.date.fromisoformat(raw or "")
            except ValueError:
                return None

        return cls(
            legal_entity_id=positive(query.get("entity")),
            date_from=day(query.get("from")),
            date_to=day(query.get("to")),
            number=query.get("number", "").strip()[:60],
        )


def shipment_list(scope: Scope, filters: ShipmentFilters) -> QuerySet[Shipment]:
    shipments = Shipment.objects.for_scope(scope).select_related(
        "legal_entity", "order", "warehouse"
    )
    if filters.legal_entity_id:
        shipments = shipments.filter(legal_entity_id=filters.legal_entity_id)
    zone = timezone.get_current_timezone()
    if filters.date_from:
        shipments = shipments.filter(
            shipped_at__gte=datetime.datetime.combine(filters.date_from, datetime.time.min, zone)
        )
    if filters.date_to:
        shipments = shipments.filter(
            shipped_at__lt=datetime.datetime.combine(
                filters.date_to + datetime.timedelta(days=1), datetime.time.min, zone
            )
        )
    if filters.number:
        shipments = shipments.filter(number__icontains=filters.number)
    return shipments.order_by("-shipped_at", "-id")


def access_shipment(scope: Scope, shipment_id: int) -> Shipment:
    try:
        return (
            Shipment.objects.for_scope(scope)
            .select_related("legal_entity", "order", "warehouse")
            .get(id=shipment_id)
        )
    except Shipment.DoesNotExist as missing:
        raise Http404 from missing


def shipment_documents(scope: Scope, shipment: Shipment) -> QuerySet[Document]:
    return Document.objects.for_scope(scope).filter(shipment=shipment).select_related("type")


def access_line_to_claim(scope: Scope, line_id: int) -> ShipmentLine:
    """A shipped line of a legal entity where the user may manage claims; 404 otherwise."""
    try:
        return ShipmentLine.objects.select_related("shipment", "product").get(
            id=line_id, shipment__legal_entity_id__in=scope.entity_ids(Right.MANAGE_CLAIMS)
        )
    except ShipmentLine.DoesNotExist as missing:
        raise Http404 from missing


def claim_list(scope: Scope, status: str = "", author_id: int | None = None) -> QuerySet[Claim]:
    claims = Claim.objects.for_scope(scope).select_related(
        "legal_entity", "shipment", "shipment_line", "author"
    )
    if status in Claim.Status.values:
        claims = claims.filter(status=status)
    if author_id is not None:
        claims = claims.filter(author_id=author_id)
    return claims.order_by("-created_at", "-id")


def claim_authors(scope: Scope) -> QuerySet[User]:
    """Colleagues who filed the claims the user may see (for the author filter)."""
    return (
        User.objects.filter(
            id__in=Claim.objects.for_scope(scope).values("author_id"), dealer_id=scope.dealer_id
        )
        .only("id", "full_name", "email")
        .order_by("full_name")
    )


def access_claim(scope: Scope, claim_id: int) -> Claim:
    try:
        return (
            Claim.objects.for_scope(scope)
            .select_related("legal_entity", "shipment", "shipment_line", "author")
            .get(id=claim_id)
        )
    except Claim.DoesNotExist as missing:
        raise Http404 from missing


def access_claim_attachment(scope: Scope, attachment_id: int) -> ClaimAttachment:
    try:
        return ClaimAttachment.objects.get(
            id=attachment_id,
            claim__legal_entity_id__in=scope.entity_ids(Right.MANAGE_CLAIMS),
        )
    except ClaimAttachment.DoesNotExist as missing:
        raise Http404 from missing
