"""The supplier managers' workspace: the start page, the needs queue, new-company requests."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from dealerdesk.companies import services as company_services
from dealerdesk.companies.models import CompanyRequest
from dealerdesk.erp.selectors import client_lags
from dealerdesk.manager import selectors
from dealerdesk.manager.forms import (
    CompanyRequestApproveForm,
    CompanyRequestRejectForm,
    NeedReserveForm,
    NeedsAnswerForm,
)
from dealerdesk.orders import services as order_services
from dealerdesk.orders.models import Need
from dealerdesk.tenancy.http import ScopedRequest, staff_view

NEEDS_PAGE_SIZE = 50
REQUESTS_PAGE_SIZE = 50


def _first_error(error: ValidationError) -> str:
    return next(iter(error.messages), _("The answer could not be saved."))


def _form_errors(form: Form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _back_to_queue(request: ScopedRequest) -> HttpResponseRedirect:
    """Back to the queue as the manager had filtered it."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or reverse("manager:need_list"))


@require_GET
@staff_view
def dashboard(request: ScopedRequest) -> HttpResponse:
    return render(
        request,
        "manager/dashboard.html",
        {
            "workload": selectors.workload(request.scope),
            "overdue_clients": [lag for lag in client_lags() if lag.is_pull_overdue],
        },
    )


# --- Needs ---------------------------------------------------------------------------------


@require_GET
@staff_view
def need_list(request: ScopedRequest) -> HttpResponse:
    filters = selectors.NeedFilters.from_query(request.GET)
    page = Paginator(selectors.need_queue(request.scope, filters), NEEDS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    needs: list[Need] = list(page)
    return render(
        request,
        "manager/need_list.html",
        {
            "page": page,
            "needs": needs,
            "filters": filters,
            "dealers": selectors.managed_dealers(request.scope),
            "supplies": selectors.supply_options(need.product_id for need in needs),
            "states": selectors.NeedState,
            "sorts": selectors.NeedSort,
            "answer_form": NeedsAnswerForm(need_ids=[]),
            "overbooked": selectors.overbooked_supplies(request.scope),
        },
    )


@require_POST
@staff_view
def need_reserve(request: ScopedRequest, need_id: int) -> HttpResponse:
    need = selectors.access_need(request.scope, need_id)
    form = NeedReserveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back_to_queue(request)
    try:
        order_services.need_reserve(
            need=need,
            supply_id=form.cleaned_data["supply"],
            by_user=request.user,
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        messages.success(
            request,
            _("The need for %(code)s in order %(order)s is reserved in the supply.")
            % {"code": need.product.code, "order": need.order.number},
        )
    return _back_to_queue(request)


@require_POST
@staff_view
def needs_answer(request: ScopedRequest) -> HttpResponse:
    posted_ids = [int(raw) for raw in request.POST.getlist("needs") if raw.isdigit()]
    allowed = list(selectors.needs_by_ids(request.scope, posted_ids))
    form = NeedsAnswerForm(request.POST, need_ids=[need.id for need in allowed])
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back_to_queue(request)
    chosen = [need for need in allowed if need.id in set(form.cleaned_data["needs"])]
    try:
        if form.cleaned_data["action"] == NeedsAnswerForm.DATE:
            answered = order_services.needs_date(
                needs=chosen,
                expected_date=form.cleaned_data["expected_date"],
                by_user=request.user,
                comment=form.cleaned_data["comment"],
            )
            messages.success(
                request,
                ngettext(
                    "%(count)d need answered with a delivery date.",
                    "%(count)d needs answered with a delivery date.",
                    len(answered),
                )
                % {"count": len(answered)},
            )
        else:
            outcome = order_services.needs_reserve_in_nearest_supply(
                needs=chosen, by_user=request.user, comment=form.cleaned_data["comment"]
            )
            if outcome.reserved:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d need reserved in the nearest supply.",
                        "%(count)d needs reserved in the nearest supply.",
                        len(outcome.reserved),
                    )
                    % {"count": len(outcome.reserved)},
                )
            if outcome.without_supply:
                messages.warning(
                    request,
                    _("No incoming supply has room for: %(needs)s. Give them a delivery date.")
                    % {
                        "needs": ", ".join(
                            f"{need.product.code} ({need.order.number})"
                            for need in outcome.without_supply
                        )
                    },
                )
    except ValidationError as error:
        messages.error(request, _first_error(error))
    return _back_to_queue(request)


# --- New-company requests -------------------------------------------------------------------


@require_GET
@staff_view
def company_request_list(request: ScopedRequest) -> HttpResponse:
    status = request.GET.get("status", CompanyRequest.Status.SUBMITTED)
    if status not in CompanyRequest.Status.values:
        status = ""
    requests = selectors.company_request_queue(request.scope, status)
    page = Paginator(requests, REQUESTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "manager/company_request_list.html",
        {"page": page, "status": status, "statuses": CompanyRequest.Status.choices},
    )


def _render_company_request(
    request: ScopedRequest,
    company_request: CompanyRequest,
    *,
    approve_form: CompanyRequestApproveForm | None = None,
    reject_form: CompanyRequestRejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    has_main = selectors.dealer_has_main_entity(company_request.dealer_id)
    return render(
        request,
        "manager/company_request_detail.html",
        {
            "company_request": company_request,
            "dealer_has_main": has_main,
            "approve_form": approve_form
            or CompanyRequestApproveForm(initial={"as_main": not has_main}),
            "reject_form": reject_form or CompanyRequestRejectForm(),
        },
        status=status,
    )


@require_GET
@staff_view
def company_request_detail(request: ScopedRequest, company_request_id: int) -> HttpResponse:
    company_request = selectors.access_company_request(request.scope, company_request_id)
    return _render_company_request(request, company_request)


@require_POST
@staff_view
def company_request_approve(request: ScopedRequest, company_request_id: int) -> HttpResponse:
    company_request = selectors.access_company_request(request.scope, company_request_id)
    form = CompanyRequestApproveForm(request.POST)
    if form.is_valid():
        try:
            company_services.company_request_approve(
                company_request=company_request,
                by_user=request.user,
                as_main=form.cleaned_data["as_main"],
            )
        except ValidationError as error:
            form.add_error(None, _first_error(error))
        else:
            messages.success(
                request,
                _("Request %(number)s approved: %(name)s is now a company of %(dealer)s.")
                % {
                    "number": company_request.number,
                    "name": company_request.name,
                    "dealer": company_request.dealer,
                },
            )
            return redirect("manager:company_request_detail", company_request.id)
    return _render_company_request(request, company_request, approve_form=form, status=400)


@require_POST
@staff_view
def company_request_reject(request: ScopedRequest, company_request_id: int) -> HttpResponse:
    company_request = selectors.access_company_request(request.scope, company_request_id)
    form = CompanyRequestRejectForm(request.POST)
    if form.is_valid():
        try:
            company_services.company_request_reject(
                company_request=company_request,
                by_user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, _first_error(error))
        else:
            messages.success(
                request,
                _("Request %(number)s rejected; the dealer sees the reason.")
                % {"number": company_request.number},
            )
            return redirect("manager:company_request_detail", company_request.id)
    return _render_company_request(request, company_request, reject_form=form, status=400)
