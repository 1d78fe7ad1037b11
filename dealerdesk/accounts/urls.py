from django.urls import path

from dealerdesk.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/verify/", views.login_verify, name="login_verify"),
    path("logout/", views.logout, name="logout"),
    path("no-access/", views.no_access, name="no_access"),
    path(
        "invitation/<str:uidb64>/<str:token>/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path("employees/", views.employee_list, name="employee_list"),
    path("employees/new/", views.employee_create, name="employee_create"),
    path("employees/<int:user_id>/", views.employee_detail, name="employee_detail"),
    path("employees/<int:user_id>/block/", views.employee_block, name="employee_block"),
    path("employees/<int:user_id>/unblock/", views.employee_unblock, name="employee_unblock"),
    path("employees/<int:user_id>/invite/", views.employee_invite, name="employee_invite"),
    path("employees/<int:user_id>/reassign/", views.employee_reassign, name="employee_reassign"),
    path(
        "employees/<int:user_id>/two-factor-reset/",
        views.employee_two_factor_reset,
        name="employee_two_factor_reset",
    ),
    path("audit/", views.audit_log, name="audit_log"),
    path("security/", views.security, name="security"),
    path("security/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("security/two-factor/enable/", views.two_factor_enable, name="two_factor_enable"),
    path("security/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("security/password/", views.password_change, name="password_change"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<str:uidb64>/<str:token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
]
