from __future__ import annotations

from django.db import transaction

from dealerdesk.accounts.models import User


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
