"""The audit log read aloud: one sentence per event, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dealerdesk.accounts.models import AccountEvent, User
from dealerdesk.tenancy.rights import Right

Action = AccountEvent.Action


def _name(user: User | None) -> str:
    return user.display_name if user is not None else _("a removed user")


def _right_labels(values: list[str]) -> list[str]:
    return [str(Right(value).label) for value in values if value in Right.values]


def rights_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What changed between two rights snapshots, one phrase per legal entity."""
    changes = []
    if before.get("superuser") != after.get("superuser"):
        changes.append(
            _("made a dealer superuser")
            if after.get("superuser")
            else _("no longer a dealer superuser")
        )
    old = before.get("entities", {})
    new = after.get("entities", {})
    for entity_id in [*new, *(key for key in old if key not in new)]:
        name = (new.get(entity_id) or old.get(entity_id) or {}).get("name", "?")
        if entity_id not in old:
            rights = ", ".join(_right_labels(new[entity_id]["rights"])) or _("viewing only")
            changes.append(
                _("%(entity)s attached (%(rights)s)") % {"entity": name, "rights": rights}
            )
        elif entity_id not in new:
            changes.append(_("%(entity)s detached") % {"entity": name})
        else:
            granted = [r for r in new[entity_id]["rights"] if r not in old[entity_id]["rights"]]
            taken = [r for r in old[entity_id]["rights"] if r not in new[entity_id]["rights"]]
            if granted or taken:
                parts = [f"+{label}" for label in _right_labels(granted)]
                parts += [f"−{label}" for label in _right_labels(taken)]
                changes.append(f"{name}: {', '.join(parts)}")
    return changes


def _profile_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    labels = {"full_name": _("name"), "phone": _("phone")}
    return [
        f"{labels.get(key, key)}: «{before.get(key) or '—'}» → «{after.get(key) or '—'}»"
        for key in after
    ]


def handover_counts(counts: dict[str, int]) -> str:
    """ "2 draft orders, 5 orders": the kinds with something in them."""
    drafts, orders, claims = (counts.get(kind, 0) for kind in ("drafts", "orders", "claims"))
    phrases = []
    if drafts:
        phrases.append(
            ngettext("%(count)s draft order", "%(count)s draft orders", drafts) % {"count": drafts}
        )
    if orders:
        phrases.append(ngettext("%(count)s order", "%(count)s orders", orders) % {"count": orders})
    if claims:
        phrases.append(ngettext("%(count)s claim", "%(count)s claims", claims) % {"count": claims})
    return ", ".join(phrases) or _("nothing")


def event_sentence(event: AccountEvent) -> str:
    actor, target = _name(event.actor), _name(event.target)
    details = event.details or {}
    names = {"actor": actor, "target": target}
    match event.action:
        case Action.CREATED:
            return _("%(actor)s added %(target)s.") % names
        case Action.INVITED:
            return _("%(actor)s sent an invitation to %(target)s.") % names
        case Action.RIGHTS_CHANGED:
            changes = rights_changes(details.get("before", {}), details.get("after", {}))
            return _("%(actor)s changed the rights of %(target)s: %(changes)s.") % {
                **names,
                "changes": "; ".join(changes) or _("no difference"),
            }
        case Action.PROFILE_CHANGED:
            changes = _profile_changes(details.get("before", {}), details.get("after", {}))
            return _("%(actor)s changed the details of %(target)s: %(changes)s.") % {
                **names,
                "changes": "; ".join(changes),
            }
        case Action.BLOCKED:
            return _("%(actor)s blocked %(target)s.") % names
        case Action.UNBLOCKED:
            return _("%(actor)s unblocked %(target)s.") % names
        case Action.REASSIGNED:
            handover = {
                **names,
                "colleague": details.get("to_name", "?"),
                "moved": handover_counts(details.get("moved", {})),
                "kept": handover_counts(details.get("kept", {})),
            }
            if any(details.get("kept", {}).values()):
                return (
                    _(
                        "%(actor)s handed the work of %(target)s over to %(colleague)s: "
                        "moved %(moved)s; not moved %(kept)s."
                    )
                    % handover
                )
            return (
                _("%(actor)s handed the work of %(target)s over to %(colleague)s: %(moved)s.")
                % handover
            )
        case Action.PASSWORD_SET:
            return _("%(target)s accepted the invitation and set a password.") % names
        case Action.PASSWORD_CHANGED:
            return _("%(target)s changed their password.") % names
        case Action.PASSWORD_RESET:
            return _("%(target)s reset their password by e-mail.") % names
        case Action.TWO_FACTOR_ENABLED:
            return _("%(target)s turned on two-factor authentication.") % names
        case Action.TWO_FACTOR_DISABLED:
            return _("%(target)s turned off two-factor authentication.") % names
        case Action.TWO_FACTOR_RESET:
            return _("%(actor)s reset two-factor authentication of %(target)s.") % names
        case Action.LOCKED_OUT:
            return _(
                "Sign-in as %(target)s was locked after too many failed attempts from %(ip)s."
            ) % {**names, "ip": details.get("ip") or _("an unknown address")}
        case Action.DEALER_BLOCKED | Action.DEALER_UNBLOCKED:
            return _dealer_access_sentence(event, details)
    return f"{event.get_action_display()}: {target}"


def _dealer_access_sentence(event: AccountEvent, details: dict[str, Any]) -> str:
    # No actor: the supplier's ERP decided (e.g. for unpaid debt), not a manager on the portal.
    by = event.actor.display_name if event.actor is not None else _("the supplier's ERP")
    if event.action == Action.DEALER_UNBLOCKED:
        return _("The supplier (%(by)s) unblocked the dealer's access to the portal.") % {"by": by}
    ended = int(details.get("sessions_ended", 0))
    return ngettext(
        "The supplier (%(by)s) blocked the dealer's access to the portal; %(count)s open "
        "session was ended.",
        "The supplier (%(by)s) blocked the dealer's access to the portal; %(count)s open "
        "sessions were ended.",
        ended,
    ) % {"by": by, "count": ended}
