"""Company request writes: a dealer asks for a new legal entity, the supplier answers (F17).

Every change of a request reaches the ERP as an outbox event written in the same transaction.
"""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dealerdesk.accounts import services as account_services
from dealerdesk.accounts import sessions
from dealerdesk.accounts.models import User
from dealerdesk.companies import events as company_events
from dealerdesk.companies.models import CompanyRequest, Dealer, LegalEntity
from dealerdesk.companies.validators import requisites_clean
from dealerdesk.core.services import counter_next
from dealerdesk.events.models import OutboxEvent
from dealerdesk.events.services import event_record
from dealerdesk.notifications.services import notify_company_request_decided

COMMENT_MAX_LENGTH = 4000


@transaction.atomic
def dealer_block_set(*, dealer: Dealer, is_blocked: bool, actor: User | None = None) -> int:
    """Block or unblock a dealer: a manager (`actor`) or the ERP (no actor, e.g. for unpaid
    debt). The change goes into the dealer's account log.

    Blocking ends every open session of the dealer's employees at once, as blocking an
    employee does: a blocked dealer's scope is empty anyway, but a session left open would
    still show pages until the next request. Returns how many sessions were ended.
    """
    if dealer.is_blocked == is_blocked:
        return 0
    dealer.is_blocked = is_blocked
    dealer.save(update_fields=["is_blocked", "updated_at"])
    ended = 0
    if is_blocked:
        ended = sum(
            sessions.sessions_end_for_user(user) for user in User.objects.filter(dealer=dealer)
        )
    account_services.dealer_access_record(
        dealer_id=dealer.pk, is_blocked=is_blocked, actor=actor, sessions_ended=ended
    )
    return ended


def company_request_number(sequence_value: int) -> str:
    return f"З-{sequence_value:06d}"


def _requisites_label(inn: str, kpp: str) -> str:
    return f"{inn}/{kpp}" if kpp else inn


def _refuse_duplicate(*, dealer_id: int, inn: str, kpp: str) -> None:
    """A company is registered once and requested once at a time.

    Another dealer's company or request is refused with one neutral message: a dealer learns
    neither who else works with the supplier nor that someone else asked first.
    """
    label = _requisites_label(inn, kpp)
    foreign = ValidationError(
        {
            "inn": _(
                "The company with INN/KPP %(requisites)s is already registered with the "
                "supplier or being added. If it is yours, contact your manager."
            )
            % {"requisites": label}
        }
    )
    entity = LegalEntity.objects.filter(inn=inn, kpp=kpp).only("dealer_id", "name").first()
    if entity is not None:
        if entity.dealer_id != dealer_id:
            raise foreign
        raise ValidationError(
            {
                "inn": _("“%(name)s” with INN/KPP %(requisites)s is already one of your companies.")
                % {"name": entity.name, "requisites": label}
            }
        )
    pending = (
        CompanyRequest.objects.filter(inn=inn, kpp=kpp, status=CompanyRequest.Status.SUBMITTED)
        .only("dealer_id", "number")
        .first()
    )
    if pending is not None:
        if pending.dealer_id != dealer_id:
            raise foreign
        raise ValidationError(
            {
                "inn": _(
                    "Your request %(number)s for the company with INN/KPP %(requisites)s is "
                    "already under review."
                )
                % {"number": pending.number, "requisites": label}
            }
        )


def _event_record(company_request: CompanyRequest, kind: OutboxEvent.Kind) -> None:
    event_record(
        kind=kind,
        aggregate_type=company_events.AGGREGATE_TYPE,
        aggregate_id=company_request.id,
        payload=company_events.company_request_document(company_request),
    )


