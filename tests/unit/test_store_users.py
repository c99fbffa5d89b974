"""resolvers/store/users.py on moto: profiles by id, a chosen name, and the name a write leaves behind."""

from __future__ import annotations

from resolvers.records import UserRecord
from resolvers.store import GatherStore


def test_profiles_are_read_in_batches_over_a_hundred_ids(store: GatherStore) -> None:
    for number in range(150):
        store.users.put(UserRecord(id=f"user{number}", displayName=f"User {number}"))
    found = store.users.get_many([*(f"user{number}" for number in range(150)), "nobody", "user3"])
    assert len(found) == 150
    assert found["user149"] == {"id": "user149", "displayName": "User 149"}


def test_a_chosen_name_replaces_the_last_and_survives_later_writes(store: GatherStore) -> None:
    store.table.transact([store.users.profile_put(UserRecord(id="bob", displayName="bob@sign-in"))])
    assert store.users.get_many(["bob"])["bob"]["displayName"] == "bob@sign-in"
    store.users.put(UserRecord(id="bob", displayName="Bob"))
    store.users.put(UserRecord(id="bob", displayName="Bobby"))
    store.table.transact([store.users.profile_put(UserRecord(id="bob", displayName="bob@sign-in"))])
    assert store.users.get_many(["bob"]) == {"bob": {"id": "bob", "displayName": "Bobby"}}
