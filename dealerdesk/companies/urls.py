from django.urls import path

from dealerdesk.companies import views

app_name = "companies"

urlpatterns = [
    path("", views.legal_entity_list, name="legal_entity_list"),
    path("<int:legal_entity_id>/", views.legal_entity_detail, name="legal_entity_detail"),
]