@transaction.atomic
def company_request_submit(
    *,
    user: User,
    inn: str,
    kpp: str,
    name: str,
    legal_address: str,
    postal_address: str = "",
    bank_name: str = "",
    bik: str = "",
    correspondent_account: str = "",
    settlement_account: str = "",
    comment: str = "",
) -> CompanyRequest:
    """A dealer superuser asks the supplier to add a legal entity; the ERP hears of it at once."""
    if not user.is_dealer_superuser or user.dealer_id is None:
        raise PermissionDenied
    requisites = requisites_clean(
        inn=inn,
        kpp=kpp,
        name=name,
        legal_address=legal_address,
        postal_address=postal_address,
        bank_name=bank_name,
        bik=bik,
        correspondent_account=correspondent_account,
        settlement_account=settlement_account,
    )
    _refuse_duplicate(dealer_id=user.dealer_id, inn=requisites.inn, kpp=requisites.kpp)
    try:
        with transaction.atomic():
            company_request = CompanyRequest.objects.create(
                number=company_request_number(counter_next("company_request")),
                dealer_id=user.dealer_id,
                requested_by=user,
                comment=comment.strip()[:COMMENT_MAX_LENGTH],
                **asdict(requisites),
            )
    except IntegrityError:
        # The same company was requested by someone else between the check and the insert.
        _refuse_duplicate(dealer_id=user.dealer_id, inn=requisites.inn, kpp=requisites.kpp)
        raise
    _event_record(company_request, company_events.SUBMITTED)
    return company_request


def _locked_under_review(company_request: CompanyRequest) -> CompanyRequest:
    locked = (
        CompanyRequest.objects.select_for_update(of=("self",))
        .select_related("dealer", "requested_by")
        .get(pk=company_request.pk)
    )
    if locked.status != CompanyRequest.Status.SUBMITTED:
        raise ValidationError(
            _("Request %(number)s has already been answered: %(status)s.")
            % {"number": locked.number, "status": locked.get_status_display()}
        )
    return locked


def _staff_only(user: User) -> None:
    if not user.is_staff:
        raise PermissionDenied


def _approve(
    company_request: CompanyRequest, legal_entity: LegalEntity, by_user: User | None
) -> None:
    company_request.status = CompanyRequest.Status.APPROVED
    company_request.legal_entity = legal_entity
    company_request.decided_at = timezone.now()
    company_request.decided_by = by_user
    company_request.save(
        update_fields=["status", "legal_entity", "decided_at", "decided_by", "updated_at"]
    )
    _event_record(company_request, company_events.APPROVED)
    notify_company_request_decided(company_request)


def _legal_entity_for(
    company_request: CompanyRequest, *, erp_id: str | None, as_main: bool = False
) -> LegalEntity:
    """The legal entity an approved request stands for: the dealer's own one with the same INN
    and KPP if it exists, else a new one made from the request's requisites (a subsidiary,
    or the main company of a dealer that has none yet)."""
    legal_entity = LegalEntity.objects.filter(
        inn=company_request.inn, kpp=company_request.kpp
    ).first()
    if legal_entity is None:
        legal_entity = LegalEntity(
            dealer_id=company_request.dealer_id,
            erp_id=erp_id or None,
            name=company_request.name,
            inn=company_request.inn,
            kpp=company_request.kpp,
            legal_address=company_request.legal_address,
            postal_address=company_request.postal_address,
            is_main=as_main,
            is_active=True,
        )
        legal_entity.full_clean()
        legal_entity.save()
    elif legal_entity.dealer_id != company_request.dealer_id:
        raise ValidationError(
            _("The company with INN/KPP %(requisites)s belongs to another dealer: %(dealer)s.")
            % {
                "requisites": _requisites_label(company_request.inn, company_request.kpp),
                "dealer": legal_entity.dealer,
            }
        )
    return legal_entity


@transaction.atomic
def company_request_approve(
    *,
    company_request: CompanyRequest,
    by_user: User,
    erp_id: str | None = None,
    as_main: bool = False,
) -> CompanyRequest:
    """A supplier's manager approves: the company becomes a subsidiary of the dealer, or,
    with `as_main`, its main company (only for a dealer without one: moving the main company
    would change what every employee of the dealer sees).

    Returns the request as approved; a legal entity the dealer already has with the same
    INN and KPP is linked instead of a second one being made.
    """
    _staff_only(by_user)
    company_request = _locked_under_review(company_request)
    if (
        as_main
        and LegalEntity.objects.filter(dealer_id=company_request.dealer_id, is_main=True).exists()
    ):
        raise ValidationError(
            {
                "as_main": _(
                    "%(dealer)s already has a main company; the new one can only be a subsidiary."
                )
                % {"dealer": company_request.dealer}
            }
        )
    legal_entity = _legal_entity_for(company_request, erp_id=erp_id, as_main=as_main)
    _approve(company_request, legal_entity, by_user)
    return company_request


