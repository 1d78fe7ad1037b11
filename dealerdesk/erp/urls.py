from django.urls import path

from dealerdesk.erp import views

app_name = "erp"

urlpatterns = [
    path("", views.journal, name="journal"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:batch_id>/body/", views.batch_body, name="batch_body"),
]
