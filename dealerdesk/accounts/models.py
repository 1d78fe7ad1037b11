from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dealerdesk.core.encryption import EncryptedTextField
from dealerdesk.tenancy.rights import Right


class EmployeeStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    INVITED = "invited", _("invited")
    BLOCKED = "blocked", _("blocked")


def normalize_email_address(email: str) -> str:
    """E-mail addresses are logins; they compare case-insensitively, so they are stored folded."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalize_email_address(username or ""))

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=normalize_email_address(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a dealer's employee, or a member of the supplier's staff."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    dealer = models.ForeignKey(
        "companies.Dealer",
        verbose_name=_("dealer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    is_dealer_superuser = models.BooleanField(
        _("dealer superuser"),
        default=False,
        help_text=_("Sees every employee's activity and manages employees and their rights."),
    )
    is_staff = models.BooleanField(
        _("supplier staff"),
        default=False,
        help_text=_("Supplier managers: the manager workspace and the administration pages."),
    )
    is_head_manager = models.BooleanField(
        _("head manager"),
        default=False,
        help_text=_(
            "Sees every dealer, whoever they are assigned to, and edits the supplier settings."
        ),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("A blocked user cannot sign in.")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # The legal entity chosen in the header; remembered across sessions and browsers.
    selected_legal_entity = models.ForeignKey(
        "companies.LegalEntity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(is_staff=True, dealer__isnull=False),
                name="user_staff_has_no_dealer",
                violation_error_message=_("Supplier staff cannot belong to a dealer."),
            ),
            models.CheckConstraint(
                condition=~Q(is_head_manager=True, is_staff=False),
                name="user_head_manager_is_staff",
                violation_error_message=_("A head manager must be supplier staff."),
            ),
            models.CheckConstraint(
                condition=~Q(is_dealer_superuser=True, dealer__isnull=True),
                name="user_dealer_superuser_has_dealer",
                violation_error_message=_("A dealer superuser must belong to a dealer."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email_address(self.email)

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    @property
    def status(self) -> EmployeeStatus:
        if not self.is_active:
            return EmployeeStatus.BLOCKED
        if not self.has_usable_password():
            return EmployeeStatus.INVITED
        return EmployeeStatus.ACTIVE


class Membership(models.Model):
    """An employee attached to one legal entity of their dealer, with rights on it.

    Rights held on the dealer's main legal entity extend to its subsidiaries.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    legal_entity = models.ForeignKey(
        "companies.LegalEntity",
        verbose_name=_("legal entity"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    place_orders = models.BooleanField(Right.PLACE_ORDERS.label, default=True)
    see_prices = models.BooleanField(Right.SEE_PRICES.label, default=True)
    see_finance = models.BooleanField(Right.SEE_FINANCE.label, default=False)
    manage_claims = models.BooleanField(Right.MANAGE_CLAIMS.label, default=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "legal_entity"], name="membership_unique_user_entity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.legal_entity_id}"

    @property
    def rights(self) -> list[Right]:
        """The rights held, in the order `Right` declares them."""
        return [right for right in Right if getattr(self, right.value)]


class AccountEvent(models.Model):
    """The audit log of a dealer's accounts: who did what to whose account, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("employee added")
        INVITED = "invited", _("invitation sent")
        RIGHTS_CHANGED = "rights_changed", _("rights changed")
        PROFILE_CHANGED = "profile_changed", _("profile changed")
        BLOCKED = "blocked", _("blocked")
        UNBLOCKED = "unblocked", _("unblocked")
        REASSIGNED = "reassigned", _("work handed over")
        PASSWORD_SET = "password_set", _("password set")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        PASSWORD_RESET = "password_reset", _("password reset by e-mail")
        TWO_FACTOR_ENABLED = "two_factor_enabled", _("two-factor authentication turned on")
        TWO_FACTOR_DISABLED = "two_factor_disabled", _("two-factor authentication turned off")
        TWO_FACTOR_RESET = "two_factor_reset", _("two-factor authentication reset")
        LOCKED_OUT = "locked_out", _("sign-in locked")
        DEALER_BLOCKED = "dealer_blocked", _("dealer blocked by the supplier")
        DEALER_UNBLOCKED = "dealer_unblocked", _("dealer unblocked by the supplier")

    dealer = models.ForeignKey(
        "companies.Dealer",
        verbose_name=_("dealer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="account_events",
    )
    actor = models.ForeignKey(
        User,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target = models.ForeignKey(
        User,
        verbose_name=_("employee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account_events",
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    # Before and after of what changed (rights per legal entity, profile fields), counts of a
    # handover, the address of a lockout: whatever the sentence in the log needs.
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["dealer", "-created_at"], name="account_event_dealer_time"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_id} by {self.actor_id}"


class UserSession(models.Model):
    """A session a user signed in with, so blocking the user can end it at once.

    Works with any session engine: the key is all that is kept, and the engine deletes it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("user session")
        verbose_name_plural = _("user sessions")

    def __str__(self) -> str:
        return f"session of {self.user_id}"


class TwoFactorDevice(models.Model):
    """A user's authenticator app (TOTP). Enabled once confirmed with a code from the app."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    # Stored encrypted: a copy of the database alone does not give anyone's codes.
    secret = EncryptedTextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last accepted time step: a code is accepted once, and never an older one after it.
    last_used_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")

    def __str__(self) -> str:
        return f"TOTP of {self.user_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A one-time code for signing in without the authenticator app; only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"recovery code of {self.user_id}"


class PasswordResetRequest(models.Model):
    """A "forgot your password" e-mail sent, kept for an hour to limit how many go out per
    account and per client address (`accounts.services.password_reset_allowed`): the form
    must not become a way to flood someone's mailbox or the supplier's mail server. The
    account is kept as a digest of its address: the table says nothing readable."""

    email_digest = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        indexes = [models.Index(fields=["email_digest", "requested_at"], name="reset_email_time")]

    def __str__(self) -> str:
        return f"password reset at {self.requested_at:%Y-%m-%d %H:%M}"
