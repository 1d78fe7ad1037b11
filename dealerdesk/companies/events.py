"""The documents the ERP receives about company requests: the one place their format is defined.

A request travels with every requisite the dealer gave, so the ERP can create the
counterparty without asking the portal again; ids are the portal's and, where known, the
ERP's own (`erp_id`).
"""

from __future__ import annotations

from typing import Any

from dealerdesk.companies.models import CompanyRequest
from dealerdesk.events.models import OutboxEvent

COMPANY_REQUEST_DOCUMENT_VERSION = 1
AGGREGATE_TYPE = "company_request"

SUBMITTED = OutboxEvent.Kind.COMPANY_REQUESTED
APPROVED = OutboxEvent.Kind.COMPANY_APPROVED
REJECTED = OutboxEvent.Kind.COMPANY_REJECTED


def company_request_document(company_request: CompanyRequest) -> dict[str, Any]:
    dealer = company_request.dealer
    author = company_request.requested_by
    legal_entity = company_request.legal_entity
    return {
        "version": COMPANY_REQUEST_DOCUMENT_VERSION,
        "id": company_request.id,
        "number": company_request.number,
        "status": company_request.status,
        "submitted_at": company_request.created_at.isoformat(),
        "dealer": {"id": dealer.id, "erp_id": dealer.erp_id, "name": dealer.name},
        "requested_by": {"email": author.email, "name": author.full_name},
        "inn": company_request.inn,
        "kpp": company_request.kpp,
        "name": company_request.name,
        "legal_address": company_request.legal_address,
        "postal_address": company_request.postal_address,
        "bank": (
            {
                "name": company_request.bank_name,
                "bik": company_request.bik,
                "correspondent_account": company_request.correspondent_account,
                "settlement_account": company_request.settlement_account,
            }
            if company_request.has_bank_details
            else None
        ),
        "comment": company_request.comment,
        "decided_at": (
            company_request.decided_at.isoformat() if company_request.decided_at else None
        ),
        "rejection_reason": company_request.rejection_reason,
        "legal_entity": (
            {"id": legal_entity.id, "erp_id": legal_entity.erp_id} if legal_entity else None
        ),
    }
