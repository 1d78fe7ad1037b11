"""The manager's forms on dealer and claim pages: parse and check input, nothing more."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dealerdesk.shipments.models import Claim

# What `shipments.services` keeps of a claim comment.
COMMENT_MAX_LENGTH = 4000


class ClaimStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Claim.Status.choices)
    comment = forms.CharField(
        label=_("Comment for the dealer"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, claim: Claim, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.claim = claim
        self.fields["status"].initial = claim.status

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("status") == self.claim.status and not cleaned.get("comment", "").strip():
            self.add_error(
                "status", _("The claim already has this status; choose another or add a comment.")
            )
        return cleaned


class ClaimCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the dealer"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("The comment is empty.")},
    )


class DealerBlockForm(forms.Form):
    blocked = forms.TypedChoiceField(
        choices=[("1", _("Block")), ("0", _("Unblock"))],
        coerce=lambda value: value == "1",
    )
