from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from dealerdesk.orders.services import ANSWER_COMMENT_MAX_LENGTH

COMMENT_WIDGET = forms.Textarea(attrs={"rows": 2})


class NeedReserveForm(forms.Form):
    """Reserve one need in a supply the manager picked."""

    supply = forms.IntegerField(
        label=_("Incoming supply"), error_messages={"required": _("Choose an incoming supply.")}
    )
    comment = forms.CharField(
        label=_("Comment for the dealer"),
        required=False,
        max_length=ANSWER_COMMENT_MAX_LENGTH,
        widget=COMMENT_WIDGET,
    )


class NeedsAnswerForm(forms.Form):
    """Answer the needs ticked in the queue at once: a delivery date, or the nearest supply."""

    DATE = "date"
    NEAREST_SUPPLY = "nearest_supply"

    action = forms.ChoiceField(
        choices=[
            (NEAREST_SUPPLY, _("Reserve in the nearest supply with room")),
            (DATE, _("Give a delivery date")),
        ]
    )
    needs = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": _("Tick the needs to answer.")},
    )
    expected_date = forms.DateField(
        label=_("Delivery date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    comment = forms.CharField(
        label=_("Comment for the dealer"),
        required=False,
        max_length=ANSWER_COMMENT_MAX_LENGTH,
        widget=COMMENT_WIDGET,
    )

    def __init__(self, *args: Any, need_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only needs the manager may answer are valid choices; any other id is refused.
        needs = cast(forms.TypedMultipleChoiceField, self.fields["needs"])
        needs.choices = [(need_id, str(need_id)) for need_id in need_ids]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == self.DATE and cleaned.get("expected_date") is None:
            self.add_error("expected_date", _("Give the date the goods are expected."))
        return cleaned


class CompanyRequestApproveForm(forms.Form):
    as_main = forms.BooleanField(label=_("Make it the dealer's main company"), required=False)


class CompanyRequestRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the dealer will see"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason: the dealer will see it.")},
    )
