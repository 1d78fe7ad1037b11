"""The forms of the supplier's settings pages: they parse input, the services judge it.

Which requisites a supplier needs and how they fit together (INN and KPP, account and BIK)
is decided by `manager.supplier_services`, so most text fields are optional here and get
one message each from there.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dealerdesk.orders.models import DeliveryMethod, OrderStatus
from dealerdesk.pricing.models import PriceType

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _text(
    label: StrOrPromise,
    help_text: StrOrPromise = "",
    max_length: int = 255,
    *,
    required: bool = False,
    textarea: bool = False,
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        strip=True,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 2}) if textarea else None,
    )


class SettingsForm(forms.Form):
    """Bootstrap classes on every widget, and `is-invalid` on those with an error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs["class"]:
                widget.attrs["class"] += " is-invalid"
                widget.attrs["aria-invalid"] = "true"


class CompanyForm(SettingsForm):
    name = _text(_("Short name"), _('As on invoices, e.g. ООО "ЭлектроСнаб".'), required=False)
    full_name = _text(
        _("Full legal name"), _("As in the state register; shown in the footer."), 500
    )
    inn = _text(_("INN"), _("10 digits for a company, 12 for a sole proprietor."), 20)
    kpp = _text(_("KPP"), _("9 characters. A sole proprietor has no KPP."), 20)
    ogrn = _text(_("OGRN"), _("13 digits, 15 for a sole proprietor."), 20)
    legal_address = _text(_("Legal address"), _("With the postcode."), 1000, textarea=True)
    phone = _text(_("Phone"), max_length=40)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    website = _text(_("Website"), max_length=200)
    director_name = _text(_("Director"), _("Signs invoices."), 200)
    accountant_name = _text(_("Chief accountant"), _("Signs invoices."), 200)
    currency = _text(_("Currency"), _("Three-letter code, e.g. RUB."), 3, required=True)
    default_price_type = forms.ModelChoiceField(
        label=_("Default price type"),
        queryset=PriceType.objects.order_by("name"),
        required=False,
        empty_label="—",
        help_text=_("Prices for dealers without a price type of their own."),
    )
    invoice_payment_days = forms.IntegerField(
        label=_("Invoice payment term, days"),
        min_value=0,
        max_value=365,
        help_text=_("Printed on every invoice of a new order."),
    )


class BankDetailsForm(SettingsForm):
    bank_name = _text(_("Bank"))
    bik = _text(_("BIK"), _("9 digits starting with 04."), 20)
    correspondent_account = _text(
        _("Correspondent account"), _("20 digits; checked against the BIK."), 30
    )
    settlement_account = _text(
        _("Settlement account"), _("20 digits; checked against the BIK."), 30
    )


class VatRateForm(SettingsForm):
    vat_rate = forms.DecimalField(
        label=_("VAT rate, %"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        help_text=_("For products without a rate of their own, e.g. 22 or 10."),
    )


class CodedRowForm(SettingsForm):
    """A row the ERP names by its code: order status, delivery method, document type."""

    def lock_code(self, reason: StrOrPromise) -> None:
        """Show the code as it is, with the reason it cannot change (the service refuses too)."""
        field = self.fields["code"]
        field.widget.attrs["readonly"] = "readonly"
        field.widget.attrs["class"] += " bg-light"
        field.help_text = reason


def _code(help_text: StrOrPromise) -> forms.CharField:
    # "Code" alone is a product's article number (артикул) in the catalogue's translations.
    label = pgettext_lazy("the ERP's code of a status, delivery method or document type", "Code")
    return forms.CharField(label=label, max_length=40, strip=True, help_text=help_text)


def _names() -> tuple[forms.CharField, forms.CharField]:
    return (
        _text(_("Name"), _("As dealers see it."), 120, required=True),
        _text(_("Name in English"), _("For dealers who chose English; optional."), 120),
    )


def _sort_order() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Sort order"),
        initial=0,
        min_value=-1_000_000,
        max_value=1_000_000,
        help_text=_("Smaller numbers come first."),
    )


class OrderStatusForm(CodedRowForm):
    code = _code(_("The code the ERP sends for this status, e.g. shipped."))
    name, name_en = _names()
    tone = forms.ChoiceField(
        label=_("Colour"),
        choices=OrderStatus.Tone.choices,
        initial=OrderStatus.Tone.INFO,
        widget=forms.RadioSelect,
    )
    sort_order = _sort_order()
    is_initial = forms.BooleanField(
        label=_("Initial"),
        required=False,
        help_text=_("Every order just placed gets this status; only one status is initial."),
    )
    is_final = forms.BooleanField(
        label=_("Final"), required=False, help_text=_("Nothing happens to the order after it.")
    )
    is_cancelled = forms.BooleanField(
        label=_("Means cancelled"), required=False, help_text=_("The order was called off.")
    )


class DeliveryMethodForm(CodedRowForm):
    code = _code(_("The code the ERP knows this method by, e.g. pickup."))
    name, name_en = _names()
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=DeliveryMethod.Kind.choices,
        help_text=_("Pickup asks the dealer for a warehouse, delivery for an address."),
    )
    sort_order = _sort_order()


class DocumentTypeForm(CodedRowForm):
    code = _code(_("The code the ERP sends with documents of this type, e.g. upd."))
    name, name_en = _names()
    is_financial = forms.BooleanField(
        label=_("Financial"),
        required=False,
        help_text=_(
            "Only employees with the right to see finance open documents of a financial type."
        ),
    )
    sort_order = _sort_order()
