"""The manager's dealer pages and claims. Included by `manager/urls.py` at `/manager/`."""

from django.urls import path

from dealerdesk.manager import dealer_views as views

urlpatterns = [
    path("dealers/", views.dealer_list, name="dealer_list"),
    path("dealers/<int:dealer_id>/", views.dealer_detail, name="dealer_detail"),
    path("dealers/<int:dealer_id>/block/", views.dealer_block, name="dealer_block"),
    path("orders/<int:order_id>/", views.order_detail, name="order_detail"),
    path(
        "orders/<int:order_id>/cancelled-items.pdf",
        views.order_cancelled_items,
        name="order_cancelled_items",
    ),
    path("shipments/<int:shipment_id>/", views.shipment_detail, name="shipment_detail"),
    path(
        "documents/<int:document_id>/download/",
        views.document_download,
        name="document_download",
    ),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:claim_id>/status/", views.claim_status, name="claim_status"),
    path("claims/<int:claim_id>/comment/", views.claim_comment, name="claim_comment"),
    path(
        "claims/attachments/<int:attachment_id>/",
        views.claim_attachment_download,
        name="claim_attachment_download",
    ),
]
