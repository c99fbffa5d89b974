"""People behind hosts and authors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from resolvers.records import UserRecord

if TYPE_CHECKING:
    from resolvers.store import GatherStore


def users_by_position(store: GatherStore, user_ids: list[str]) -> list[UserRecord | None]:
    """One lookup for the whole batch, answered in the order AppSync asked."""
    found = store.users.get_many(user_ids)
    return [found.get(user_id) for user_id in user_ids]
