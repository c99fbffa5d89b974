"""People behind hosts and authors."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from resolvers.store import GatherStore, Record


def users_by_position(store: GatherStore, user_ids: list[str]) -> list[Record | None]:
    """One lookup for the whole batch, answered in the order AppSync asked."""
    found = store.get_users(user_ids)
    return [found.get(user_id) for user_id in user_ids]
