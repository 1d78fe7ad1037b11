from django.urls import path

from dealerdesk.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("no-access/", views.no_access, name="no_access"),
]
