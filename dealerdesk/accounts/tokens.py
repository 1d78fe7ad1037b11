"""The invitation link: a password-reset style token that dies once the password is set."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from dealerdesk.accounts.models import User

INVITATION_VALIDITY = timedelta(days=7)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Like Django's reset token (it changes with the password hash, so it works once), with
    its own salt and a week of validity. Blocking the employee also kills the link."""

    key_salt = "dealerdesk.accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user: User | None, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            timestamp_b36, _hash = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        age = self._num_seconds(self._now()) - timestamp
        if age > INVITATION_VALIDITY.total_seconds():
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


invitation_token_generator = InvitationTokenGenerator()
