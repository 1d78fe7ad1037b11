from django.urls import path

from dealerdesk.shipments import views

app_name = "shipments"

urlpatterns = [
    path("", views.shipment_list, name="shipment_list"),
    path("<int:shipment_id>/", views.shipment_detail, name="shipment_detail"),
    path("lines/<int:line_id>/claim/", views.claim_create, name="claim_create"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:claim_id>/comment/", views.claim_comment, name="claim_comment"),
    path(
        "claims/attachments/<int:attachment_id>/",
        views.claim_attachment_download,
        name="claim_attachment_download",
    ),
]
