from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from dealerdesk.tenancy.scope import ScopeKind
from dealerdesk.tenancy.selectors import scope_for_user


class ScopeMiddleware:
    """Resolves `request.scope` once per request, after authentication.

    A session whose user was blocked, or whose dealer was, ends here at its next request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        scope = scope_for_user(user if user.is_authenticated else None)
        if user.is_authenticated and scope.kind is ScopeKind.ANONYMOUS:
            logout(request)
        request.scope = scope  # type: ignore[attr-defined]
        return self.get_response(request)
