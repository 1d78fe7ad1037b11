from django.urls import include, path

from dealerdesk.manager import views

app_name = "manager"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/answer/", views.needs_answer, name="needs_answer"),
    path("needs/<int:need_id>/reserve/", views.need_reserve, name="need_reserve"),
    path("company-requests/", views.company_request_list, name="company_request_list"),
    path(
        "company-requests/<int:company_request_id>/",
        views.company_request_detail,
        name="company_request_detail",
    ),
    path(
        "company-requests/<int:company_request_id>/approve/",
        views.company_request_approve,
        name="company_request_approve",
    ),
    path(
        "company-requests/<int:company_request_id>/reject/",
        views.company_request_reject,
        name="company_request_reject",
    ),
    path("", include("dealerdesk.manager.dealer_urls")),
    path("settings/", include("dealerdesk.manager.supplier_urls")),
]
