"""resolvers/store/events.py on moto: the event item, its place in the upcoming index, and its guarded writes."""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.errors import CapacityBelowAttendance, NotFound, VersionConflict
from resolvers.records import UserRecord
from resolvers.store import GatherStore
from resolvers.store.core import key_item
from resolvers.store.events import TIME_ZONE_OF_OLDER_EVENTS
from resolvers.table_definition import (
    HOSTED_PARTITION_KEY,
    HOSTED_SORT_KEY,
    UPCOMING_INDEX,
    UPCOMING_SORT_KEY,
    event_counts_key,
    event_details_key,
    event_key,
    hosted_partition_key,
    hosted_sort_key,
    upcoming_sort_key,
)
from tests.unit.conftest import ADA_USER, event_record

LATER = "2030-05-02T12:00:00.000Z"


def test_an_event_reads_back_as_its_record_alone(store: GatherStore) -> None:
    event = event_record(description="About")
    store.events.create(event, ADA_USER)
    assert store.events.get("e1") == event
    raw = store.table.get(event_key("e1"))
    assert raw is not None
    assert raw[UPCOMING_SORT_KEY] == {"S": upcoming_sort_key(event["startsAt"], "e1")}
    assert store.users.get_many(["ada"]) == {"ada": ADA_USER}, "the host can be named"
    assert store.events.get("missing") is None


def test_the_long_text_lives_in_the_details_item_and_reads_back_with_the_event(store: GatherStore) -> None:
    event = event_record(description="About " * 100)
    store.events.create(event, ADA_USER)
    raw = store.table.get(event_key("e1"))
    details = store.table.get(event_details_key("e1"))
    assert raw is not None
    assert "description" not in raw, "every RSVP rewrites the event item: it stays short"
    assert details is not None
    assert details["description"] == {"S": event["description"]}
    assert store.events.get("e1", consistent=True) == event
    assert store.events.get("e1", details=False) == {**event, "description": None}
    assert store.events.get_many(["e1"], details=True) == [event]
    edited = store.events.update("e1", {"description": "Short"}, 1, LATER)
    assert (edited["description"], edited["version"]) == ("Short", 2)
    assert store.events.update("e1", {"description": None}, 2, LATER)["description"] is None
    assert store.events.get("e1") == {**event, "description": None, "version": 3, "updatedAt": LATER}


def test_the_counts_live_in_their_own_item_with_copies_of_what_their_conditions_read(store: GatherStore) -> None:
    store.events.create(event_record(capacity=3), ADA_USER)
    store.seats.add_attendee("e1", ADA_USER, LATER)
    raw = store.table.get(event_key("e1"))
    assert raw is not None
    assert {"attendeeCount", "waitlistCount"}.isdisjoint(raw), "an RSVP does not rewrite the event item"

    def counts() -> dict[str, Any]:
        item = store.table.get(event_counts_key("e1"), consistent=True) or {}
        return {name: item[name] for name in ("attendeeCount", "waitlistCount", "capacity", "startsAt")}

    assert counts() == {
        "attendeeCount": {"N": "1"},
        "waitlistCount": {"N": "0"},
        "capacity": {"N": "3"},
        "startsAt": {"S": event_record()["startsAt"]},
    }
    moved = "2030-07-01T10:00:00.000Z"
    store.events.update("e1", {"startsAt": moved, "capacity": 5}, 1, LATER)
    assert (counts()["capacity"], counts()["startsAt"]) == ({"N": "5"}, {"S": moved}), "the copies follow the edit"
    store.events.update("e1", {"title": "Renamed"}, 2, LATER)
    assert counts()["capacity"] == {"N": "5"}
    store.seats.add_attendee("e1", UserRecord(id="bob", displayName="Bob"), LATER)
    with pytest.raises(CapacityBelowAttendance):
        store.events.update("e1", {"capacity": 1, "title": "Small"}, 3, LATER)
    after = store.events.get("e1", consistent=True)
    assert after is not None
    assert (after["title"], after["capacity"], counts()["capacity"]) == ("Renamed", 5, {"N": "5"}), "nothing written"


def test_an_edit_of_a_short_field_answers_with_the_whole_event(store: GatherStore) -> None:
    """The answer is what onEventChanged's subscribers get: a field it left out would blank their pages."""
    store.events.create(event_record(description="About"), ADA_USER)
    store.seats.add_attendee("e1", ADA_USER, LATER)
    edited = store.events.update("e1", {"title": "Renamed"}, 1, LATER)
    assert edited == event_record(description="About", title="Renamed", attendeeCount=1, version=2, updatedAt=LATER)


