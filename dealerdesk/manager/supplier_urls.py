"""The supplier's settings (F22), for head managers. Included by `manager/urls.py`."""

from django.urls import URLPattern, path

from dealerdesk.manager import supplier_views as views

urlpatterns: list[URLPattern] = [
    path("", views.company, name="supplier_settings"),
    path("bank/", views.bank_details, name="supplier_bank_details"),
    path("vat/", views.vat_rate, name="supplier_vat_rate"),
    path("statuses/", views.status_list, name="supplier_status_list"),
    path("statuses/new/", views.status_create, name="supplier_status_create"),
    path("statuses/<int:status_id>/", views.status_edit, name="supplier_status_edit"),
    path("statuses/<int:status_id>/delete/", views.status_delete, name="supplier_status_delete"),
    path("delivery/", views.delivery_method_list, name="supplier_delivery_method_list"),
    path("delivery/new/", views.delivery_method_create, name="supplier_delivery_method_create"),
    path(
        "delivery/<int:method_id>/",
        views.delivery_method_edit,
        name="supplier_delivery_method_edit",
    ),
    path(
        "delivery/<int:method_id>/delete/",
        views.delivery_method_delete,
        name="supplier_delivery_method_delete",
    ),
    path(
        "delivery/<int:method_id>/active/",
        views.delivery_method_active,
        name="supplier_delivery_method_active",
    ),
    path("documents/", views.document_type_list, name="supplier_document_type_list"),
    path("documents/new/", views.document_type_create, name="supplier_document_type_create"),
    path(
        "documents/<int:document_type_id>/",
        views.document_type_edit,
        name="supplier_document_type_edit",
    ),
    path(
        "documents/<int:document_type_id>/delete/",
        views.document_type_delete,
        name="supplier_document_type_delete",
    ),
]
