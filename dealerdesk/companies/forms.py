from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dealerdesk.companies.validators import requisites_clean

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _text(
    label: StrOrPromise, help_text: StrOrPromise = "", max_length: int = 300
) -> forms.CharField:
    # Nothing is required here: which fields a company needs is decided as a whole by
    # `requisites_clean` (a KPP, for one, depends on the INN), so each field gets one message.
    return forms.CharField(
        label=label, help_text=help_text, required=False, strip=True, max_length=max_length
    )


class CompanyRequestForm(forms.Form):
    """A dealer's request for a new company: the requisites, checked as the services check them."""

    inn = _text(_("INN"), _("10 digits for a company, 12 for a sole proprietor."), 20)
    kpp = _text(_("KPP"), _("9 characters. A sole proprietor has no KPP: leave it empty."), 20)
    name = _text(_("Name"), _('As in the register, e.g. ООО "Электромонтаж-Юг".'))
    legal_address = _text(_("Legal address"), _("With the postcode."), 1000)
    postal_address = _text(_("Postal address"), _("If it differs from the legal address."), 1000)
    bank_name = _text(_("Bank"))
    bik = _text(_("BIK"), _("9 digits."), 20)
    correspondent_account = _text(_("Correspondent account"), _("20 digits."), 30)
    settlement_account = _text(_("Settlement account"), _("20 digits."), 30)
    comment = _text(
        _("Comment for the supplier"),
        _("For example, which employees will work for this company."),
        4000,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        requisite_fields = [field for field in self.fields if field != "comment"]
        try:
            requisites = requisites_clean(
                **{field: cleaned.get(field, "") for field in requisite_fields}
            )
        except ValidationError as invalid:
            for field, errors in invalid.error_dict.items():
                if field not in self.errors:  # too long already: one message is enough
                    self.add_error(field, errors)
            return cleaned
        cleaned.update(asdict(requisites))
        return cleaned
