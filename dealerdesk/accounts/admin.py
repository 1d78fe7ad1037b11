from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dealerdesk.accounts.models import AccountEvent, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["legal_entity"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "dealer", "is_dealer_superuser", "is_staff", "is_active"]
    list_filter = ["is_active", "is_staff", "is_dealer_superuser"]
    search_fields = ["email", "full_name", "dealer__name"]
    autocomplete_fields = ["dealer"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "phone", "language")}),
        (_("Dealer"), {"fields": ("dealer", "is_dealer_superuser")}),
        (
            _("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "dealer", "password1", "password2"),
            },
        ),
    )


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """The audit log, for the supplier's administrators: read only."""

    list_display = ["created_at", "dealer", "action", "actor", "target"]
    list_filter = ["action"]
    search_fields = ["target__email", "actor__email", "dealer__name"]
    list_select_related = ["dealer", "actor", "target"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
