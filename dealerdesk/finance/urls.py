from django.urls import path

from dealerdesk.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.receivables, name="receivables"),
    path("statement/", views.statement, name="statement"),
    path("export/", views.export, name="export"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("orders/<int:order_id>/", views.order_debt, name="order_debt"),
]
