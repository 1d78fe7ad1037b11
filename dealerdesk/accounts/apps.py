from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dealerdesk.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from dealerdesk.accounts import signals, views

        # Staff sign in through the portal's page too: one lockout, one second factor.
        admin.site.login = views.admin_login  # type: ignore[method-assign]

        user_logged_in.connect(signals.on_user_logged_in, dispatch_uid="accounts.session_started")
        user_logged_out.connect(signals.on_user_logged_out, dispatch_uid="accounts.session_forget")
        user_locked_out.connect(signals.on_user_locked_out, dispatch_uid="accounts.locked_out")
