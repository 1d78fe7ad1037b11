from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from dealerdesk.tenancy.rights import Right


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("Wrong e-mail or password, or the account is blocked."),
        "inactive": _("Wrong e-mail or password, or the account is blocked."),
    }


EMPLOYEE_FIELDS = ("email", "full_name", "phone")


def employee_fields(post: QueryDict) -> dict[str, str]:
    """The typed-in fields of the employee form, as entered (the service cleans them)."""
    return {name: post.get(name, "") for name in EMPLOYEE_FIELDS}


def grid_field(entity_id: int, column: str) -> str:
    """The name of a checkbox of the rights grid: `entity-<id>-attached`, `entity-<id>-<right>`."""
    return f"entity-{entity_id}-{column}"


def rights_grid_from_post(
    post: QueryDict, entity_ids: Iterable[int]
) -> dict[int, frozenset[Right]]:
    """The rights grid as submitted. Ticking a right attaches its legal entity too, so a right
    is never silently dropped for a forgotten "attached" box."""
    grid: dict[int, frozenset[Right]] = {}
    for entity_id in entity_ids:
        held = frozenset(right for right in Right if post.get(grid_field(entity_id, right.value)))
        if held or post.get(grid_field(entity_id, "attached")):
            grid[entity_id] = held
    return grid
