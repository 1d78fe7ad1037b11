from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from dealerdesk.accounts.models import User


class LoginAttemptBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in line: a locked-out account and address is refused
    before the password is even looked at.

    Axes refuses to run without a request. Code that checks a password without one (a
    management command, the demo's self-check) has no client address to lock out, so it is
    let through to the next backend instead of failing.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class EmailBackend(ModelBackend):
    """Sign-in by e-mail; a blocked (inactive) user is refused, including existing sessions."""

    def get_user(self, user_id: int) -> User | None:
        # The dealer comes with the user: the scope needs it on every request.
        user = User.objects.select_related("dealer").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: object,
    ) -> User | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if isinstance(user, User) and user.dealer_id is not None:
            dealer = user.dealer
            if dealer is not None and dealer.is_blocked:
                return None
        return user if isinstance(user, User) else None
