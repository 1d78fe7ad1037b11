"""Company resources: dealers, their legal entities and the answers to new-company requests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from pydantic import Field

from dealerdesk.companies.models import CompanyRequest, Dealer, LegalEntity
from dealerdesk.companies.services import (
    company_request_approve_by_erp,
    company_request_reject_by_erp,
    company_request_resolve_for_entity,
    dealer_block_set,
)
from dealerdesk.companies.validators import requisites_clean
from dealerdesk.erp.batches import ApplyContext
from dealerdesk.erp.registry import Applied, BatchRejectedError, ItemErrors, Resource, register
from dealerdesk.erp.schemas import ErpId, ErpItem, ItemError, LongText, Name, Text
from dealerdesk.pricing.models import PriceType

LOOKUP_CHUNK = 500


def _chunks(values: Sequence[str], size: int = LOOKUP_CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _price_types(erp_ids: Iterable[str | None]) -> dict[str, PriceType]:
    wanted = sorted({erp_id for erp_id in erp_ids if erp_id})
    return PriceType.objects.in_bulk(wanted, field_name="erp_id") if wanted else {}


def _message(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- dealers --------------------------------------------------------------------------------


class DealerItem(ErpItem):
    name: Name = Field(description="The dealer's name as the supplier's staff know it.")
    price_type_id: ErpId | None = Field(
        None,
        description="ERP id of the dealer's price type (sent before in `price-types`); empty: "
        "the supplier's default price type.",
    )
    is_blocked: bool = Field(
        False,
        description="A blocked dealer's employees cannot sign in; blocking ends their open "
        "sessions at once.",
    )


def apply_dealers(context: ApplyContext, items: Sequence[DealerItem]) -> Applied:
    fresh = context.fresh(items)
    errors = ItemErrors()
    errors.refuse_duplicate_ids(fresh)
    price_types = _price_types(item.price_type_id for _, item in fresh)
    for index, item in fresh:
        if item.price_type_id and item.price_type_id not in price_types:
            errors.unknown(index, "price_type_id", "price type", item.price_type_id)
    errors.raise_if_any()

    known = Dealer.objects.in_bulk([item.id for _, item in fresh], field_name="erp_id")
    new: list[Dealer] = []
    changed: list[Dealer] = []
    blocking: list[tuple[Dealer, bool]] = []
    for _, item in fresh:
        price_type = price_types.get(item.price_type_id) if item.price_type_id else None
        dealer = known.get(item.id)
        if dealer is None:
            # A new dealer has no employees yet: no session to end, the flag is all.
            new.append(
                Dealer(
                    erp_id=item.id,
                    name=item.name,
                    price_type=price_type,
                    is_blocked=item.is_blocked,
                )
            )
            continue
        dealer.name = item.name
        dealer.price_type = price_type
        dealer.updated_at = context.now
        changed.append(dealer)
        if dealer.is_blocked != item.is_blocked:
            blocking.append((dealer, item.is_blocked))
    Dealer.objects.bulk_create(new, batch_size=1000)
    Dealer.objects.bulk_update(changed, ["name", "price_type", "updated_at"], batch_size=1000)
    for dealer, is_blocked in blocking:
        dealer_block_set(dealer=dealer, is_blocked=is_blocked)
    return Applied(created=len(new), updated=len(changed))


register(
    Resource(
        path="dealers",
        summary="Dealers (counterparties)",
        description=(
            "Dealers (контрагенты) keyed by the ERP's id. Each item is the dealer's whole state: "
            "an omitted `price_type_id` means the supplier's default price type, an omitted "
            "`is_blocked` means not blocked. Blocking a dealer signs all its employees out at "
            "once; unblocking lets them sign in again. Legal entities come separately in "
            "`legal-entities`. There is no full snapshot: dealers are never deleted from here."
        ),
        item=DealerItem,
        apply=apply_dealers,
        example={
            "items": [
                {
                    "id": "0000-000123",
                    "name": "Электромонтаж-Центр",
                    "price_type_id": "PT-DEALER",
                    "is_blocked": False,
                },
                {"id": "0000-000124", "name": "СветТорг", "is_blocked": True, "version": 7},
            ]
        },
    )
)


# --- legal entities -------------------------------------------------------------------------


class LegalEntityItem(ErpItem):
    dealer_id: ErpId = Field(description="ERP id of the dealer (sent before in `dealers`).")
    name: Name
    inn: str = Field(
        max_length=20, description="INN: 10 digits for an organisation, 12 for a sole proprietor."
    )
    kpp: str = Field(
        "",
        max_length=20,
        description="KPP: required for an organisation, empty for a sole proprietor.",
    )
    ogrn: str = Field(
        "",
        pattern=r"^(\d{13}|\d{15})?$",
        description="OGRN (13 digits) or OGRNIP (15 digits), optional.",
    )
    legal_address: LongText
    postal_address: LongText = ""
    is_main: bool = Field(
        False,
        description="The dealer's main legal entity: its users see the subsidiaries' data. A "
        "dealer has one; to move the role, demote the old one in the same batch.",
    )
    price_type_id: ErpId | None = Field(
        None, description="ERP id of a price type overriding the dealer's; empty: the dealer's."
    )
    is_active: bool = True


Requisites = tuple[str, str]


def _requisites_errors(errors: ItemErrors, index: int, item: LegalEntityItem) -> Requisites | None:
    """The item's INN and KPP, normalised, or None with the errors added (`items[2].inn`)."""
    try:
        requisites = requisites_clean(
            inn=item.inn,
            kpp=item.kpp,
            name=item.name,
            legal_address=item.legal_address,
            postal_address=item.postal_address,
        )
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            errors.add(index, field_name, "invalid", " ".join(messages))
        return None
    return requisites.inn, requisites.kpp


