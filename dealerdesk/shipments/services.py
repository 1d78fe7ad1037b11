"""Shipment and claim writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dealerdesk.accounts.models import User
from dealerdesk.catalog.models import Product, Warehouse
from dealerdesk.companies.models import LegalEntity
from dealerdesk.core.services import counter_next
from dealerdesk.events.models import OutboxEvent
from dealerdesk.events.services import event_record
from dealerdesk.notifications.services import notify_claim_status_changed
from dealerdesk.orders.models import Order, OrderLine
from dealerdesk.shipments import events as shipment_events
from dealerdesk.shipments.models import Claim, ClaimAttachment, ClaimEvent, Shipment, ShipmentLine

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What a claim may carry, recognised by content, not by name: photos and PDF scans.
ATTACHMENT_SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}


@dataclass(frozen=True)
class ShipmentLineData:
    product: Product
    quantity: Decimal
    price: Decimal = Decimal(0)
    order_line: OrderLine | None = None


@transaction.atomic
def shipment_upsert(
    *,
    erp_id: str,
    number: str,
    shipped_at: datetime,
    legal_entity: LegalEntity,
    lines: Sequence[ShipmentLineData],
    order: Order | None = None,
    warehouse: Warehouse | None = None,
) -> Shipment:
    """A shipment as the ERP reports it; replaying it replaces its lines."""
    if order is not None and order.legal_entity_id != legal_entity.id:
        raise ValidationError(_("The shipment and its order belong to different legal entities."))
    if not lines:
        raise ValidationError(_("A shipment has at least one line."))
    shipment, _created = Shipment.objects.update_or_create(
        erp_id=erp_id,
        defaults={
            "number": number,
            "shipped_at": shipped_at,
            "legal_entity": legal_entity,
            "dealer_id": legal_entity.dealer_id,
            "order": order,
            "warehouse": warehouse,
            "amount_with_vat": sum((line.price * line.quantity for line in lines), Decimal("0.00")),
        },
    )
    if shipment.claims.exists():
        # Claims point at the lines; they stay as they are.
        return shipment
    shipment.lines.all().delete()
    ShipmentLine.objects.bulk_create(
        ShipmentLine(
            shipment=shipment,
            position=position,
            order_line=line.order_line,
            product=line.product,
            code=line.product.code,
            name=line.product.name,
            unit=line.product.unit,
            quantity=line.quantity,
            price=line.price,
            amount=(line.price * line.quantity).quantize(Decimal("0.01")),
        )
        for position, line in enumerate(lines, start=1)
    )
    return shipment


def _attachment_type(upload: UploadedFile) -> str:
    name = PurePath(upload.name or "file").name
    if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s MB.")
            % {"name": name, "limit": MAX_ATTACHMENT_BYTES // 1024 // 1024}
        )
    head = upload.read(16)
    upload.seek(0)
    for content_type, signatures in ATTACHMENT_SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return content_type
    raise ValidationError(
        _("“%(name)s”: only photos (JPEG, PNG) and PDF files can be attached.") % {"name": name}
    )


@transaction.atomic
def claim_file(
    *,
    user: User,
    shipment_line: ShipmentLine,
    reason: str,
    quantity: Decimal,
    description: str,
    attachments: Sequence[UploadedFile] = (),
) -> Claim:
    """File a claim about a shipped line; it goes to the ERP with the next pull."""
    errors: dict[str, list[str]] = {}
    if reason not in Claim.Reason.values:
        errors["reason"] = [_("Choose the reason.")]
    already = shipment_line.claims.exclude(status=Claim.Status.REJECTED).aggregate(
        total=Sum("quantity")
    )["total"] or Decimal(0)
    if not quantity.is_finite() or quantity <= 0:
        errors["quantity"] = [_("The quantity must be greater than zero.")]
    elif quantity + already > shipment_line.quantity:
        errors["quantity"] = [
            _("At most %(left)s %(unit)s of this line can still be claimed.")
            % {"left": (shipment_line.quantity - already).normalize(), "unit": shipment_line.unit}
        ]
    if not description.strip():
        errors["description"] = [_("Describe what is wrong.")]
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = [_("At most %(count)s files.") % {"count": MAX_ATTACHMENTS}]
    else:
        problems = []
        for upload in attachments:
            try:
                _attachment_type(upload)
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            errors["attachments"] = problems
    if errors:
        raise ValidationError(errors)
    shipment = shipment_line.shipment
    claim = Claim.objects.create(
        number=f"CLM-{counter_next('claim'):06d}",
        dealer_id=shipment.dealer_id,
        legal_entity_id=shipment.legal_entity_id,
        shipment=shipment,
        shipment_line=shipment_line,
        author=user,
        reason=reason,
        quantity=quantity,
        description=description.strip()[:4000],
    )
    for upload in attachments:
        name = PurePath(upload.name or "file").name[:255]
        attachment = ClaimAttachment(
            claim=claim,
            file_name=name,
            content_type=_attachment_type(upload),
            file_size=upload.size or 0,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
    ClaimEvent.objects.create(
        claim=claim, at=claim.created_at, status=Claim.Status.SUBMITTED, author=user
    )
    event_record(
        kind=OutboxEvent.Kind.CLAIM_FILED,
        aggregate_type="claim",
        aggregate_id=claim.id,
        payload=shipment_events.claim_document(claim),
    )
    return claim


@transaction.atomic
def claim_status_set(
    *,
    claim: Claim,
    status: str,
    comment: str = "",
    at: datetime | None = None,
    author: User | None = None,
) -> Claim:
    """The supplier moves a claim on, with an optional comment the dealer sees."""
    if status not in Claim.Status.values:
        raise ValidationError({"status": _("Unknown claim status.")})
    status_changed = claim.status != status
    claim.status = status
    claim.save(update_fields=["status", "updated_at"])
    event = ClaimEvent.objects.create(
        claim=claim,
        at=at or timezone.now(),
        status=status,
        comment=comment,
        by_supplier=True,
        author=author,
    )
    if status_changed:
        notify_claim_status_changed(event)
    return claim


@transaction.atomic
def claim_comment_add(
    *, claim: Claim, comment: str, by_supplier: bool, author: User | None = None
) -> ClaimEvent:
    if not comment.strip():
        raise ValidationError({"comment": _("The comment is empty.")})
    return ClaimEvent.objects.create(
        claim=claim,
        at=timezone.now(),
        comment=comment.strip()[:4000],
        by_supplier=by_supplier,
        author=author,
    )
