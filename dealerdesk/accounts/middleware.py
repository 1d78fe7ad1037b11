from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _

from dealerdesk.accounts import sessions


class SessionTimeoutMiddleware:
    """Ends a signed-in session after `SESSION_IDLE_TIMEOUT` seconds without a request, or
    `SESSION_ABSOLUTE_TIMEOUT` seconds after sign-in, whichever comes first.

    Sits after the authentication and message middleware and before the scope is resolved.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now()
            if sessions.session_expiry_reason(request.session, now=now) is not None:
                return self._expired(request)
            sessions.session_touch(request.session, now=now)
            sessions.session_track(request.session, request.user, at=now)
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> HttpResponse:
        logout(request)
        messages.warning(request, _("Your session has expired. Please sign in again."))
        login_url = resolve_url("accounts:login")
        if request.headers.get("HX-Request") == "true":
            # An htmx swap would put the login page inside a fragment; ask for a full navigation.
            return HttpResponse(status=401, headers={"HX-Redirect": login_url})
        return redirect_to_login(request.get_full_path(), login_url)
