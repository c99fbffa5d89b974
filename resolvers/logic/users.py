"""People: the caller's own profile, and the people behind hosts and authors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from resolvers.identity import Caller
from resolvers.logic import validation
from resolvers.records import UserRecord

if TYPE_CHECKING:
    from resolvers.store import GatherStore


def users_by_position(store: GatherStore, user_ids: list[str]) -> list[UserRecord | None]:
    """One lookup for the whole batch, answered in the order AppSync asked."""
    found = store.users.get_many(user_ids)
    return [found.get(user_id) for user_id in user_ids]


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
