from __future__ import annotations

from conftest import Persona, World
from dealerdesk.accounts.audit import event_sentence
from dealerdesk.accounts.models import AccountEvent


def event(world: World, action: str, **details: object) -> AccountEvent:
    return AccountEvent(
        dealer=world.dealer_a,
        actor=world.user(Persona.SUPERUSER),
        target=world.user(Persona.EMPLOYEE_WITH_RIGHT),
        action=action,
        details=details,
    )


def test_rights_sentences_name_each_legal_entity_and_change(world: World) -> None:
    boss = world.user(Persona.SUPERUSER).full_name
    buyer = world.user(Persona.EMPLOYEE_WITH_RIGHT).full_name
    before = {
        "superuser": False,
        "entities": {
            "1": {"name": "ЭМЦ", "rights": ["place_orders", "see_prices"]},
            "2": {"name": "ЭМЦ-Регион", "rights": ["see_prices"]},
        },
    }
    after = {
        "superuser": False,
        "entities": {
            "1": {"name": "ЭМЦ", "rights": ["place_orders", "see_finance"]},
            "3": {"name": "ЭМЦ-Сервис", "rights": []},
        },
    }
    sentence = event_sentence(event(world, "rights_changed", before=before, after=after))
    assert sentence == (
        f"{boss} changed the rights of {buyer}: ЭМЦ: +See finance, −See prices; "
        "ЭМЦ-Сервис attached (viewing only); ЭМЦ-Регион detached."
    )


def test_handover_and_lockout_sentences(world: World) -> None:
    boss = world.user(Persona.SUPERUSER).full_name
    buyer = world.user(Persona.EMPLOYEE_WITH_RIGHT).full_name
    handover = event(
        world,
        "reassigned",
        to_name="Петров",
        moved={"drafts": 1, "orders": 2, "claims": 0},
        kept={"drafts": 0, "orders": 1, "claims": 0},
    )
    assert event_sentence(handover) == (
        f"{boss} handed the work of {buyer} over to Петров: moved 1 draft order, 2 orders; "
        "not moved 1 order."
    )
    handover.details["kept"] = {"drafts": 0, "orders": 0, "claims": 0}
    assert event_sentence(handover) == (
        f"{boss} handed the work of {buyer} over to Петров: 1 draft order, 2 orders."
    )
    lockout = event(world, "locked_out", ip="203.0.113.9")
    lockout.actor = None
    assert event_sentence(lockout) == (
        f"Sign-in as {buyer} was locked after too many failed attempts from 203.0.113.9."
    )
