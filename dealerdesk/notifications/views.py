"""The notification settings page: which e-mails a signed-in user receives."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dealerdesk.notifications import selectors, services
from dealerdesk.tenancy.http import ScopedRequest, signed_in_view


@require_http_methods(["GET", "POST"])
@signed_in_view
def preferences(request: ScopedRequest) -> HttpResponse:
    if request.method == "POST":
        services.notification_preferences_set(
            scope=request.scope, user=request.user, enabled=request.POST.getlist("enabled")
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "title": _("Notifications"),
            "preferences": selectors.notification_preferences(request.scope),
        },
    )
