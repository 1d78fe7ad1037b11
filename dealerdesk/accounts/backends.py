from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from dealerdesk.accounts.models import User


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