def apply_legal_entities(context: ApplyContext, items: Sequence[LegalEntityItem]) -> Applied:
    fresh = context.fresh(items)
    errors = ItemErrors()
    errors.refuse_duplicate_ids(fresh)
    dealers = Dealer.objects.in_bulk(
        sorted({item.dealer_id for _, item in fresh}), field_name="erp_id"
    )
    price_types = _price_types(item.price_type_id for _, item in fresh)
    requisites: dict[int, Requisites] = {}
    for index, item in fresh:
        if item.dealer_id not in dealers:
            errors.unknown(index, "dealer_id", "dealer", item.dealer_id)
        if item.price_type_id and item.price_type_id not in price_types:
            errors.unknown(index, "price_type_id", "price type", item.price_type_id)
        pair = _requisites_errors(errors, index, item)
        if pair is not None:
            requisites[index] = pair
    errors.raise_if_any()

    holders = _holders(requisites.values())
    targets = _targets(errors, fresh, requisites, holders)
    _check_requisites_unique(errors, fresh, requisites, holders, targets)
    _check_dealers_unchanged(errors, fresh, dealers, targets)
    _check_one_main(errors, fresh, dealers, targets)
    errors.raise_if_any()
    return _write_legal_entities(context, fresh, dealers, price_types, requisites, targets)


def _targets(
    errors: ItemErrors,
    fresh: Sequence[tuple[int, LegalEntityItem]],
    requisites: dict[int, Requisites],
    holders: dict[Requisites, LegalEntity],
) -> dict[int, LegalEntity]:
    """The stored entity each item updates: the one with its ERP id, else the one with its INN
    and KPP that has no ERP id yet (made in the portal from an approved request), which the
    ERP adopts."""
    by_erp_id = LegalEntity.objects.in_bulk([item.id for _, item in fresh], field_name="erp_id")
    targets: dict[int, LegalEntity] = {}
    adopted: dict[int, int] = {}
    for index, item in fresh:
        entity = by_erp_id.get(item.id)
        if entity is None and index in requisites:
            holder = holders.get(requisites[index])
            if holder is not None and holder.erp_id is None:
                if holder.id in adopted:
                    errors.add(
                        index,
                        "inn",
                        "duplicate",
                        f"items[{adopted[holder.id]}] has the same INN and KPP",
                    )
                    continue
                adopted[holder.id] = index
                entity = holder
        if entity is not None:
            targets[index] = entity
    return targets


