from django.urls import path

from dealerdesk.erp.commerceml import views

app_name = "exchange_1c"

# One URL for the whole protocol: 1C puts `type` and `mode` in the query string.
urlpatterns = [path("", views.exchange_1c, name="exchange")]
