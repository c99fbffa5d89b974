"""A host's new name reaches the events they host (moto): the stream consumer's steps over GSI2's HOST# partition,
a page at a time carried on by a marker, the last rename winning however steps interleave, an event written
during a rename checked on its INSERT, and a step run twice doing no harm."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from resolvers.identity import Caller
from resolvers.logic import events, users
from resolvers.logic.stream_changes import ItemChange, follow
from resolvers.records import EventRecord, UserRecord
from resolvers.store import GatherStore
from resolvers.store.core import key_item
from resolvers.store.host_names import HOST_NAME_PAGE, HostNameStep
from resolvers.table_definition import (
    HOSTED_SORT_KEY,
    UPCOMING_SORT_KEY,
    ItemKey,
    event_counts_key,
    event_key,
    host_names_key,
    hosted_sort_key,
    upcoming_sort_key,
    user_key,
)
from tests.unit.conftest import ADA, BOB, NOW, event_record


def _record(store: GatherStore, kind: str, key: ItemKey, old: dict[str, Any] | None = None) -> ItemChange:
    """The stream record of the item under ``key`` as it is now, with ``old`` as its old image."""
    item = store.table.get(key, consistent=True) or {}
    image = {name: TypeDeserializer().deserialize(value) for name, value in item.items()}  # as powertools reads it
    return ItemChange(kind, key.attributes(), old or {}, image)  # type: ignore[arg-type]


def _host(store: GatherStore, caller: Caller, count: int) -> list[str]:
    """``count`` events hosted by ``caller``: the first written by the store, the rest copies of its items (event
    and counts) under ids of their own, written in batches (moto's transactions are slow)."""
    ids = [f"{caller.user_id}-{n:03d}" for n in range(count)]
    store.events.create(event_record(ids[0], hostId=caller.user_id), users.user_record(caller))
    item = store.table.get(event_key(ids[0]), consistent=True) or {}
    counts = store.table.get(event_counts_key(ids[0]), consistent=True) or {}
    copies = []
    for event_id in ids[1:]:
        copies.append(
            {
                **item,
                **key_item(event_key(event_id)),
                UPCOMING_SORT_KEY: {"S": upcoming_sort_key(item["startsAt"]["S"], event_id)},
                HOSTED_SORT_KEY: {"S": hosted_sort_key(event_id)},
                "id": {"S": event_id},
            }
        )
        copies.append({**counts, **key_item(event_counts_key(event_id))})
    for start in range(0, len(copies), 25):
        requests: Any = [{"PutRequest": {"Item": copy}} for copy in copies[start : start + 25]]
        store.client.batch_write_item(RequestItems={store.table_name: requests})
    return ids


def _names(store: GatherStore, event_ids: list[str]) -> set[str | None]:
    """The host's names these events carry (every one of them must be found)."""
    found = store.events.get_many(event_ids)
    assert len(found) == len(event_ids)
    return {event["hostName"] for event in found}


def _renamed(store: GatherStore, caller: Caller, name: str) -> ItemChange:
    """setDisplayName, and the stream record of the profile's change."""
    before = store.table.get(user_key(caller.user_id), consistent=True) or {}
    old = {field: TypeDeserializer().deserialize(value) for field, value in before.items()}
    users.set_display_name(store, caller, name)
    return _record(store, "MODIFY", user_key(caller.user_id), old)


def test_a_new_name_reaches_every_hosted_event_a_page_per_step(store: GatherStore) -> None:
    hosted = _host(store, ADA, HOST_NAME_PAGE + 5)
    others = _host(store, BOB, 2)

    first = follow(store, _renamed(store, ADA, "Countess"), NOW)
    assert first == HostNameStep("ada", HOST_NAME_PAGE, done=False)
    marker = _record(store, "INSERT", host_names_key("ada"))
    second = follow(store, marker, NOW)
    assert second == HostNameStep("ada", 5, done=True)
    assert _names(store, hosted) == {"Countess"}
    assert _names(store, others) == {"Bob"}, "another host's events are not touched"
    assert store.table.get(host_names_key("ada"), consistent=True) is None, "the marker is gone once all are named"
    assert events.get_event(store, hosted[0]) == {**event_record(hosted[0]), "hostName": "Countess"}

    again = follow(store, marker, NOW)  # a retried record: nothing left to write
    assert again == HostNameStep("ada", 0, done=True)


def test_a_profile_change_that_keeps_the_name_renames_nothing(store: GatherStore) -> None:
    _host(store, ADA, 1)
    unchanged = _renamed(store, ADA, "Ada")
    assert follow(store, unchanged, NOW) is None
    inserted = _record(store, "INSERT", user_key("ada"))
    assert follow(store, inserted, NOW) is None, "a new profile hosts nothing yet"


def test_the_last_rename_wins_when_a_step_wrote_the_name_a_newer_rename_replaced(store: GatherStore) -> None:
    hosted = _host(store, ADA, 3)
    change = _renamed(store, ADA, "Countess")
    renamed_again = {"done": False}

    def rename_mid_step(**_: Any) -> None:
        """Another rename commits (and its own steps finish) while this step writes its page."""
        if not renamed_again["done"]:
            renamed_again["done"] = True
            users.set_display_name(store, ADA, "Lovelace")
            store.host_names.step("ada")

    store.client.meta.events.register("after-call.dynamodb.UpdateItem", rename_mid_step)
    step = follow(store, change, NOW)
    store.client.meta.events.unregister("after-call.dynamodb.UpdateItem", rename_mid_step)
    assert isinstance(step, HostNameStep)
    assert step.done
    assert _names(store, hosted) == {"Lovelace"}, "the step found the newer name when it checked, and wrote it"


def test_an_event_written_during_a_rename_takes_the_new_name_from_its_insert(store: GatherStore) -> None:
    """An event that GSI2 did not list yet when the rename's steps read it: its INSERT is checked on its own."""
    created = store.events.create(event_record("late"), users.user_record(ADA))
    assert follow(store, _record(store, "INSERT", event_key("late")), NOW) is None, "it carries the profile's name"
    store.users.put(UserRecord(id="ada", displayName="Countess"))
    step = follow(store, ItemChange("INSERT", event_key("late").attributes(), {}, dict(created)), NOW)
    assert step == HostNameStep("ada", 1, done=True)
    assert _names(store, ["late"]) == {"Countess"}


def test_an_event_deleted_during_a_rename_is_not_written_again(store: GatherStore) -> None:
    hosted = _host(store, ADA, 2)
    store.users.put(UserRecord(id="ada", displayName="Countess"))

    def delete_first(**_: Any) -> None:
        """The event is deleted after the step read the index, before it is written."""
        store.client.delete_item(TableName=store.table_name, Key=key_item(event_key(hosted[0])))

    store.client.meta.events.register("after-call.dynamodb.Query", delete_first)
    step = store.host_names.step("ada")
    store.client.meta.events.unregister("after-call.dynamodb.Query", delete_first)
    assert step == HostNameStep("ada", 1, done=True)
    assert store.table.get(event_key(hosted[0]), consistent=True) is None, "no half event left behind"
    assert _names(store, hosted[1:]) == {"Countess"}


def test_an_event_created_after_the_host_chose_a_name_carries_it(store: GatherStore) -> None:
    users.set_display_name(store, ADA, "Countess")
    created: EventRecord = events.create_event(
        store,
        ADA,
        {
            "title": "Meetup",
            "venue": "Hall",
            "startsAt": "2030-06-01T18:00:00Z",
            "endsAt": "2030-06-01T20:00:00Z",
            "capacity": 5,
        },
        NOW,
    )
    assert created["hostName"] == "Countess"
    calls: list[str] = []
    store.client.meta.events.register("before-send.dynamodb", lambda **kw: calls.append(kw["request"].url))
    assert users.hosts(store, [created]) == [UserRecord(id="ada", displayName="Countess")]
    assert calls == [], "Event.host reads nothing for an event that carries its host's name"
    unnamed = {**created, "hostName": None}  # as an event stored before events carried it
    assert users.hosts(store, [unnamed]) == [UserRecord(id="ada", displayName="Countess")]
    assert len(calls) == 1, "its host's profile, read"
