from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dealerdesk.accounts.services import user_set_language
from dealerdesk.tenancy.http import ScopedRequest, public_view


@require_GET
@public_view
def home(request: ScopedRequest) -> HttpResponse:
    if request.scope.is_dealer:
        return redirect("catalog:product_list")
    if request.scope.is_manager:
        return redirect("manager:dashboard")
    if request.scope.is_authenticated:
        return redirect("accounts:no_access")
    return redirect("accounts:login")


@require_GET
@never_cache
@public_view
def healthz(request: ScopedRequest) -> JsonResponse:
    """For load balancers: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_POST
@public_view
def language_set(request: ScopedRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 60 * 60,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
