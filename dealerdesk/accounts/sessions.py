"""Signed-in sessions: when they started, when they were last used, and which keys a user has.

The keys are tracked so that blocking a user ends their sessions at once, whatever the session
engine (database, cache or both); the timestamps drive the idle and absolute timeouts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import import_module
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from dealerdesk.accounts.models import UserSession

if TYPE_CHECKING:
    from dealerdesk.accounts.models import User

SIGNED_IN_AT = "dd_signed_in_at"
LAST_SEEN_AT = "dd_last_seen_at"
TRACKED_KEY = "dd_tracked_key"
# Last activity is written at most this often, so browsing does not save the session on
# every request.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def idle_timeout() -> timedelta:
    return timedelta(seconds=settings.SESSION_IDLE_TIMEOUT)


def absolute_timeout() -> timedelta:
    return timedelta(seconds=settings.SESSION_ABSOLUTE_TIMEOUT)


def _session_store() -> type[SessionBase]:
    return cast(type[SessionBase], import_module(settings.SESSION_ENGINE).SessionStore)


def session_started(session: SessionBase, user: User, *, at: datetime | None = None) -> None:
    """A user has just signed in with this session (its key already rotated)."""
    now = at or timezone.now()
    session[SIGNED_IN_AT] = now.timestamp()
    session[LAST_SEEN_AT] = now.timestamp()
    session_track(session, user, at=now)


def session_track(session: SessionBase, user: User, *, at: datetime | None = None) -> None:
    """Remember the session's key for the user (again, if the key was rotated since)."""
    key = session.session_key
    if key is None:
        session.save()
        key = session.session_key
    if key is None or session.get(TRACKED_KEY) == key:
        return
    now = at or timezone.now()
    previous = session.get(TRACKED_KEY)
    if previous:
        UserSession.objects.filter(session_key=previous).delete()
    # Sessions that outlived every timeout are gone from the engine already; forget them.
    UserSession.objects.filter(user=user, created_at__lt=now - absolute_timeout()).delete()
    UserSession.objects.update_or_create(
        session_key=key, defaults={"user": user, "created_at": now}
    )
    session[TRACKED_KEY] = key


def session_forget(session: SessionBase) -> None:
    """The session ends (sign-out); it needs no tracking any more."""
    keys = {key for key in (session.session_key, session.get(TRACKED_KEY)) if key}
    if keys:
        UserSession.objects.filter(session_key__in=keys).delete()


def sessions_end_for_user(user: User) -> int:
    """End every session the user has open: the next request of each is anonymous."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    store = _session_store()
    for key in keys:
        store(session_key=key).delete(key)
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def session_expiry_reason(session: SessionBase, *, now: datetime) -> str | None:
    """'idle' or 'absolute' when the signed-in session has run out, else None."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        return None
    moment = now.timestamp()
    if moment - float(signed_in_at) > absolute_timeout().total_seconds():
        return "absolute"
    if moment - float(last_seen_at) > idle_timeout().total_seconds():
        return "idle"
    return None


def session_touch(session: SessionBase, *, now: datetime) -> None:
    """Record activity; the session is written only when the last record is a minute old."""
    moment = now.timestamp()
    if SIGNED_IN_AT not in session:
        # Signed in before the timeouts existed: the clock starts now.
        session[SIGNED_IN_AT] = moment
        session[LAST_SEEN_AT] = moment
        return
    last_seen_at = float(session.get(LAST_SEEN_AT) or 0)
    if moment - last_seen_at >= LAST_SEEN_RESOLUTION.total_seconds():
        session[LAST_SEEN_AT] = moment
