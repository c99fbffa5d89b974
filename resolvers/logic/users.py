"""People: the caller's own profile, and the people behind hosts and authors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from resolvers.identity import Caller
from resolvers.logic import validation
from resolvers.records import UserRecord

if TYPE_CHECKING:
    from resolvers.store import GatherStore


def hosts(store: GatherStore, events: Sequence[Mapping[str, Any]]) -> list[UserRecord | None]:
    """Event.host for a batch of sources: the name each event carries (``EventRecord.hostName``), else one lookup
    for the events stored before they carried it."""
    missing = [event["hostId"] for event in events if not event.get("hostName")]
    found = store.users.get_many(missing) if missing else {}
    return [_carried_host(event) or found.get(event["hostId"]) for event in events]


def _carried_host(event: Mapping[str, Any]) -> UserRecord | None:
    name = event.get("hostName")
    return UserRecord(id=event["hostId"], displayName=name) if name else None


def user_record(caller: Caller) -> UserRecord:
    """The caller as others will see them, until they choose a name of their own."""
    return UserRecord(id=caller.user_id, displayName=caller.display_name)


def me(store: GatherStore, caller: Caller) -> UserRecord:
    """The stored profile (User.displayName's one source); the sign-in's name until the user first writes."""
    return store.users.get_many([caller.user_id]).get(caller.user_id) or user_record(caller)


def set_display_name(store: GatherStore, caller: Caller, display_name: str | None) -> UserRecord:
    user = UserRecord(
        id=caller.user_id,
        displayName=validation.required_text("displayName", display_name, validation.DISPLAY_NAME_MAX),
    )
    store.users.put(user)
    return user
