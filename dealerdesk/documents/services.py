"""Attaching files to legal entities, orders and shipments (the ERP's documents)."""

from __future__ import annotations

import datetime
import mimetypes

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from dealerdesk.companies.models import LegalEntity
from dealerdesk.documents.models import Document, DocumentType
from dealerdesk.orders.models import Order
from dealerdesk.shipments.models import Shipment


@transaction.atomic
def document_attach(
    *,
    type_code: str,
    legal_entity: LegalEntity,
    title: str,
    date: datetime.date,
    file: File,
    file_name: str,
    number: str = "",
    order: Order | None = None,
    shipment: Shipment | None = None,
    erp_id: str | None = None,
) -> Document:
    """Store a document for a legal entity (and its order or shipment); an ERP id replaces
    the earlier file of the same document."""
    document_type = DocumentType.objects.filter(code=type_code).first()
    if document_type is None:
        raise ValidationError(
            {"type": _("Unknown document type “%(code)s”.") % {"code": type_code}}
        )
    for owner in (order, shipment):
        if owner is not None and owner.legal_entity_id != legal_entity.id:
            raise ValidationError(
                _("The document and its order or shipment belong to different legal entities.")
            )
    document = Document.objects.filter(erp_id=erp_id).first() if erp_id else None
    if document is None:
        document = Document(erp_id=erp_id)
    document.type = document_type
    document.legal_entity = legal_entity
    document.dealer_id = legal_entity.dealer_id
    document.order = order
    document.shipment = shipment
    document.title = title[:255]
    document.number = number[:60]
    document.date = date
    document.file_name = file_name[:255]
    document.content_type = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    document.file_size = file.size or 0
    document.file.save(file_name, file, save=False)
    document.save()
    return document
