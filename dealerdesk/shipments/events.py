"""The documents the ERP receives about claims: the one place their format is defined."""

from __future__ import annotations

from typing import Any

from dealerdesk.shipments.models import Claim

CLAIM_DOCUMENT_VERSION = 1


def claim_document(claim: Claim) -> dict[str, Any]:
    line = claim.shipment_line
    return {
        "version": CLAIM_DOCUMENT_VERSION,
        "id": claim.id,
        "number": claim.number,
        "filed_at": claim.created_at.isoformat(),
        "legal_entity_erp_id": claim.legal_entity.erp_id,
        "shipment_erp_id": claim.shipment.erp_id,
        "shipment_number": claim.shipment.number,
        "line_position": line.position,
        "product_erp_id": line.product.erp_id,
        "code": line.code,
        "reason": claim.reason,
        "quantity": format(claim.quantity, "f"),
        "description": claim.description,
        "author": {"email": claim.author.email, "name": claim.author.full_name},
        "attachments": [
            {"file_name": item.file_name, "content_type": item.content_type, "size": item.file_size}
            for item in claim.attachments.all()
        ],
    }
