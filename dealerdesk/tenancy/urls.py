from django.urls import path

from dealerdesk.tenancy import views

app_name = "tenancy"

urlpatterns = [
    path("legal-entity/", views.legal_entity_switch, name="legal_entity_switch"),
]
