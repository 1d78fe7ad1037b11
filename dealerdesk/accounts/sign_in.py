"""The state between the password and the second factor of a sign-in, kept in the session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.sessions.backends.base import SessionBase

from dealerdesk.accounts.models import User

PENDING = "dd_two_factor_pending"
# The password was accepted this long ago at most; after that it is asked again.
PENDING_VALIDITY = timedelta(minutes=5)
MAX_CODE_FAILURES = 5


@dataclass(frozen=True)
class PendingSignIn:
    user_id: int
    backend: str
    next_url: str
    failures: int


def pending_start(session: SessionBase, user: User, *, next_url: str, now: datetime) -> None:
    session[PENDING] = {
        "user_id": user.pk,
        "backend": getattr(user, "backend", ""),
        "next": next_url,
        "since": now.timestamp(),
        "failures": 0,
    }


def pending_get(session: SessionBase, *, now: datetime) -> PendingSignIn | None:
    state = session.get(PENDING)
    if not isinstance(state, dict):
        return None
    if now.timestamp() - float(state.get("since", 0)) > PENDING_VALIDITY.total_seconds():
        pending_clear(session)
        return None
    return PendingSignIn(
        user_id=int(state["user_id"]),
        backend=str(state.get("backend", "")),
        next_url=str(state.get("next", "/")),
        failures=int(state.get("failures", 0)),
    )


def pending_failure(session: SessionBase) -> int:
    """Count a wrong code; returns how many there have been."""
    state = dict(session.get(PENDING) or {})
    state["failures"] = int(state.get("failures", 0)) + 1
    session[PENDING] = state
    return int(state["failures"])


def pending_clear(session: SessionBase) -> None:
    session.pop(PENDING, None)
