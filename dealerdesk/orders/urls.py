from django.urls import path

from dealerdesk.orders import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("export.xlsx", views.order_export, name="order_export"),
    path("cart/", views.cart, name="cart"),
    path("cart/lines/", views.cart_lines, name="cart_lines"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/lines/<int:line_id>/quantity/", views.cart_line_quantity, name="cart_line_quantity"),
    path("cart/lines/<int:line_id>/remove/", views.cart_line_remove, name="cart_line_remove"),
    path("cart/clear/", views.cart_clear, name="cart_clear"),
    path("cart/suggest/", views.cart_suggest, name="cart_suggest"),
    path("cart/paste/preview/", views.paste_preview, name="paste_preview"),
    path("cart/paste/apply/", views.paste_apply, name="paste_apply"),
    path("cart/checkout/", views.checkout, name="checkout"),
    path("<int:order_id>/", views.order_detail, name="order_detail"),
    path("<int:order_id>/note/", views.order_note, name="order_note"),
    path("<int:order_id>/reorder/", views.order_reorder, name="order_reorder"),
    path(
        "<int:order_id>/cancelled-items.pdf",
        views.order_cancelled_items,
        name="order_cancelled_items",
    ),
]
