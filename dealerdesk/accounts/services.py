"""Account writes: employees and their rights, invitations, blocking, handing work over,
passwords, two-factor authentication. Each records its `AccountEvent`."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from dealerdesk.accounts import sessions, two_factor
from dealerdesk.accounts.models import (
    AccountEvent,
    Membership,
    PasswordResetRequest,
    RecoveryCode,
    TwoFactorDevice,
    User,
    normalize_email_address,
)
from dealerdesk.accounts.tokens import invitation_token_generator
from dealerdesk.companies.models import LegalEntity
from dealerdesk.notifications.services import notify_employee_invited
from dealerdesk.orders.models import DraftLine, DraftOrder, Order
from dealerdesk.shipments.models import Claim
from dealerdesk.tenancy.rights import Right
from dealerdesk.tenancy.selectors import scope_for_user

# Legal entity id -> the rights held on it; an entity in the mapping is attached.
RightsGrid = Mapping[int, Collection[Right]]

MAX_NAME_LENGTH = 200
MAX_PHONE_LENGTH = 40


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# --- The audit log --------------------------------------------------------------------------


def _record(
    action: AccountEvent.Action,
    *,
    target: User | None,
    actor: User | None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
    dealer_id: int | None = None,
) -> AccountEvent:
    """One row of the dealer's account log; the dealer is the target's (or the actor's)
    unless the event concerns the dealer itself."""
    subject = target or actor
    if dealer_id is None and subject is not None:
        dealer_id = subject.dealer_id
    return AccountEvent.objects.create(
        dealer_id=dealer_id,
        actor=actor,
        target=target,
        action=action,
        details=details or {},
        created_at=at or timezone.now(),
    )


def _rights_snapshot(user: User) -> dict[str, Any]:
    """The user's rights as the log keeps them: names are copied, entities may be renamed."""
    entities = {
        str(membership.legal_entity_id): {
            "name": membership.legal_entity.name,
            "rights": [right.value for right in membership.rights],
        }
        for membership in Membership.objects.filter(user=user)
        .select_related("legal_entity")
        .order_by("-legal_entity__is_main", "legal_entity__name")
    }
    return {"superuser": user.is_dealer_superuser, "entities": entities}


# --- Employees ------------------------------------------------------------------------------


def _require_manager(actor: User, employee: User | None = None) -> None:
    """Only a dealer superuser manages employees, and only the dealer's own."""
    if not actor.is_active or not actor.is_dealer_superuser or actor.dealer_id is None:
        raise PermissionDenied
    if employee is not None and employee.dealer_id != actor.dealer_id:
        raise PermissionDenied


def _profile_errors(full_name: str, phone: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not full_name.strip():
        errors["full_name"] = [_("Enter the employee's full name.")]
    elif len(full_name.strip()) > MAX_NAME_LENGTH:
        errors["full_name"] = [_("At most %(count)s characters.") % {"count": MAX_NAME_LENGTH}]
    if len(phone.strip()) > MAX_PHONE_LENGTH:
        errors["phone"] = [_("At most %(count)s characters.") % {"count": MAX_PHONE_LENGTH}]
    return errors


def _rights_errors(
    dealer_id: int, rights: RightsGrid, *, is_dealer_superuser: bool
) -> dict[str, list[str]]:
    if is_dealer_superuser:
        return {}
    active_entities = set(
        LegalEntity.objects.filter(dealer_id=dealer_id, is_active=True).values_list("id", flat=True)
    )
    if not rights:
        return {"rights": [_("Attach the employee to at least one legal entity.")]}
    if not set(rights) <= active_entities:
        return {"rights": [_("Choose among the active legal entities of your company.")]}
    return {}


def _memberships_apply(employee: User, rights: RightsGrid) -> None:
    """Make the employee's memberships of the dealer's active legal entities match the grid."""
    active = LegalEntity.objects.filter(dealer__users=employee, is_active=True)
    Membership.objects.filter(user=employee, legal_entity__in=active).exclude(
        legal_entity_id__in=list(rights)
    ).delete()
    for entity_id, held in rights.items():
        Membership.objects.update_or_create(
            user=employee,
            legal_entity_id=entity_id,
            defaults={right.value: right in held for right in Right},
        )


@transaction.atomic
def employee_create(
    *,
    actor: User,
    email: str,
    full_name: str,
    phone: str = "",
    rights: RightsGrid,
    is_dealer_superuser: bool = False,
    site_url: str,
) -> User:
    """Add an employee to the actor's dealer and send them an invitation to set a password."""
    _require_manager(actor)
    errors = _profile_errors(full_name, phone)
    normalized = normalize_email_address(email)
    if not normalized:
        errors["email"] = [_("Enter the employee's e-mail.")]
    else:
        try:
            User._meta.get_field("email").run_validators(normalized)
        except ValidationError as invalid:
            errors["email"] = invalid.messages
        else:
            if User.objects.filter(email=normalized).exists():
                errors["email"] = [
                    _("A user with this e-mail already exists. Each person signs in once.")
                ]
    errors |= _rights_errors(actor.dealer_id or 0, rights, is_dealer_superuser=is_dealer_superuser)
    if errors:
        raise ValidationError(errors)

    employee = User.objects.create_user(
        normalized,
        password=None,
        full_name=full_name.strip(),
        phone=phone.strip(),
        dealer_id=actor.dealer_id,
        is_dealer_superuser=is_dealer_superuser,
        language=actor.language,
    )
    if not is_dealer_superuser:
        _memberships_apply(employee, rights)
    _record(
        AccountEvent.Action.CREATED,
        target=employee,
        actor=actor,
        details={"after": _rights_snapshot(employee)},
    )
    invitation_send(actor=actor, employee=employee, site_url=site_url)
    return employee


@transaction.atomic
def employee_update(
    *,
    actor: User,
    employee: User,
    full_name: str,
    phone: str,
    is_dealer_superuser: bool,
    rights: RightsGrid,
) -> None:
    """Save the employee page: the profile and the rights, each logged if it changed."""
    _require_manager(actor, employee)
    errors = _profile_errors(full_name, phone)
    errors |= _rights_self_errors(actor, employee, is_dealer_superuser=is_dealer_superuser)
    errors |= _rights_errors(actor.dealer_id or 0, rights, is_dealer_superuser=is_dealer_superuser)
    if errors:
        raise ValidationError(errors)
    employee_profile_set(actor=actor, employee=employee, full_name=full_name, phone=phone)
    employee_rights_set(
        actor=actor, employee=employee, rights=rights, is_dealer_superuser=is_dealer_superuser
    )


@transaction.atomic
def employee_profile_set(*, actor: User, employee: User, full_name: str, phone: str) -> bool:
    _require_manager(actor, employee)
    errors = _profile_errors(full_name, phone)
    if errors:
        raise ValidationError(errors)
    before = {"full_name": employee.full_name, "phone": employee.phone}
    after = {"full_name": full_name.strip(), "phone": phone.strip()}
    if before == after:
        return False
    employee.full_name = after["full_name"]
    employee.phone = after["phone"]
    employee.save(update_fields=["full_name", "phone"])
    changed = [name for name in after if before[name] != after[name]]
    _record(
        AccountEvent.Action.PROFILE_CHANGED,
        target=employee,
        actor=actor,
        details={
            "before": {name: before[name] for name in changed},
            "after": {name: after[name] for name in changed},
        },
    )
    return True


def _rights_self_errors(
    actor: User, employee: User, *, is_dealer_superuser: bool
) -> dict[str, list[str]]:
    if employee.pk == actor.pk and not is_dealer_superuser:
        return {
            "is_dealer_superuser": [
                _("You cannot take away your own superuser status. Ask another superuser.")
            ]
        }
    return {}


@transaction.atomic
def employee_rights_set(
    *, actor: User, employee: User, rights: RightsGrid, is_dealer_superuser: bool
) -> bool:
    """Set the superuser status and, for an ordinary employee, the rights per legal entity.

    A superuser's rights are implicit (all of them), so their memberships are left alone.
    """
    _require_manager(actor, employee)
    errors = _rights_self_errors(actor, employee, is_dealer_superuser=is_dealer_superuser)
    errors |= _rights_errors(actor.dealer_id or 0, rights, is_dealer_superuser=is_dealer_superuser)
    if errors:
        raise ValidationError(errors)
    before = _rights_snapshot(employee)
    if employee.is_dealer_superuser != is_dealer_superuser:
        employee.is_dealer_superuser = is_dealer_superuser
        employee.save(update_fields=["is_dealer_superuser"])
    if not is_dealer_superuser:
        _memberships_apply(employee, rights)
    after = _rights_snapshot(employee)
    if before == after:
        return False
    _record(
        AccountEvent.Action.RIGHTS_CHANGED,
        target=employee,
        actor=actor,
        details={"before": before, "after": after},
    )
    return True


@transaction.atomic
def employee_block(*, actor: User, employee: User) -> int:
    """Block the employee: they cannot sign in, and their open sessions end now.

    Returns how many sessions were ended.
    """
    _require_manager(actor, employee)
    if employee.pk == actor.pk:
        raise ValidationError(_("You cannot block yourself."))
    if not employee.is_active:
        raise ValidationError(_("%(name)s is already blocked.") % {"name": employee.display_name})
    employee.is_active = False
    if not employee.has_usable_password():
        # An invitation not yet accepted dies for good: unblocking does not revive the link.
        employee.set_unusable_password()
    employee.save(update_fields=["is_active", "password"])
    # With database sessions the rows go in this transaction; with a cache engine a later
    # rollback would at worst have signed the employee out.
    ended = sessions.sessions_end_for_user(employee)
    _record(AccountEvent.Action.BLOCKED, target=employee, actor=actor, details={"sessions": ended})
    return ended


@transaction.atomic
def employee_unblock(*, actor: User, employee: User) -> None:
    _require_manager(actor, employee)
    if employee.is_active:
        raise ValidationError(_("%(name)s is not blocked.") % {"name": employee.display_name})
    employee.is_active = True
    employee.save(update_fields=["is_active"])
    _record(AccountEvent.Action.UNBLOCKED, target=employee, actor=actor)


# --- Invitations ----------------------------------------------------------------------------


def invitation_url(employee: User, *, site_url: str) -> str:
    path = reverse(
        "accounts:invitation_accept",
        args=[
            urlsafe_base64_encode(force_bytes(employee.pk)),
            invitation_token_generator.make_token(employee),
        ],
    )
    return site_url.rstrip("/") + path


@transaction.atomic
def invitation_send(*, actor: User, employee: User, site_url: str) -> None:
    """E-mail the employee a link to set their password; earlier links stop working."""
    _require_manager(actor, employee)
    if not employee.is_active:
        raise ValidationError(_("A blocked employee cannot be invited. Unblock them first."))
    if employee.has_usable_password():
        raise ValidationError(
            _("%(name)s has already set a password.") % {"name": employee.display_name}
        )
    # A fresh unusable password changes the token's hash: older invitation links die.
    employee.set_unusable_password()
    employee.save(update_fields=["password"])
    url = invitation_url(employee, site_url=site_url)
    notify_employee_invited(employee=employee, url=url, inviter=actor.display_name)
    _record(AccountEvent.Action.INVITED, target=employee, actor=actor)


@transaction.atomic
def invitation_accept(*, user: User, token: str, password: str) -> User:
    """The invited employee sets their password with the link from the invitation."""
    if not user.is_active or not invitation_token_generator.check_token(user, token):
        raise ValidationError(_("This invitation link is no longer valid."))
    user_password_set(user=user, password=password, action=AccountEvent.Action.PASSWORD_SET)
    return user


@transaction.atomic
def user_password_set(*, user: User, password: str, action: AccountEvent.Action) -> None:
    """A user sets a new password (invitation, change, or reset by e-mail)."""
    try:
        validate_password(password, user)
    except ValidationError as weak:
        raise ValidationError({"new_password1": weak.messages}) from weak
    user.set_password(password)
    user.save(update_fields=["password"])
    _record(action, target=user, actor=user)


# --- Handing work over ----------------------------------------------------------------------

HANDOVER_KINDS = ("drafts", "orders", "claims")


@dataclass(frozen=True)
class HandoverResult:
    """How many draft orders, orders and claims went to the new owner, and how many stayed
    because the new owner cannot see their legal entity."""

    moved: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)

    @property
    def moved_total(self) -> int:
        return sum(self.moved.values())

    @property
    def kept_total(self) -> int:
        return sum(self.kept.values())


def _drafts_hand_over(employee: User, target: User, entity_ids: Collection[int]) -> tuple[int, int]:
    moved = kept = 0
    # An EXISTS filter, not a join: PostgreSQL refuses FOR UPDATE with DISTINCT.
    drafts = DraftOrder.objects.select_for_update().filter(
        user=employee, id__in=DraftLine.objects.values("draft_id")
    )
    for draft in drafts.order_by("id"):
        if draft.legal_entity_id not in entity_ids:
            kept += 1
            continue
        moved += 1
        theirs = (
            DraftOrder.objects.select_for_update()
            .filter(user=target, legal_entity_id=draft.legal_entity_id)
            .first()
        )
        if theirs is None:
            DraftOrder.objects.filter(pk=draft.pk).update(user=target, version=F("version") + 1)
            continue
        # The same product in both carts: the quantities add up in the target's line.
        common = DraftLine.objects.filter(
            draft=draft, product_id__in=DraftLine.objects.filter(draft=theirs).values("product_id")
        )
        DraftLine.objects.filter(draft=theirs, product_id__in=common.values("product_id")).update(
            quantity=F("quantity")
            + Subquery(
                DraftLine.objects.filter(draft=draft, product_id=OuterRef("product_id")).values(
                    "quantity"
                )[:1]
            )
        )
        common.delete()
        DraftLine.objects.filter(draft=draft).update(draft=theirs)
        DraftOrder.objects.filter(pk=theirs.pk).update(version=F("version") + 1)
        draft.delete()
    return moved, kept


@transaction.atomic
def employee_reassign(*, actor: User, employee: User, target: User) -> HandoverResult:
    """Hand an employee's draft orders, orders and claims over to a colleague.

    Only what the colleague may see moves: drafts of legal entities where they may place
    orders, orders of legal entities they see, claims where they may manage claims. Private
    notes stay with their author: nobody else may read them.
    """
    _require_manager(actor, employee)
    _require_manager(actor, target)
    if target.pk == employee.pk:
        raise ValidationError({"target": [_("Choose another employee.")]})
    if not target.is_active:
        raise ValidationError({"target": [_("The work cannot go to a blocked employee.")]})
    scope = scope_for_user(target)
    drafts_moved, drafts_kept = _drafts_hand_over(
        employee, target, scope.entity_ids(Right.PLACE_ORDERS)
    )
    orders = Order.objects.filter(author=employee)
    orders_moved = orders.filter(legal_entity_id__in=scope.entity_ids()).update(author=target)
    claims = Claim.objects.filter(author=employee)
    claims_moved = claims.filter(legal_entity_id__in=scope.entity_ids(Right.MANAGE_CLAIMS)).update(
        author=target
    )
    result = HandoverResult(
        moved={"drafts": drafts_moved, "orders": orders_moved, "claims": claims_moved},
        kept={"drafts": drafts_kept, "orders": orders.count(), "claims": claims.count()},
    )
    _record(
        AccountEvent.Action.REASSIGNED,
        target=employee,
        actor=actor,
        details={
            "to": target.pk,
            "to_name": target.display_name,
            "moved": result.moved,
            "kept": result.kept,
        },
    )
    return result


# --- Two-factor authentication --------------------------------------------------------------


@transaction.atomic
def two_factor_setup_start(*, user: User) -> TwoFactorDevice:
    """A new secret for the authenticator app; two-factor is on once a code confirms it."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.is_confirmed:
        raise ValidationError(_("Two-factor authentication is already on."))
    device, _created = TwoFactorDevice.objects.update_or_create(
        user=user,
        defaults={"secret": two_factor.new_secret(), "confirmed_at": None, "last_used_step": 0},
    )
    return device


@transaction.atomic
def two_factor_enable(*, user: User, code: str, at: datetime | None = None) -> list[str]:
    """Confirm the authenticator app with a current code. Returns the recovery codes, which
    are shown once: only their hashes are kept."""
    now = at or timezone.now()
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None or device.is_confirmed:
        raise ValidationError({"code": [_("Start the set-up again.")]})
    step = two_factor.matching_step(device.secret, code, at=now, after_step=0)
    if step is None:
        raise ValidationError(
            {"code": [_("The code is wrong or too old. Enter the one the app shows now.")]}
        )
    device.confirmed_at = now
    device.last_used_step = step
    device.save(update_fields=["confirmed_at", "last_used_step"])
    codes = _recovery_codes_replace(user)
    _record(AccountEvent.Action.TWO_FACTOR_ENABLED, target=user, actor=user, at=now)
    return codes


def _recovery_codes_replace(user: User) -> list[str]:
    codes = two_factor.new_recovery_codes()
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=two_factor.recovery_code_hash(code)) for code in codes
    )
    return codes


@transaction.atomic
def two_factor_disable(*, user: User, code_or_password: str, at: datetime | None = None) -> None:
    """Turn two-factor off; proven with a current code or the password."""
    now = at or timezone.now()
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None or not device.is_confirmed:
        raise ValidationError({"code": [_("Two-factor authentication is not on.")]})
    proven = (
        two_factor.looks_like_totp(code_or_password)
        and two_factor.matching_step(
            device.secret, code_or_password, at=now, after_step=device.last_used_step
        )
        is not None
    ) or (bool(code_or_password) and user.check_password(code_or_password))
    if not proven:
        raise ValidationError({"code": [_("Neither a current code nor your password.")]})
    device.delete()
    RecoveryCode.objects.filter(user=user).delete()
    _record(AccountEvent.Action.TWO_FACTOR_DISABLED, target=user, actor=user, at=now)


@transaction.atomic
def two_factor_reset(*, actor: User, employee: User) -> None:
    """The superuser turns an employee's two-factor off (a lost phone); the employee signs in
    with the password alone and may set it up again."""
    _require_manager(actor, employee)
    deleted, _by_model = TwoFactorDevice.objects.filter(user=employee).delete()
    if not deleted:
        raise ValidationError(
            _("%(name)s does not use two-factor authentication.") % {"name": employee.display_name}
        )
    RecoveryCode.objects.filter(user=employee).delete()
    _record(AccountEvent.Action.TWO_FACTOR_RESET, target=employee, actor=actor)


@transaction.atomic
def two_factor_verify(*, user: User, code: str, at: datetime | None = None) -> bool:
    """The second step of signing in: a current code from the app, never one already used,
    or an unused recovery code, which is then spent."""
    now = at or timezone.now()
    device = (
        TwoFactorDevice.objects.select_for_update()
        .filter(user=user, confirmed_at__isnull=False)
        .first()
    )
    if device is None:
        return False
    if two_factor.looks_like_totp(code):
        step = two_factor.matching_step(
            device.secret, code, at=now, after_step=device.last_used_step
        )
        if step is None:
            return False
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
        return True
    spent = RecoveryCode.objects.filter(
        user=user, code_hash=two_factor.recovery_code_hash(code), used_at__isnull=True
    ).update(used_at=now)
    return spent == 1


# --- The dealer's access --------------------------------------------------------------------


def dealer_access_record(
    *, dealer_id: int, is_blocked: bool, actor: User | None, sessions_ended: int = 0
) -> AccountEvent:
    """Log that the supplier blocked or unblocked the dealer: a manager (`actor`), or the
    ERP (no actor)."""
    if is_blocked:
        return _record(
            AccountEvent.Action.DEALER_BLOCKED,
            target=None,
            actor=actor,
            details={"sessions_ended": sessions_ended},
            dealer_id=dealer_id,
        )
    return _record(
        AccountEvent.Action.DEALER_UNBLOCKED, target=None, actor=actor, dealer_id=dealer_id
    )


# --- Sign-in lockouts -----------------------------------------------------------------------


@transaction.atomic
def account_lockout_record(
    *, username: str, ip_address: str | None, cool_off: timedelta | None
) -> AccountEvent | None:
    """Log that sign-in to an account was locked after too many failures (once per lockout)."""
    user = User.objects.filter(email=normalize_email_address(username)).first()
    if user is None:
        return None
    now = timezone.now()
    recent = AccountEvent.objects.filter(target=user, action=AccountEvent.Action.LOCKED_OUT)
    if cool_off is not None:
        recent = recent.filter(created_at__gte=now - cool_off)
    if recent.filter(details__ip=ip_address).exists():
        return None
    return _record(
        AccountEvent.Action.LOCKED_OUT,
        target=user,
        actor=None,
        details={"ip": ip_address},
        at=now,
    )


# --- Password reset e-mails -----------------------------------------------------------------

PASSWORD_RESET_WINDOW = timedelta(hours=1)


@transaction.atomic
def password_reset_allowed(*, email: str, ip_address: str | None) -> bool:
    """Whether a reset e-mail may go to this address now; an allowed one is counted.

    At most PASSWORD_RESET_LIMIT_PER_ACCOUNT e-mails per address and
    PASSWORD_RESET_LIMIT_PER_CLIENT requests per client address an hour. Requests for
    addresses without an account count too: the answer must not tell them apart."""
    now = timezone.now()
    # Rows older than the window count for nothing: the table stays an hour long.
    PasswordResetRequest.objects.filter(requested_at__lt=now - PASSWORD_RESET_WINDOW).delete()
    digest = hashlib.sha256(normalize_email_address(email).encode()).hexdigest()
    recent = PasswordResetRequest.objects.filter(requested_at__gte=now - PASSWORD_RESET_WINDOW)
    if recent.filter(email_digest=digest).count() >= settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT:
        return False
    if (
        ip_address is not None
        and recent.filter(ip_address=ip_address).count() >= settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    ):
        return False
    PasswordResetRequest.objects.create(
        email_digest=digest, ip_address=ip_address, requested_at=now
    )
    return True
