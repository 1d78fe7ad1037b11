from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dealerdesk.companies.selectors import request_supplier_settings


def supplier(request: HttpRequest) -> dict[str, Any]:
    """The supplier's name and contacts for the page footer; read only if a page shows them."""
    return {"supplier": SimpleLazyObject(lambda: request_supplier_settings(request))}
