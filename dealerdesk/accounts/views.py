from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from dealerdesk.accounts import audit, selectors, services, sign_in, two_factor
from dealerdesk.accounts.forms import (
    EmailAuthenticationForm,
    employee_fields,
    rights_grid_from_post,
)
from dealerdesk.accounts.models import AccountEvent, EmployeeStatus, User
from dealerdesk.accounts.security import client_ip_address
from dealerdesk.accounts.tokens import invitation_token_generator
from dealerdesk.tenancy.http import (
    ScopedRequest,
    dealer_view,
    public_view,
    signed_in_view,
)
from dealerdesk.tenancy.rights import Right

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 50
ISSUER = "DealerDesk"


def _with_language_cookie(response: HttpResponse, user: User) -> HttpResponse:
    # The interface speaks the user's language from the first page after sign-in.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.language,
        max_age=365 * 24 * 60 * 60,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


# --- Signing in -----------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """The password step. A user with two-factor authentication is not signed in yet: the
    session remembers them for a few minutes while they enter a code."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("Sign in")}

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if selectors.two_factor_enabled(user):
            sign_in.pending_start(
                self.request.session, user, next_url=self.get_success_url(), now=timezone.now()
            )
            return redirect("accounts:login_verify")
        return _with_language_cookie(super().form_valid(form), user)


login = public_view(LoginView.as_view())
# LogoutView accepts POST only, so a link on another site cannot sign a user out.
logout = public_view(auth_views.LogoutView.as_view())


@sensitive_post_parameters("code")
@never_cache
@public_view
def login_verify(request: ScopedRequest) -> HttpResponseBase:
    """The second step: a code from the authenticator app, or a recovery code."""
    now = timezone.now()
    pending = sign_in.pending_get(request.session, now=now)
    user = None
    if pending is not None:
        user = User.objects.filter(pk=pending.user_id, is_active=True).first()
    if pending is None or user is None:
        sign_in.pending_clear(request.session)
        if request.method == "POST":
            messages.warning(request, _("The sign-in took too long. Enter your password again."))
        return redirect("accounts:login")
    error = ""
    if request.method == "POST":
        if services.two_factor_verify(user=user, code=request.POST.get("code", ""), at=now):
            sign_in.pending_clear(request.session)
            auth_login(request, user, backend=pending.backend or None)
            return _with_language_cookie(redirect(pending.next_url), user)
        if sign_in.pending_failure(request.session) >= sign_in.MAX_CODE_FAILURES:
            sign_in.pending_clear(request.session)
            # One failed sign-in for the lockout count: guessing codes costs like guessing
            # passwords.
            user_login_failed.send(
                sender=__name__, credentials={"username": user.email}, request=request
            )
            messages.error(request, _("Too many wrong codes. Sign in again."))
            return redirect("accounts:login")
        error = _("The code is wrong or has already been used.")
    return render(
        request,
        "accounts/login_verify.html",
        {"error": error, "title": _("Two-factor authentication")},
        status=422 if error else 200,
    )


def lockout(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """What django-axes answers a locked-out sign-in: the sign-in page, saying why."""
    from dealerdesk.accounts.security import login_attempt_username

    cool_off = settings.AXES_COOLOFF_TIME
    form = EmailAuthenticationForm(
        request, initial={"username": login_attempt_username(request, credentials)}
    )
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "locked_out": True,
            "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
            "title": _("Sign in"),
        },
        status=429,
    )


@public_view
def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The administration's sign-in page hands over to the portal's, so the lockout and the
    second factor apply to supplier staff too."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect(next_url)
        raise PermissionDenied
    return redirect_to_login(next_url, reverse("accounts:login"))


@signed_in_view
def no_access(request: ScopedRequest) -> HttpResponse:
    """A signed-in user who is neither a dealer's employee nor supplier staff."""
    return render(request, "accounts/no_access.html", status=403)


# --- Invitations ----------------------------------------------------------------------------


