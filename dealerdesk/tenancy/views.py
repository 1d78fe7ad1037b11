from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dealerdesk.tenancy.http import ScopedRequest, dealer_view
from dealerdesk.tenancy.services import legal_entity_select


@require_POST
@dealer_view
def legal_entity_switch(request: ScopedRequest) -> HttpResponse:
    try:
        legal_entity_id = int(request.POST.get("legal_entity", ""))
    except ValueError as bad_id:
        raise Http404 from bad_id
    legal_entity_select(scope=request.scope, user=request.user, legal_entity_id=legal_entity_id)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if request.htmx:
        return HttpResponse(headers={"HX-Redirect": next_url})
    return redirect(next_url)
