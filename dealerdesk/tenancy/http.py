"""The request type of DealerDesk views, and the decorators that guard every view.

Every view is wrapped by exactly one of `public_view`, `dealer_view` or `staff_view`; the
decorator records its policy on the view, and a test fails for any URL whose view has none.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import resolve_url

from dealerdesk.tenancy.rights import Right
from dealerdesk.tenancy.scope import Scope

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from dealerdesk.accounts.models import User


class ScopedRequest(HttpRequest):
    scope: Scope
    htmx: HtmxDetails
    user: User


View = TypeVar("View", bound=Callable[..., HttpResponseBase])

ACCESS_POLICY_ATTRIBUTE = "access_policy"


def _mark(view: Callable[..., HttpResponseBase], policy: str) -> Any:
    setattr(view, ACCESS_POLICY_ATTRIBUTE, policy)
    return view


def _login_redirect(request: HttpRequest) -> HttpResponse:
    login_url = resolve_url("accounts:login")
    if getattr(request, "htmx", False):
        # An htmx swap would put the login page inside a fragment; ask for a full navigation.
        return HttpResponse(status=401, headers={"HX-Redirect": login_url})
    return redirect_to_login(request.get_full_path(), login_url)


def public_view(view: View) -> View:
    """Open to everyone, signed in or not."""
    return _mark(view, "public")


@overload
def dealer_view(view: View, *, right: None = None) -> View: ...


@overload
def dealer_view(view: None = None, *, right: Right) -> Callable[[View], View]: ...


def dealer_view(
    view: View | None = None, *, right: Right | None = None
) -> View | Callable[[View], View]:
    """For dealers' employees; with `right`, only when it is held on the current legal entity."""

    def decorate(inner: View) -> View:
        @functools.wraps(inner)
        def wrapper(request: ScopedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            scope = request.scope
            if not scope.is_authenticated:
                return _login_redirect(request)
            if not scope.is_dealer:
                raise PermissionDenied
            if right is not None and not scope.has_right(right):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return cast(View, _mark(wrapper, f"dealer:{right or 'any'}"))

    return decorate(view) if view is not None else decorate


def staff_view(view: View) -> View:
    """For supplier staff (managers)."""

    @functools.wraps(view)
    def wrapper(request: ScopedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.scope.is_authenticated:
            return _login_redirect(request)
        if not request.scope.is_manager:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return cast(View, _mark(wrapper, "staff"))


def signed_in_view(view: View) -> View:
    """For anyone signed in, dealer or staff (e.g. product documentation)."""

    @functools.wraps(view)
    def wrapper(request: ScopedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.scope.is_authenticated:
            return _login_redirect(request)
        return view(request, *args, **kwargs)

    return cast(View, _mark(wrapper, "signed_in"))