def _holders(pairs: Iterable[Requisites]) -> dict[Requisites, LegalEntity]:
    wanted = set(pairs)
    inns = sorted({inn for inn, _kpp in wanted})
    holders: dict[Requisites, LegalEntity] = {}
    for chunk in _chunks(inns):
        for entity in LegalEntity.objects.filter(inn__in=chunk):
            if (entity.inn, entity.kpp) in wanted:
                holders[(entity.inn, entity.kpp)] = entity
    return holders


def _check_requisites_unique(
    errors: ItemErrors,
    fresh: Sequence[tuple[int, LegalEntityItem]],
    requisites: dict[int, Requisites],
    holders: dict[Requisites, LegalEntity],
    targets: dict[int, LegalEntity],
) -> None:
    """INN and KPP identify a company: after the batch no two entities may share them."""
    in_batch = {entity.id for entity in targets.values()}
    first: dict[Requisites, int] = {}
    for index, _item in fresh:
        pair = requisites.get(index)
        if pair is None:
            continue
        if pair in first:
            errors.add(index, "inn", "duplicate", f"items[{first[pair]}] has the same INN and KPP")
            continue
        first[pair] = index
        holder = holders.get(pair)
        target = targets.get(index)
        if (
            holder is not None
            and holder.id not in in_batch
            and (target is None or holder.id != target.id)
        ):
            errors.add(
                index,
                "inn",
                "duplicate",
                f"the legal entity {holder.erp_id or holder.id} already has this INN and KPP",
            )


def _check_dealers_unchanged(
    errors: ItemErrors,
    fresh: Sequence[tuple[int, LegalEntityItem]],
    dealers: dict[str, Dealer],
    targets: dict[int, LegalEntity],
) -> None:
    # Orders, documents and employees' rights hang on the entity under its dealer; moving it
    # would hand them to another business.
    for index, item in fresh:
        entity = targets.get(index)
        if entity is not None and entity.dealer_id != dealers[item.dealer_id].id:
            errors.add(
                index,
                "dealer_id",
                "dealer_change",
                "a legal entity cannot move to another dealer; create a new one",
            )


def _check_one_main(
    errors: ItemErrors,
    fresh: Sequence[tuple[int, LegalEntityItem]],
    dealers: dict[str, Dealer],
    targets: dict[int, LegalEntity],
) -> None:
    """A dealer ends the batch with at most one main entity, and keeps the one it had unless
    the batch names another."""
    dealer_ids = {dealers[item.dealer_id].id for _, item in fresh}
    in_batch = {entity.id for entity in targets.values()}
    stored_mains = {
        entity.dealer_id: entity
        for entity in LegalEntity.objects.filter(dealer_id__in=dealer_ids, is_main=True)
    }
    mains: dict[int, list[int]] = {}
    for index, item in fresh:
        if item.is_main:
            mains.setdefault(dealers[item.dealer_id].id, []).append(index)
    for dealer_id, indexes in mains.items():
        stored = stored_mains.get(dealer_id)
        kept = stored is not None and stored.id not in in_batch
        if len(indexes) > 1 or kept:
            for index in indexes:
                other = (
                    f"the stored main legal entity {stored.erp_id or stored.name!r}"
                    if kept and stored is not None
                    else "another item of the batch"
                )
                errors.add(
                    index,
                    "is_main",
                    "second_main",
                    f"the dealer already has a main legal entity ({other}); demote it in the "
                    "same batch",
                )
    for index, item in fresh:
        entity = targets.get(index)
        dealer_id = dealers[item.dealer_id].id
        if entity is not None and entity.is_main and not item.is_main and dealer_id not in mains:
            errors.add(
                index,
                "is_main",
                "no_main",
                "this is the dealer's main legal entity; name the new main one in the same batch",
            )