def test_an_event_stored_before_the_split_keeps_its_description_until_it_is_edited(store: GatherStore) -> None:
    store.events.create(event_record(), ADA_USER)
    store.client.delete_item(TableName=store.table_name, Key=key_item(event_details_key("e1")))
    store.client.update_item(
        TableName=store.table_name,
        Key=key_item(event_key("e1")),
        UpdateExpression="SET #d = :d",
        ExpressionAttributeNames={"#d": "description"},
        ExpressionAttributeValues={":d": {"S": "Old"}},
    )
    assert store.events.get("e1") == event_record(description="Old")
    store.events.update("e1", {"description": "New"}, 1, LATER)
    raw = store.table.get(event_key("e1"))
    assert raw is not None
    assert "description" not in raw, "the edit moved it to the details item"
    assert store.events.get("e1") == event_record(description="New", version=2, updatedAt=LATER)


def test_a_listing_reads_counts_in_one_batch_and_names_hosts_from_the_events(store: GatherStore) -> None:
    for number in range(3):
        store.events.create(event_record(f"e{number}", startsAt=f"2030-06-0{number + 1}T10:00:00.000Z"), ADA_USER)

    def index() -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = store.client.query(
            TableName=store.table_name,
            IndexName=UPCOMING_INDEX,
            KeyConditionExpression="GSI1PK = :p",
            ExpressionAttributeValues={":p": {"S": "EVENTS"}},
        )["Items"]
        return items

    before = index()
    store.seats.add_attendee("e1", ADA_USER, LATER)
    assert index() == before, "an RSVP rewrites no listing index item"
    assert all("title" in item and "attendeeCount" not in item for item in before), "the event items whole, no count"
    assert all(item["hostName"] == {"S": "Ada"} for item in before), "their hosts' names with them"
    keys = _batch_get_keys(store)
    listed, _ = store.events.list_upcoming("2030-01-01", "2030-01-01", 10, None)
    assert len(keys) == 1, "the index Query, then one BatchGetItem"
    assert keys[0] == {f"EVENT#e{number}" for number in range(3)}, "the counts items, no host profile"
    assert [(e["id"], e["attendeeCount"], e["hostName"]) for e in listed] == [
        ("e0", 0, "Ada"),
        ("e1", 1, "Ada"),
        ("e2", 0, "Ada"),
    ]


def test_an_event_stored_before_it_carried_its_hosts_name_has_the_host_read_in_the_same_batch(
    store: GatherStore,
) -> None:
    store.events.create(event_record("old"), ADA_USER)
    store.events.create(event_record("new", hostId="bob"), UserRecord(id="bob", displayName="Bob"))
    store.client.update_item(
        TableName=store.table_name,
        Key=key_item(event_key("old")),
        UpdateExpression="REMOVE #name, #pk2, #sk2",
        ExpressionAttributeNames={"#name": "hostName", "#pk2": HOSTED_PARTITION_KEY, "#sk2": HOSTED_SORT_KEY},
    )
    store.users.put(UserRecord(id="ada", displayName="Countess"))
    keys = _batch_get_keys(store)
    listed, _ = store.events.list_upcoming("2030-01-01", "2030-01-01", 10, None)
    assert keys == [{"EVENT#old", "EVENT#new", "USER#ada"}], "only the unnamed event's host, in the same call"
    assert sorted((e["id"], e["hostName"]) for e in listed) == [("new", "Bob"), ("old", "Countess")]
    stored = store.events.get("old")
    assert stored is not None
    assert stored["hostName"] is None, "Event.host reads the profile of an event that carries no name"


def test_an_event_carries_the_name_its_hosts_profile_holds_as_it_is_written(store: GatherStore) -> None:
    created = store.events.create(event_record("first"), ADA_USER)
    assert created["hostName"] == "Ada", "a host who never chose a name: the sign-in's"
    store.users.put(UserRecord(id="ada", displayName="Countess"))
    created = store.events.create(event_record("second"), ADA_USER)  # signed in as "Ada" still
    assert created["hostName"] == "Countess", "the name the host chose, read back from the refused first attempt"
    assert store.events.get("second") == created
    assert store.users.get_many(["ada"]) == {"ada": UserRecord(id="ada", displayName="Countess")}, "name kept"
    raw = store.table.get(event_key("second"))
    assert raw is not None
    assert (raw[HOSTED_PARTITION_KEY], raw[HOSTED_SORT_KEY]) == (
        {"S": hosted_partition_key("ada")},
        {"S": hosted_sort_key("second")},
    ), "in GSI2 under its host, where a rename finds it"


