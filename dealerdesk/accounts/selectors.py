"""Account reads: the dealer's employees and their rights, the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, QueryDict

from dealerdesk.accounts.models import (
    AccountEvent,
    EmployeeStatus,
    Membership,
    TwoFactorDevice,
    User,
)
from dealerdesk.companies.models import LegalEntity
from dealerdesk.tenancy.rights import Right
from dealerdesk.tenancy.scope import Scope


def legal_entity_members(legal_entity: LegalEntity) -> QuerySet[Membership]:
    """Employees attached to a legal entity, with their rights (for the dealer superuser)."""
    return (
        Membership.objects.filter(legal_entity=legal_entity, user__dealer_id=legal_entity.dealer_id)
        .select_related("user")
        .order_by("user__full_name")
    )


@dataclass(frozen=True)
class EmployeeFilters:
    status: str = ""
    query: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> EmployeeFilters:
        status = query.get("status", "")
        return cls(
            status=status if status in EmployeeStatus.values else "",
            query=query.get("q", "").strip()[:100],
        )


def _with_status_filter(users: QuerySet[User], status: str) -> QuerySet[User]:
    invited = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    if status == EmployeeStatus.BLOCKED:
        return users.filter(is_active=False)
    if status == EmployeeStatus.INVITED:
        return users.filter(invited, is_active=True)
    if status == EmployeeStatus.ACTIVE:
        return users.filter(is_active=True).exclude(invited)
    return users


def _employees(scope: Scope) -> QuerySet[User]:
    if scope.dealer_id is None:
        return User.objects.none()
    return User.objects.filter(dealer_id=scope.dealer_id)


def employee_list(scope: Scope, filters: EmployeeFilters) -> QuerySet[User]:
    """The dealer's employees with their legal entities and rights, in three queries."""
    employees = _with_status_filter(_employees(scope), filters.status)
    if filters.query:
        employees = employees.filter(
            Q(full_name__icontains=filters.query) | Q(email__icontains=filters.query.lower())
        )
    return (
        employees.annotate(
            uses_two_factor=Exists(
                TwoFactorDevice.objects.filter(user=OuterRef("pk"), confirmed_at__isnull=False)
            )
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("legal_entity").order_by(
                    "-legal_entity__is_main", "legal_entity__name"
                ),
            )
        )
        .order_by("-is_active", "full_name", "email")
    )


def access_employee(scope: Scope, user_id: int) -> User:
    """An employee of the scope's dealer; 404 for anyone else, as for a missing one."""
    try:
        return (
            _employees(scope)
            .annotate(
                uses_two_factor=Exists(
                    TwoFactorDevice.objects.filter(user=OuterRef("pk"), confirmed_at__isnull=False)
                )
            )
            .get(pk=user_id)
        )
    except User.DoesNotExist as missing:
        raise Http404 from missing


def colleagues(scope: Scope, employee: User) -> QuerySet[User]:
    """Active employees of the same dealer the employee's work could be handed to."""
    return _employees(scope).filter(is_active=True).exclude(pk=employee.pk)


@dataclass(frozen=True)
class GridRow:
    """One legal entity of the rights grid: attached or not, and the rights held on it."""

    legal_entity: LegalEntity
    attached: bool
    rights: frozenset[Right]

    @property
    def right_values(self) -> frozenset[str]:
        return frozenset(right.value for right in self.rights)


def dealer_legal_entities(scope: Scope) -> QuerySet[LegalEntity]:
    """The dealer's active legal entities, main first: the rows of the rights grid."""
    if scope.dealer_id is None:
        return LegalEntity.objects.none()
    return LegalEntity.objects.filter(dealer_id=scope.dealer_id, is_active=True).order_by(
        "-is_main", "name"
    )


def rights_grid(scope: Scope, held: dict[int, frozenset[Right]] | None = None) -> list[GridRow]:
    held = held or {}
    return [
        GridRow(entity, entity.id in held, held.get(entity.id, frozenset()))
        for entity in dealer_legal_entities(scope)
    ]


def employee_rights(employee: User) -> dict[int, frozenset[Right]]:
    return {
        membership.legal_entity_id: frozenset(membership.rights)
        for membership in Membership.objects.filter(user=employee)
    }


def account_events(scope: Scope, employee_id: int | None = None) -> QuerySet[AccountEvent]:
    """The dealer's audit log, newest first; with an employee, what they did or underwent."""
    if scope.dealer_id is None:
        return AccountEvent.objects.none()
    events = AccountEvent.objects.filter(dealer_id=scope.dealer_id).select_related(
        "actor", "target"
    )
    if employee_id is not None:
        events = events.filter(Q(target_id=employee_id) | Q(actor_id=employee_id))
    return events.order_by("-created_at", "-id")


def two_factor_enabled(user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def user_two_factor(user: User) -> TwoFactorDevice | None:
    return TwoFactorDevice.objects.filter(user=user).first()


def unused_recovery_codes(user: User) -> int:
    return user.recovery_codes.filter(used_at__isnull=True).count()
