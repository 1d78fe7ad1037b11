"""The supplier's settings (F22): requisites, bank details, VAT, order statuses, delivery
methods and document types. Head managers only; every other manager gets 403."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.forms.models import model_to_dict
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dealerdesk.accounts.models import User
from dealerdesk.companies.selectors import request_supplier_settings
from dealerdesk.documents.models import Document, DocumentType
from dealerdesk.manager import supplier_services as services
from dealerdesk.manager.supplier_forms import (
    BankDetailsForm,
    CodedRowForm,
    CompanyForm,
    DeliveryMethodForm,
    DocumentTypeForm,
    OrderStatusForm,
    SettingsForm,
    VatRateForm,
)
from dealerdesk.orders.models import DeliveryMethod, Order, OrderStatus, OrderStatusChange
from dealerdesk.tenancy.http import ScopedRequest, View, staff_view

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SECTIONS = "manager/supplier/"


def head_manager_view(view: View) -> View:
    """Staff only (via `staff_view`), and of the staff only head managers."""

    @functools.wraps(view)
    def wrapper(request: ScopedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.scope.is_head_manager:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return cast(View, staff_view(wrapper))


def _form_page(
    request: ScopedRequest,
    form: SettingsForm,
    *,
    save: Callable[[dict[str, Any]], object],
    saved_message: str,  # may name the saved row: %(name)s
    next_url: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponseBase:
    """Show the form; on a valid POST call the service, or put its refusal next to the fields."""
    if form.is_bound and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, saved_message % {"name": saved})
            return redirect(next_url)
    return render(
        request,
        SECTIONS + template,
        {**context, "form": form},
        status=422 if form.errors else 200,
    )


def _posted(request: ScopedRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- The supplier's own requisites ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@head_manager_view
def company(request: ScopedRequest) -> HttpResponseBase:
    settings = request_supplier_settings(request)
    form = CompanyForm(
        _posted(request),
        initial={field: getattr(settings, field) for field in services.COMPANY_FIELDS},
    )
    return _form_page(
        request,
        form,
        save=lambda data: services.supplier_company_update(user=request.user, **data),
        saved_message=_("The company details are saved: new invoices and pages show them."),
        next_url="manager:supplier_settings",
        template="company.html",
        context={"section": "company"},
    )


@require_http_methods(["GET", "POST"])
@head_manager_view
def bank_details(request: ScopedRequest) -> HttpResponseBase:
    settings = request_supplier_settings(request)
    form = BankDetailsForm(
        _posted(request),
        initial={field: getattr(settings, field) for field in services.BANK_FIELDS},
    )
    return _form_page(
        request,
        form,
        save=lambda data: services.supplier_bank_details_update(user=request.user, **data),
        saved_message=_("The bank details are saved: new invoices show them."),
        next_url="manager:supplier_bank_details",
        template="bank_details.html",
        context={"section": "bank", "settings": settings},
    )


@require_http_methods(["GET", "POST"])
@head_manager_view
def vat_rate(request: ScopedRequest) -> HttpResponseBase:
    settings = request_supplier_settings(request)
    form = VatRateForm(_posted(request), initial={"vat_rate": settings.vat_rate})
    return _form_page(
        request,
        form,
        save=lambda data: services.supplier_vat_rate_update(user=request.user, **data),
        saved_message=_("The VAT rate is saved: orders placed from now on use it."),
        next_url="manager:supplier_vat_rate",
        template="vat_rate.html",
        context={"section": "vat", "settings": settings},
    )


# --- Reference rows the ERP names by code ---------------------------------------------------


@dataclass(frozen=True)
class CodedRowPages:
    """What the list, create and edit pages of one kind of code-keyed row differ in.

    Messages are lazy: the kinds are built at import, the messages shown in the request's
    language.
    """

    rows: Callable[[], QuerySet[Any]]  # annotated with `is_in_use`
    form_class: type[CodedRowForm]
    fields: list[str]  # the form's fields, filled from the row on the edit page
    section: str
    template_prefix: str  # "<prefix>_list.html" and "<prefix>_form.html"
    list_context_name: str
    row_context_name: str
    list_url: str
    added_message: StrOrPromise  # may name the row: %(name)s
    saved_message: StrOrPromise
    create: Callable[[User, dict[str, Any]], object]
    update: Callable[[User, Any, dict[str, Any]], object]
    delete: Callable[[User, Any], None]  # refuses a row in use
    deleted_message: StrOrPromise  # names the row: %(name)s
    # Why the code of this row cannot change (the service refuses it too), or None.
    code_lock_reason: Callable[[Any], StrOrPromise | None]


def _coded_row_list(
    request: ScopedRequest, pages: CodedRowPages, **extra_context: Any
) -> HttpResponse:
    return render(
        request,
        f"{SECTIONS}{pages.template_prefix}_list.html",
        {"section": pages.section, pages.list_context_name: pages.rows(), **extra_context},
    )


def _coded_row_create(request: ScopedRequest, pages: CodedRowPages) -> HttpResponseBase:
    return _form_page(
        request,
        pages.form_class(_posted(request)),
        save=lambda data: pages.create(request.user, data),
        saved_message=str(pages.added_message),
        next_url=pages.list_url,
        template=f"{pages.template_prefix}_form.html",
        context={"section": pages.section, pages.row_context_name: None},
    )


def _coded_row_edit(request: ScopedRequest, pages: CodedRowPages, row_id: int) -> HttpResponseBase:
    row = get_object_or_404(pages.rows(), pk=row_id)
    form = pages.form_class(_posted(request), initial=model_to_dict(row, fields=pages.fields))
    reason = pages.code_lock_reason(row)
    if reason is not None:
        form.lock_code(reason)
    return _form_page(
        request,
        form,
        save=lambda data: pages.update(request.user, row, data),
        saved_message=str(pages.saved_message),
        next_url=pages.list_url,
        template=f"{pages.template_prefix}_form.html",
        context={"section": pages.section, pages.row_context_name: row},
    )


def _coded_row_delete(request: ScopedRequest, pages: CodedRowPages, row_id: int) -> HttpResponse:
    row = get_object_or_404(pages.rows(), pk=row_id)
    try:
        pages.delete(request.user, row)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(request.path.removesuffix("delete/"))
    messages.success(request, str(pages.deleted_message) % {"name": row})
    return redirect(pages.list_url)


# --- Order statuses -------------------------------------------------------------------------


def _statuses() -> QuerySet[OrderStatus]:
    """Statuses in the dealers' order, each marked whether an order has ever had it."""
    return OrderStatus.objects.annotate(
        is_in_use=Exists(Order.objects.filter(status=OuterRef("pk")))
        | Exists(OrderStatusChange.objects.filter(status=OuterRef("pk")))
    )