def _batch_get_keys(store: GatherStore) -> list[set[str]]:
    """The partition keys each BatchGetItem of ``store``'s client asks for from now on."""
    keys: list[set[str]] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        keys.append({key["PK"]["S"] for key in params["RequestItems"][store.table_name]["Keys"]})

    store.client.meta.events.register("before-parameter-build.dynamodb.BatchGetItem", record)
    return keys


def test_an_event_stored_before_time_zones_reads_as_utc(store: GatherStore) -> None:
    store.events.create(event_record(), ADA_USER)
    store.client.update_item(
        TableName=store.table_name,
        Key=key_item(event_key("e1")),
        UpdateExpression="REMOVE #timeZone",
        ExpressionAttributeNames={"#timeZone": "timeZone"},
    )
    stored = store.events.get("e1")
    assert stored is not None
    assert stored["timeZone"] == TIME_ZONE_OF_OLDER_EVENTS


def test_many_events_by_id_leave_out_unknown_ids(store: GatherStore) -> None:
    for number in range(3):
        store.events.create(event_record(f"e{number}"), ADA_USER)
    assert sorted(e["id"] for e in store.events.get_many(["e2", "e0", "nope"])) == ["e0", "e2"]


def test_upcoming_pages_in_start_order_and_skip_ended_events(store: GatherStore) -> None:
    starts = ["2030-06-03T10:00:00.000Z", "2030-06-01T10:00:00.000Z", "2030-06-02T10:00:00.000Z"]
    for number, start in enumerate(starts):
        store.events.create(event_record(f"e{number}", startsAt=start, endsAt=start.replace("10:", "11:")), ADA_USER)
    store.events.create(
        event_record("ended", startsAt="2030-05-01T08:00:00.000Z", endsAt="2030-05-01T09:00:00.000Z"), ADA_USER
    )
    first, position = store.events.list_upcoming("2030-04-01T00:00:00.000Z", "2030-05-01T10:00:00.000Z", 2, None)
    assert [e["id"] for e in first] == ["e1", "e2"]
    rest, end = store.events.list_upcoming("2030-04-01T00:00:00.000Z", "2030-05-01T10:00:00.000Z", 2, position)
    assert ([e["id"] for e in rest], end) == (["e0"], None)


def test_an_edit_sets_and_removes_fields_and_moves_the_event_in_the_index(store: GatherStore) -> None:
    store.events.create(event_record(description="About"), ADA_USER)
    moved = "2030-07-01T10:00:00.000Z"
    edited = store.events.update("e1", {"description": None, "startsAt": moved, "capacity": 5}, 1, LATER)
    assert (edited["description"], edited["startsAt"], edited["capacity"]) == (None, moved, 5)
    assert (edited["version"], edited["updatedAt"]) == (2, LATER)
    raw = store.table.get(event_key("e1"))
    assert raw is not None
    assert "description" not in raw
    assert raw[UPCOMING_SORT_KEY] == {"S": upcoming_sort_key(moved, "e1")}
    assert store.events.get("e1") == edited


def test_an_edit_is_refused_on_a_stale_version_a_missing_event_or_too_few_seats(store: GatherStore) -> None:
    store.events.create(event_record(attendeeCount=2, capacity=3), ADA_USER)
    with pytest.raises(VersionConflict):
        store.events.update("e1", {"title": "x"}, 7, LATER)
    with pytest.raises(NotFound):
        store.events.update("missing", {"title": "x"}, 1, LATER)
    with pytest.raises(CapacityBelowAttendance):
        store.events.update("e1", {"capacity": 1}, 1, LATER)
    assert store.events.get("e1") == event_record(attendeeCount=2, capacity=3), "nothing was written"


def test_deleting_returns_the_event_and_leaves_its_partition_to_the_clean_up(store: GatherStore) -> None:
    store.events.create(event_record(), ADA_USER)
    store.seats.add_attendee("e1", ADA_USER, LATER)
    store.comments.add("e1", ADA_USER, "hi", LATER)
    current = store.events.get("e1", consistent=True)
    assert current is not None
    assert store.events.delete(current) == {**event_record(), "attendeeCount": 1}

    def partition() -> list[str]:
        items = store.client.query(
            TableName=store.table_name,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": key_item(event_key("e1"))["PK"]},
        )["Items"]
        return sorted(item["SK"]["S"][:4] for item in items)

    assert partition() == ["COMM", "COMM", "EVEN", "RSVP"]  # details and the rest: the stream consumer's clean-up
    assert store.cleanup.step("e1").done
    assert partition() == []
    with pytest.raises(NotFound):
        store.events.delete(current)