def _user_from_uid(uidb64: str) -> User | None:
    try:
        user_id = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, OverflowError):
        return None
    return User.objects.filter(pk=user_id).first()


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@public_view
def invitation_accept(request: ScopedRequest, uidb64: str, token: str) -> HttpResponseBase:
    """The link of the invitation: the employee chooses a password and is signed in."""
    user = _user_from_uid(uidb64)
    if (
        user is None
        or not user.is_active
        or user.has_usable_password()
        or not invitation_token_generator.check_token(user, token)
    ):
        return render(
            request,
            "accounts/invitation_accept.html",
            {"valid": False, "title": _("Invitation")},
            status=404,
        )
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                user=user, token=token, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            auth_login(request, user, backend="dealerdesk.accounts.backends.EmailBackend")
            messages.success(request, _("Welcome! Your password is set."))
            return _with_language_cookie(redirect("home"), user)
    return render(
        request,
        "accounts/invitation_accept.html",
        {"valid": True, "form": form, "invited": user, "title": _("Invitation")},
        status=422 if form.errors else 200,
    )


def _errors_to_form(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


# --- Employees (the dealer superuser) -------------------------------------------------------


def _require_dealer_superuser(request: ScopedRequest) -> None:
    if not request.scope.is_dealer_superuser:
        raise PermissionDenied


@require_GET
@dealer_view
def employee_list(request: ScopedRequest) -> HttpResponse:
    _require_dealer_superuser(request)
    filters = selectors.EmployeeFilters.from_query(request.GET)
    page = Paginator(selectors.employee_list(request.scope, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/employee_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": EmployeeStatus.choices,
            "short_rights": SHORT_RIGHT_LABELS,
        },
    )


SHORT_RIGHT_LABELS = {
    Right.PLACE_ORDERS: gettext_lazy("Orders"),
    Right.SEE_PRICES: gettext_lazy("Prices"),
    Right.SEE_FINANCE: gettext_lazy("Finance"),
    Right.MANAGE_CLAIMS: gettext_lazy("Claims"),
}


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@sensitive_post_parameters()
@dealer_view
def employee_create(request: ScopedRequest) -> HttpResponseBase:
    _require_dealer_superuser(request)
    entities = list(selectors.dealer_legal_entities(request.scope))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        fields = employee_fields(request.POST)
        is_superuser = request.POST.get("is_dealer_superuser") == "on"
        grid = rights_grid_from_post(request.POST, [entity.id for entity in entities])
        try:
            employee = services.employee_create(
                actor=request.user,
                rights=grid,
                is_dealer_superuser=is_superuser,
                site_url=_site_url(request),
                **fields,
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(
                request,
                _("%(name)s is added; an invitation went to %(email)s.")
                % {"name": employee.display_name, "email": employee.email},
            )
            return redirect("accounts:employee_detail", user_id=employee.pk)
    else:
        fields = dict.fromkeys(("email", "full_name", "phone"), "")
        is_superuser = False
        # A new employee usually orders for the main company and sees its prices.
        grid = {
            entity.id: frozenset({Right.PLACE_ORDERS, Right.SEE_PRICES})
            for entity in entities
            if entity.is_main
        }
    return render(
        request,
        "accounts/employee_form.html",
        {
            "form": fields,
            "is_dealer_superuser": is_superuser,
            "grid": selectors.rights_grid(request.scope, grid),
            "rights": list(Right),
            "errors": errors,
            "title": _("New employee"),
        },
        status=422 if errors else 200,
    )


@dealer_view
def employee_detail(request: ScopedRequest, user_id: int) -> HttpResponseBase:
    _require_dealer_superuser(request)
    employee = selectors.access_employee(request.scope, user_id)
    entities = list(selectors.dealer_legal_entities(request.scope))
    errors: dict[str, list[str]] = {}
    fields = {"email": employee.email, "full_name": employee.full_name, "phone": employee.phone}
    is_superuser = employee.is_dealer_superuser
    grid = selectors.employee_rights(employee)
    if request.method == "POST":
        fields = {**employee_fields(request.POST), "email": employee.email}
        is_superuser = request.POST.get("is_dealer_superuser") == "on"
        grid = rights_grid_from_post(request.POST, [entity.id for entity in entities])
        try:
            services.employee_update(
                actor=request.user,
                employee=employee,
                full_name=fields["full_name"],
                phone=fields["phone"],
                is_dealer_superuser=is_superuser,
                rights=grid,
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("Changes saved."))
            return redirect("accounts:employee_detail", user_id=employee.pk)
    return render(
        request,
        "accounts/employee_detail.html",
        {
            "employee": employee,
            "is_self": employee.pk == request.user.pk,
            "form": fields,
            "is_dealer_superuser": is_superuser,
            "grid": selectors.rights_grid(request.scope, grid),
            "rights": list(Right),
            "errors": errors,
            "colleagues": selectors.colleagues(request.scope, employee),
            "events": [
                (event, audit.event_sentence(event))
                for event in selectors.account_events(request.scope, employee.pk)[:10]
            ],
            "title": employee.display_name,
        },
        status=422 if errors else 200,
    )


def _employee_action(request: ScopedRequest, user_id: int) -> User:
    _require_dealer_superuser(request)
    return selectors.access_employee(request.scope, user_id)


def _back_to(employee: User) -> HttpResponse:
    return redirect("accounts:employee_detail", user_id=employee.pk)


@require_POST
@dealer_view
def employee_block(request: ScopedRequest, user_id: int) -> HttpResponse:
    employee = _employee_action(request, user_id)
    try:
        services.employee_block(actor=request.user, employee=employee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is blocked and signed out everywhere.") % {"name": employee.display_name},
        )
    return _back_to(employee)


@require_POST
@dealer_view
def employee_unblock(request: ScopedRequest, user_id: int) -> HttpResponse:
    employee = _employee_action(request, user_id)
    try:
        services.employee_unblock(actor=request.user, employee=employee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is unblocked.") % {"name": employee.display_name})
    return _back_to(employee)


@require_POST
@dealer_view
def employee_invite(request: ScopedRequest, user_id: int) -> HttpResponse:
    employee = _employee_action(request, user_id)
    try:
        services.invitation_send(actor=request.user, employee=employee, site_url=_site_url(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A new invitation went to %(email)s.") % {"email": employee.email}
        )
    return _back_to(employee)


@require_POST
@dealer_view
def employee_two_factor_reset(request: ScopedRequest, user_id: int) -> HttpResponse:
    employee = _employee_action(request, user_id)
    try:
        services.two_factor_reset(actor=request.user, employee=employee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Two-factor authentication of %(name)s is reset.") % {"name": employee.display_name},
        )
    return _back_to(employee)


@require_POST
@dealer_view
def employee_reassign(request: ScopedRequest, user_id: int) -> HttpResponse:
    employee = _employee_action(request, user_id)
    try:
        target_id = int(request.POST.get("target", ""))
    except ValueError:
        messages.error(request, _("Choose the employee to hand the work over to."))
        return _back_to(employee)
    target = selectors.access_employee(request.scope, target_id)
    try:
        result = services.employee_reassign(actor=request.user, employee=employee, target=target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to(employee)
    messages.success(request, _handover_message(result, target))
    return _back_to(employee)


def _handover_message(result: services.HandoverResult, target: User) -> str:
    moved = audit.handover_counts(result.moved)
    if not result.moved_total:
        moved = _("nothing")
    message = _("Handed over to %(name)s: %(moved)s.") % {
        "name": target.display_name,
        "moved": moved,
    }
    if result.kept_total:
        message += " " + ngettext(
            "%(count)s item was not moved: %(name)s has no rights on its legal entity (%(kept)s).",
            "%(count)s items were not moved: %(name)s has no rights on their legal entities "
            "(%(kept)s).",
            result.kept_total,
        ) % {
            "count": result.kept_total,
            "name": target.display_name,
            "kept": audit.handover_counts(result.kept),
        }
    return message


@require_GET
@dealer_view
def audit_log(request: ScopedRequest) -> HttpResponse:
    _require_dealer_superuser(request)
    employee = None
    raw_employee = request.GET.get("employee", "")
    if raw_employee.isdigit():
        employee = selectors.access_employee(request.scope, int(raw_employee))
    page = Paginator(
        selectors.account_events(request.scope, employee.pk if employee else None),
        AUDIT_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/audit_log.html",
        {
            "page": page,
            "rows": [(event, audit.event_sentence(event)) for event in page],
            "employee": employee,
            "employees": selectors.employee_list(request.scope, selectors.EmployeeFilters()),
            "title": _("Account log"),
        },
    )


# --- The user's own security ----------------------------------------------------------------


def _security_page(
    request: ScopedRequest, *, errors: dict[str, list[str]] | None = None, status: int = 200
) -> HttpResponse:
    device = selectors.user_two_factor(request.user)
    setup = None
    if device is not None and not device.is_confirmed:
        uri = two_factor.provisioning_uri(device.secret, account=request.user.email, issuer=ISSUER)
        setup = {
            "secret": device.secret,
            "secret_grouped": " ".join(
                device.secret[start : start + 4] for start in range(0, len(device.secret), 4)
            ),
            "qr": two_factor.qr_code_svg(uri),
        }
    return render(
        request,
        "accounts/security.html",
        {
            "device": device,
            "enabled": device is not None and device.is_confirmed,
            "setup": setup,
            "recovery_codes_left": selectors.unused_recovery_codes(request.user),
            "errors": errors or {},
            "title": _("Security"),
        },
        status=status,
    )


@require_GET
@signed_in_view
def security(request: ScopedRequest) -> HttpResponse:
    return _security_page(request)


@require_POST
@signed_in_view
def two_factor_setup(request: ScopedRequest) -> HttpResponse:
    try:
        services.two_factor_setup_start(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:security")


@sensitive_post_parameters("code")
@require_POST
@signed_in_view
def two_factor_enable(request: ScopedRequest) -> HttpResponse:
    try:
        codes = services.two_factor_enable(user=request.user, code=request.POST.get("code", ""))
    except ValidationError as error:
        return _security_page(request, errors=error.message_dict, status=422)
    # Shown in this answer only: the codes are not stored anywhere readable.
    response = render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "title": _("Recovery codes")},
    )
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters("code")
@require_POST
@signed_in_view
def two_factor_disable(request: ScopedRequest) -> HttpResponse:
    try:
        services.two_factor_disable(
            user=request.user, code_or_password=request.POST.get("code", "")
        )
    except ValidationError as error:
        return _security_page(request, errors=error.message_dict, status=422)
    messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:security")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")
    extra_context = {"title": gettext_lazy("Change password")}

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        services.user_password_set(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            action=AccountEvent.Action.PASSWORD_CHANGED,
        )
        # Other sessions end (their hash no longer matches); this one goes on.
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password is changed."))
        return redirect(self.get_success_url())


password_change = signed_in_view(PasswordChangeView.as_view())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"title": gettext_lazy("Forgot your password?")}

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        address = client_ip_address(self.request)
        if not services.password_reset_allowed(
            email=form.cleaned_data["email"], ip_address=address
        ):
            # The same page as when the e-mail goes out: it must not tell whether it did, or
            # whether the account exists.
            logger.warning("Password reset e-mail not sent: hourly limit reached (%s)", address)
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"title": gettext_lazy("New password")}

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        services.user_password_set(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            action=AccountEvent.Action.PASSWORD_RESET,
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.get_success_url())


password_reset = public_view(PasswordResetView.as_view())
password_reset_done = public_view(
    auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html",
        extra_context={"title": gettext_lazy("Check your e-mail")},
    )
)
password_reset_confirm = public_view(PasswordResetConfirmView.as_view())
password_reset_complete = public_view(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html",
        extra_context={"title": gettext_lazy("Password changed")},
    )
)