def _write_legal_entities(
    context: ApplyContext,
    fresh: Sequence[tuple[int, LegalEntityItem]],
    dealers: dict[str, Dealer],
    price_types: dict[str, PriceType],
    requisites: dict[int, Requisites],
    targets: dict[int, LegalEntity],
) -> Applied:
    new: list[LegalEntity] = []
    changed: list[LegalEntity] = []
    for index, item in fresh:
        inn, kpp = requisites[index]
        entity = targets.get(index)
        if entity is None:
            entity = LegalEntity(dealer=dealers[item.dealer_id])
            new.append(entity)
        else:
            entity.updated_at = context.now
            changed.append(entity)
        entity.erp_id = item.id
        entity.name = " ".join(item.name.split())
        entity.inn, entity.kpp, entity.ogrn = inn, kpp, item.ogrn
        entity.legal_address = " ".join(item.legal_address.split())
        entity.postal_address = " ".join(item.postal_address.split())
        entity.is_main = item.is_main
        entity.price_type = price_types.get(item.price_type_id) if item.price_type_id else None
        entity.is_active = item.is_active
    fields = [
        "erp_id", "name", "inn", "kpp", "ogrn", "legal_address", "postal_address",
        "is_main", "price_type", "is_active", "updated_at",
    ]  # fmt: skip
    try:
        with transaction.atomic():
            # The old main entity steps down first: one main per dealer holds row by row.
            LegalEntity.objects.filter(
                id__in=[entity.id for entity in changed if not entity.is_main], is_main=True
            ).update(is_main=False)
            LegalEntity.objects.bulk_update(changed, fields, batch_size=1000)
            LegalEntity.objects.bulk_create(new, batch_size=1000)
    except IntegrityError as error:
        # Only INN/KPP handed from one entity to another inside the batch gets here.
        raise BatchRejectedError(
            [
                ItemError(
                    path="items",
                    code="conflict",
                    message=f"items: the batch breaks a uniqueness rule ({error}); send the "
                    "legal entities that exchange INN/KPP in two batches",
                )
            ]
        ) from error
    _resolve_requests(new + changed)
    return Applied(created=len(new), updated=len(changed))


def _resolve_requests(entities: Sequence[LegalEntity]) -> None:
    """A dealer's request for a company is answered when the ERP sends that company."""
    by_requisites = {(entity.dealer_id, entity.inn, entity.kpp): entity for entity in entities}
    inns = sorted({entity.inn for entity in entities})
    for chunk in _chunks(inns):
        pending = CompanyRequest.objects.filter(
            status=CompanyRequest.Status.SUBMITTED, inn__in=chunk
        ).values_list("dealer_id", "inn", "kpp")
        for key in pending:
            entity = by_requisites.get(key)
            if entity is not None:
                company_request_resolve_for_entity(legal_entity=entity)


register(
    Resource(
        path="legal-entities",
        summary="Legal entities of dealers",
        description=(
            "Legal entities (юрлица) keyed by the ERP's id, each under a dealer sent before. "
            "INN and KPP are checked (check digits, KPP required for an organisation and "
            "absent for a sole proprietor); an error names the field, e.g. `items[2].inn`. An "
            "entity the portal already has with the same INN and KPP but no ERP id (added from "
            "an approved request) is taken over, not duplicated. A dealer has one main entity: "
            "to move the role, send the old main one with `is_main: false` in the same batch. "
            "An entity the dealer asked for in a new-company request approves that request. An "
            "entity never moves to another dealer. There is no full snapshot: send "
            "`is_active: false` to retire an entity."
        ),
        item=LegalEntityItem,
        apply=apply_legal_entities,
        example={
            "items": [
                {
                    "id": "LE-000501",
                    "dealer_id": "0000-000123",
                    "name": 'ООО "Электромонтаж-Центр"',
                    "inn": "7707083893",
                    "kpp": "770701001",
                    "ogrn": "1027700132195",
                    "legal_address": "117997, г. Москва, ул. Вавилова, д. 19",
                    "postal_address": "",
                    "is_main": True,
                    "price_type_id": "PT-DEALER",
                    "is_active": True,
                },
                {
                    "id": "LE-000502",
                    "dealer_id": "0000-000123",
                    "name": "ИП Соколов Андрей Викторович",
                    "inn": "500100732259",
                    "kpp": "",
                    "legal_address": "141400, Московская обл., г. Химки, ул. Заводская, д. 8",
                    "is_main": False,
                },
            ]
        },
    )
)


