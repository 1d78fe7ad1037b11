from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from dealerdesk.accounts.forms import EmailAuthenticationForm
from dealerdesk.accounts.models import User
from dealerdesk.tenancy.http import ScopedRequest, public_view, signed_in_view


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    extra_context = {"title": _("Sign in")}

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        if isinstance(user, User):
            # The interface speaks the user's language from the first page after sign-in.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=365 * 24 * 60 * 60,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


login = public_view(LoginView.as_view())
# LogoutView accepts POST only, so a link on another site cannot sign a user out.
logout = public_view(auth_views.LogoutView.as_view())


@signed_in_view
def no_access(request: ScopedRequest) -> HttpResponse:
    """A signed-in user who is neither a dealer's employee nor supplier staff."""
    return render(request, "accounts/no_access.html", status=403)
