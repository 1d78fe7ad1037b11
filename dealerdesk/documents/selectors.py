from __future__ import annotations

from django.http import Http404

from dealerdesk.documents.models import Document
from dealerdesk.tenancy.scope import Scope


def access_document(scope: Scope, document_id: int) -> Document:
    """A document of a legal entity the user may see (financial ones need the finance right);
    404 for missing and foreign alike."""
    try:
        return Document.objects.for_scope(scope).select_related("type").get(id=document_id)
    except Document.DoesNotExist as missing:
        raise Http404 from missing