# --- answers to new-company requests --------------------------------------------------------


class CompanyRequestResolutionItem(ErpItem):
    id: ErpId = Field(
        description="The request: its `number` from the `company.requested` event (e.g. "
        "`З-000042`); the portal's numeric `id` from the same event is accepted too."
    )
    decision: Literal["approved", "rejected"]
    reason: Text = Field(
        "", description="Why the request is rejected: required then; the dealer sees it."
    )
    legal_entity_id: ErpId | None = Field(
        None,
        description="When approved (required): ERP id of the legal entity the request became. "
        "Send it in `legal-entities` first, or it is made here from the request's requisites.",
    )


def _requests(keys: Sequence[str]) -> dict[str, CompanyRequest]:
    """The requests by number, and by the portal's id for keys that are numbers."""
    found: dict[str, CompanyRequest] = {}
    for chunk in _chunks(sorted(set(keys))):
        for company_request in CompanyRequest.objects.filter(number__in=chunk):
            found[company_request.number] = company_request
    ids = sorted({int(key) for key in keys if key.isdigit() and key not in found})
    for company_request in CompanyRequest.objects.filter(id__in=ids):
        found[str(company_request.id)] = company_request
    return found


def apply_company_request_resolutions(
    context: ApplyContext, items: Sequence[CompanyRequestResolutionItem]
) -> Applied:
    fresh = context.fresh(items)
    errors = ItemErrors()
    errors.refuse_duplicate_ids(fresh)
    requests = _requests([item.id for _, item in fresh])
    for index, item in fresh:
        if item.id not in requests:
            errors.unknown(index, "id", "company request", item.id)
        if item.decision == "rejected" and not item.reason.strip():
            errors.add(index, "reason", "required", "is required when the request is rejected")
        if item.decision == "approved" and not item.legal_entity_id:
            errors.add(
                index, "legal_entity_id", "required", "is required when the request is approved"
            )
    errors.raise_if_any()

    applied = Applied()
    for index, item in fresh:
        company_request = requests[item.id]
        before = company_request.status
        try:
            if item.decision == "approved":
                answered = company_request_approve_by_erp(
                    company_request=company_request, legal_entity_erp_id=item.legal_entity_id or ""
                )
            else:
                answered = company_request_reject_by_erp(
                    company_request=company_request, reason=item.reason
                )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field_name, messages in error.message_dict.items():
                    errors.add(index, field_name, "refused", " ".join(messages))
            else:
                errors.add(index, "decision", "refused", _message(error))
            continue
        if answered.status != before:
            applied.updated += 1
    errors.raise_if_any()
    return applied


register(
    Resource(
        path="company-request-resolutions",
        summary="Answers to new-company requests",
        description=(
            "The ERP's answer to a dealer's request for a new legal entity (the "
            "`company.requested` event). `approved` links the request to the legal entity "
            "`legal_entity_id`: the one with that ERP id, else the dealer's one with the "
            "request's INN and KPP (it gets the id), else a new subsidiary made from the "
            "request's requisites. `rejected` needs a `reason`, which the dealer sees. A "
            "request already answered the same way is left as it is (sending a legal entity "
            "with the request's INN and KPP approves the request by itself); a request "
            "answered differently is an error. Counts: `updated` = requests answered now."
        ),
        item=CompanyRequestResolutionItem,
        apply=apply_company_request_resolutions,
        example={
            "items": [
                {"id": "З-000042", "decision": "approved", "legal_entity_id": "LE-000503"},
                {
                    "id": "З-000043",
                    "decision": "rejected",
                    "reason": "Организация в стадии ликвидации по данным ФНС",
                },
            ]
        },
    )
)
