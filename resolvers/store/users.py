"""User profiles: the id and display name others see beside events and comments."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from resolvers.records import UserRecord
from resolvers.store.attributes import item_of, record_of
from resolvers.store.core import Table, TransactItem, key_item, string
from resolvers.table_definition import user_key


def user_record(item: Mapping[str, Any]) -> UserRecord:
    return record_of(UserRecord, item)


class UserStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def get_many(self, user_ids: Iterable[str]) -> dict[str, UserRecord]:
        """Profiles by id, from one BatchGetItem per 100 ids; unknown ids are left out."""
        found = (user_record(item) for item in self.table.batch_get(user_key(uid) for uid in user_ids))
        return {user["id"]: user for user in found}

    def put(self, user: UserRecord) -> None:
        """The user's own choice of name: the one source of User.displayName from now on."""
        item = {**key_item(user_key(user["id"])), **item_of(user)}
        self.table.client.put_item(TableName=self.table.name, Item=item)

    def profile_put(self, user: UserRecord, *, named_so: bool = False) -> TransactItem:
        """Every write by a user makes sure others can name them, in the same transaction; a name the user set
        (``put``) is kept, so the sign-in's name only stands in for someone who never chose one.

        ``named_so`` is for a write that copies the user's name onto another item (an event's ``hostName``): it
        refuses the transaction unless the profile holds ``user``'s name (or none yet), and the refusal returns the
        profile as it is, so the copy is written again with the name the profile holds."""
        return self.table.update(
            user_key(user["id"]),
            "SET #id = :id, #name = if_not_exists(#name, :name)",
            condition="attribute_not_exists(#name) OR #name = :name" if named_so else None,
            names={"#id": "id", "#name": "displayName"},
            values={":id": string(user["id"]), ":name": string(user["displayName"])},
            old_item_on_failure=named_so,
        )