@transaction.atomic
def company_request_approve_by_erp(
    *, company_request: CompanyRequest, legal_entity_erp_id: str
) -> CompanyRequest:
    """The ERP approves, naming the legal entity (its own id) the request became.

    The entity with that ERP id is linked when it exists; otherwise the dealer's entity with
    the request's INN and KPP gets the id, or a new one is made from the requisites. A request
    the ERP already approved with the same entity is answered again without change, so a
    repeated answer (or one after the entity's own import approved it) is harmless.
    """
    current = CompanyRequest.objects.select_related("legal_entity").get(pk=company_request.pk)
    if current.status == CompanyRequest.Status.APPROVED and (
        current.legal_entity is not None and current.legal_entity.erp_id == legal_entity_erp_id
    ):
        return current
    company_request = _locked_under_review(company_request)
    legal_entity = LegalEntity.objects.filter(erp_id=legal_entity_erp_id).first()
    if legal_entity is None:
        legal_entity = _legal_entity_for(company_request, erp_id=legal_entity_erp_id)
        if legal_entity.erp_id is None:
            legal_entity.erp_id = legal_entity_erp_id
            legal_entity.save(update_fields=["erp_id", "updated_at"])
        elif legal_entity.erp_id != legal_entity_erp_id:
            raise ValidationError(
                {
                    "legal_entity_id": _(
                        "The company with INN/KPP %(requisites)s is already linked to ERP id "
                        "%(erp_id)s."
                    )
                    % {
                        "requisites": _requisites_label(company_request.inn, company_request.kpp),
                        "erp_id": legal_entity.erp_id,
                    }
                }
            )
    elif legal_entity.dealer_id != company_request.dealer_id:
        raise ValidationError(
            {
                "legal_entity_id": _(
                    "The legal entity %(name)s belongs to another dealer, not to the one who asked."
                )
                % {"name": legal_entity.name}
            }
        )
    _approve(company_request, legal_entity, None)
    return company_request


def _reject(company_request: CompanyRequest, reason: str, by_user: User | None) -> CompanyRequest:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason: the dealer will see it.")})
    company_request = _locked_under_review(company_request)
    company_request.status = CompanyRequest.Status.REJECTED
    company_request.rejection_reason = reason[:COMMENT_MAX_LENGTH]
    company_request.decided_at = timezone.now()
    company_request.decided_by = by_user
    company_request.save(
        update_fields=["status", "rejection_reason", "decided_at", "decided_by", "updated_at"]
    )
    _event_record(company_request, company_events.REJECTED)
    notify_company_request_decided(company_request)
    return company_request


@transaction.atomic
def company_request_reject(
    *, company_request: CompanyRequest, by_user: User, reason: str
) -> CompanyRequest:
    """A supplier's manager refuses the request; the dealer sees the reason."""
    _staff_only(by_user)
    return _reject(company_request, reason, by_user)


@transaction.atomic
def company_request_reject_by_erp(
    *, company_request: CompanyRequest, reason: str
) -> CompanyRequest:
    """The ERP refuses the request; the dealer sees the reason. Repeating the same refusal
    changes nothing."""
    current = CompanyRequest.objects.get(pk=company_request.pk)
    if (
        current.status == CompanyRequest.Status.REJECTED
        and current.rejection_reason == reason.strip()[:COMMENT_MAX_LENGTH]
    ):
        return current
    return _reject(company_request, reason, None)


@transaction.atomic
def company_request_resolve_for_entity(
    *, legal_entity: LegalEntity, by_user: User | None = None
) -> CompanyRequest | None:
    """A legal entity was added by the ERP or in the admin: the request it answers is approved.

    The request under review of the same dealer with the same INN and KPP, if there is one,
    is approved and linked to the entity. Safe to call on every save of a legal entity.
    """
    company_request = (
        CompanyRequest.objects.select_for_update(of=("self",))
        .select_related("dealer", "requested_by")
        .filter(
            dealer_id=legal_entity.dealer_id,
            inn=legal_entity.inn,
            kpp=legal_entity.kpp,
            status=CompanyRequest.Status.SUBMITTED,
        )
        .first()
    )
    if company_request is None:
        return None
    _approve(company_request, legal_entity, by_user)
    return company_request