STATUS_PAGES = CodedRowPages(
    rows=_statuses,
    form_class=OrderStatusForm,
    fields=[
        "code",
        "name",
        "name_en",
        "tone",
        "sort_order",
        "is_initial",
        "is_final",
        "is_cancelled",
    ],
    section="statuses",
    template_prefix="status",
    list_context_name="statuses",
    row_context_name="status",
    list_url="manager:supplier_status_list",
    added_message=gettext_lazy("The status “%(name)s” is added."),
    saved_message=gettext_lazy("The status “%(name)s” is saved."),
    create=lambda user, data: services.order_status_create(user=user, **data),
    update=lambda user, status, data: services.order_status_update(
        user=user, status=status, **data
    ),
    delete=lambda user, status: services.order_status_delete(user=user, status=status),
    deleted_message=gettext_lazy("The status “%(name)s” is deleted."),
    code_lock_reason=lambda status: (
        _("Orders have this status: the code stays as the ERP knows it.")
        if status.is_in_use
        else None
    ),
)


@require_GET
@head_manager_view
def status_list(request: ScopedRequest) -> HttpResponse:
    return _coded_row_list(request, STATUS_PAGES)


@require_http_methods(["GET", "POST"])
@head_manager_view
def status_create(request: ScopedRequest) -> HttpResponseBase:
    return _coded_row_create(request, STATUS_PAGES)


@require_http_methods(["GET", "POST"])
@head_manager_view
def status_edit(request: ScopedRequest, status_id: int) -> HttpResponseBase:
    return _coded_row_edit(request, STATUS_PAGES, status_id)


# --- Delivery methods -----------------------------------------------------------------------


def _delivery_methods() -> QuerySet[DeliveryMethod]:
    return DeliveryMethod.objects.annotate(
        is_in_use=Exists(Order.objects.filter(delivery_method=OuterRef("pk")))
    )


DELIVERY_METHOD_PAGES = CodedRowPages(
    rows=_delivery_methods,
    form_class=DeliveryMethodForm,
    fields=["code", "name", "name_en", "kind", "sort_order"],
    section="delivery",
    template_prefix="delivery_method",
    list_context_name="methods",
    row_context_name="method",
    list_url="manager:supplier_delivery_method_list",
    added_message=gettext_lazy(
        "The delivery method “%(name)s” is added: dealers can choose it at checkout."
    ),
    saved_message=gettext_lazy("The delivery method “%(name)s” is saved."),
    create=lambda user, data: services.delivery_method_create(user=user, **data),
    update=lambda user, method, data: services.delivery_method_update(
        user=user, method=method, **data
    ),
    delete=lambda user, method: services.delivery_method_delete(user=user, method=method),
    deleted_message=gettext_lazy("The delivery method “%(name)s” is deleted."),
    code_lock_reason=lambda method: (
        _("Orders were placed with this method: the code stays as the ERP knows it.")
        if method.is_in_use
        else None
    ),
)


