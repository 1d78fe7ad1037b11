from django.urls import path

from dealerdesk.documents import views

app_name = "documents"

urlpatterns = [
    path("<int:document_id>/download/", views.document_download, name="download"),
]
