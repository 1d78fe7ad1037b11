from __future__ import annotations

from django.http import HttpResponseBase
from django.views.decorators.http import require_GET

from dealerdesk.documents.files import protected_file_response
from dealerdesk.documents.selectors import access_document
from dealerdesk.tenancy.http import ScopedRequest, dealer_view


@require_GET
@dealer_view
def document_download(request: ScopedRequest, document_id: int) -> HttpResponseBase:
    document = access_document(request.scope, document_id)
    return protected_file_response(
        document.file, download_name=document.file_name, content_type=document.content_type
    )
