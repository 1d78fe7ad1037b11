from django.urls import path

from dealerdesk.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.product_list, name="product_list"),
    path("categories/<int:category_id>/", views.product_list, name="category"),
    path("products/<int:product_id>/", views.product_detail, name="product_detail"),
    path("search/", views.search_suggestions, name="search_suggestions"),
    path(
        "documents/<int:document_id>/download/",
        views.product_document_download,
        name="product_document_download",
    ),
]
