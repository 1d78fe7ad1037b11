from django.urls import path

from dealerdesk.companies import views

app_name = "companies"

urlpatterns = [
    path("", views.legal_entity_list, name="legal_entity_list"),
    path("<int:legal_entity_id>/", views.legal_entity_detail, name="legal_entity_detail"),
    path("requests/", views.company_request_list, name="request_list"),
    path("requests/new/", views.company_request_create, name="request_create"),
    path(
        "requests/<int:company_request_id>/",
        views.company_request_detail,
        name="request_detail",
    ),
]