@require_GET
@head_manager_view
def delivery_method_list(request: ScopedRequest) -> HttpResponse:
    return _coded_row_list(request, DELIVERY_METHOD_PAGES)


@require_http_methods(["GET", "POST"])
@head_manager_view
def delivery_method_create(request: ScopedRequest) -> HttpResponseBase:
    return _coded_row_create(request, DELIVERY_METHOD_PAGES)


@require_http_methods(["GET", "POST"])
@head_manager_view
def delivery_method_edit(request: ScopedRequest, method_id: int) -> HttpResponseBase:
    return _coded_row_edit(request, DELIVERY_METHOD_PAGES, method_id)


@require_POST
@head_manager_view
def delivery_method_active(request: ScopedRequest, method_id: int) -> HttpResponseBase:
    method = get_object_or_404(DeliveryMethod, pk=method_id)
    is_active = request.POST.get("is_active") == "1"
    try:
        services.delivery_method_active_set(user=request.user, method=method, is_active=is_active)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            (
                _("“%(name)s” is offered to dealers at checkout again.")
                if is_active
                else _("“%(name)s” is no longer offered at checkout; placed orders keep it.")
            )
            % {"name": method.name},
        )
    return redirect("manager:supplier_delivery_method_list")


# --- Document types -------------------------------------------------------------------------


def _document_types() -> QuerySet[DocumentType]:
    return DocumentType.objects.annotate(
        is_in_use=Exists(Document.objects.filter(type=OuterRef("pk")))
    )


def _document_type_code_lock_reason(document_type: Any) -> StrOrPromise | None:
    if document_type.code in services.PORTAL_DOCUMENT_TYPE_CODES:
        return _("The portal issues documents of this type by this code: it stays.")
    if document_type.is_in_use:
        return _("Documents of this type exist: the code stays as the ERP knows it.")
    return None


DOCUMENT_TYPE_PAGES = CodedRowPages(
    rows=_document_types,
    form_class=DocumentTypeForm,
    fields=["code", "name", "name_en", "is_financial", "sort_order"],
    section="documents",
    template_prefix="document_type",
    list_context_name="document_types",
    row_context_name="document_type",
    list_url="manager:supplier_document_type_list",
    added_message=gettext_lazy("The document type “%(name)s” is added."),
    saved_message=gettext_lazy("The document type “%(name)s” is saved."),
    create=lambda user, data: services.document_type_create(user=user, **data),
    update=lambda user, document_type, data: services.document_type_update(
        user=user, document_type=document_type, **data
    ),
    delete=lambda user, document_type: services.document_type_delete(
        user=user, document_type=document_type
    ),
    deleted_message=gettext_lazy("The document type “%(name)s” is deleted."),
    code_lock_reason=_document_type_code_lock_reason,
)


@require_GET
@head_manager_view
def document_type_list(request: ScopedRequest) -> HttpResponse:
    return _coded_row_list(
        request, DOCUMENT_TYPE_PAGES, portal_codes=services.PORTAL_DOCUMENT_TYPE_CODES
    )


@require_http_methods(["GET", "POST"])
@head_manager_view
def document_type_create(request: ScopedRequest) -> HttpResponseBase:
    return _coded_row_create(request, DOCUMENT_TYPE_PAGES)


@require_http_methods(["GET", "POST"])
@head_manager_view
def document_type_edit(request: ScopedRequest, document_type_id: int) -> HttpResponseBase:
    return _coded_row_edit(request, DOCUMENT_TYPE_PAGES, document_type_id)


# --- Deleting a row added by mistake ----------------------------------------------------------


@require_POST
@head_manager_view
def status_delete(request: ScopedRequest, status_id: int) -> HttpResponse:
    return _coded_row_delete(request, STATUS_PAGES, status_id)


@require_POST
@head_manager_view
def delivery_method_delete(request: ScopedRequest, method_id: int) -> HttpResponse:
    return _coded_row_delete(request, DELIVERY_METHOD_PAGES, method_id)


@require_POST
@head_manager_view
def document_type_delete(request: ScopedRequest, document_type_id: int) -> HttpResponse:
    return _coded_row_delete(request, DOCUMENT_TYPE_PAGES, document_type_id)
