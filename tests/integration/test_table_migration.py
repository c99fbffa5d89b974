"""Local tables migrate: indexes added to, changed in or removed from the table definition reach an existing
table on DynamoDB Local, one UpdateTable at a time as DynamoDB requires, and its items stay; events stored
before their counts had an item of their own get it."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import pytest

from local_stack.item_migration import split_event_counts
from local_stack.table_migration import migrate_indexes
from local_stack.tables import ensure_table
from resolvers.errors import EventFull
from resolvers.records import UserRecord
from resolvers.store import GatherStore
from resolvers.store.core import key_item
from resolvers.table_definition import GATHER_TABLE, event_counts_key, event_key
from tests.conftest import RunningStack
from tests.unit.conftest import event_record

TAG_INDEX = {
    "IndexName": "ByTag",
    "KeySchema": [
        {"AttributeName": "tag", "KeyType": "HASH"},
        {"AttributeName": "startsAt", "KeyType": "RANGE"},
    ],
    "Projection": {"ProjectionType": "ALL"},
}


@pytest.fixture
def table(local_stack: RunningStack) -> tuple[Any, dict[str, Any]]:
    """A table made from today's definition, holding one tagged item."""
    client = local_stack.stack.dynamodb_client()
    name = f"migrating-{uuid.uuid4().hex[:8]}"
    ensure_table(client, name)
    item = {"PK": {"S": "EVENT#1"}, "SK": {"S": "EVENT"}, "tag": {"S": "music"}, "startsAt": {"S": "2030-01-01"}}
    client.put_item(TableName=name, Item=item)
    return client, GATHER_TABLE.create_table_arguments(name)


def _with_index(arguments: dict[str, Any], index: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(arguments)
    changed["GlobalSecondaryIndexes"].append(index)
    changed["AttributeDefinitions"] += [
        {"AttributeName": "tag", "AttributeType": "S"},
        {"AttributeName": "startsAt", "AttributeType": "S"},
    ]
    return changed


def _indexes(client: Any, name: str) -> dict[str, dict[str, Any]]:
    table = client.describe_table(TableName=name)["Table"]
    return {index["IndexName"]: index for index in table.get("GlobalSecondaryIndexes", [])}


def test_an_added_index_is_created_on_the_table_and_serves_its_items(table: tuple[Any, dict[str, Any]]) -> None:
    client, arguments = table
    name = arguments["TableName"]
    assert migrate_indexes(client, arguments) == []

    changes = migrate_indexes(client, _with_index(arguments, TAG_INDEX))

    assert changes == [f"table {name}: created index ByTag (tag, startsAt; projection ALL), items kept"]
    assert _indexes(client, name)["ByTag"]["IndexStatus"] == "ACTIVE"
    found = client.query(
        TableName=name,
        IndexName="ByTag",
        KeyConditionExpression="tag = :tag",
        ExpressionAttributeValues={":tag": {"S": "music"}},
    )
    assert [item["PK"]["S"] for item in found["Items"]] == ["EVENT#1"]
    assert migrate_indexes(client, _with_index(arguments, TAG_INDEX)) == []


def test_a_changed_projection_replaces_the_index_and_a_removed_one_is_deleted(
    table: tuple[Any, dict[str, Any]],
) -> None:
    client, arguments = table
    name = arguments["TableName"]
    migrate_indexes(client, _with_index(arguments, TAG_INDEX))
    keys_only = {**TAG_INDEX, "Projection": {"ProjectionType": "KEYS_ONLY"}}

    changes = migrate_indexes(client, _with_index(arguments, keys_only))

    assert changes == [f"table {name}: replaced index ByTag (tag, startsAt; projection KEYS_ONLY), items kept"]
    assert _indexes(client, name)["ByTag"]["Projection"]["ProjectionType"] == "KEYS_ONLY"

    assert migrate_indexes(client, arguments) == [f"table {name}: deleted index ByTag"]
    assert set(_indexes(client, name)) == {index["IndexName"] for index in arguments["GlobalSecondaryIndexes"]}
    assert client.get_item(TableName=name, Key={"PK": {"S": "EVENT#1"}, "SK": {"S": "EVENT"}})["Item"]["tag"] == {
        "S": "music"
    }


def test_a_listing_index_that_copied_the_listing_query_alone_is_widened_to_the_event_items(
    local_stack: RunningStack,
) -> None:
    """Tables made while the event item held the counts project endsAt and hostId alone; gather dev replaces the
    listing index, items kept, so a listing reads the events' own fields from it."""
    client = local_stack.stack.dynamodb_client()
    arguments = GATHER_TABLE.create_table_arguments(f"widening-{uuid.uuid4().hex[:8]}")
    name = arguments["TableName"]
    before = copy.deepcopy(arguments)
    for index in before["GlobalSecondaryIndexes"]:
        if index["IndexName"] == "GSI1":  # the listing index as it was; the others as they are
            index["Projection"] = {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["endsAt", "hostId"]}
    client.create_table(**before)
    item = {"PK": {"S": "EVENT#1"}, "SK": {"S": "EVENT"}, "GSI1PK": {"S": "EVENTS"}, "GSI1SK": {"S": "2030#1"}}
    client.put_item(TableName=name, Item={**item, "endsAt": {"S": "2030"}, "title": {"S": "Tea"}})

    (change,) = migrate_indexes(client, arguments)

    assert change == f"table {name}: replaced index GSI1 (GSI1PK, GSI1SK; projection ALL), items kept"
    (listed,) = client.query(
        TableName=name,
        IndexName="GSI1",
        KeyConditionExpression="GSI1PK = :events",
        ExpressionAttributeValues={":events": {"S": "EVENTS"}},
    )["Items"]
    assert listed == {**item, "endsAt": {"S": "2030"}, "title": {"S": "Tea"}}, "the event item whole"


def test_events_stored_with_their_counts_on_the_event_item_are_listed_and_seated_after_the_move(
    local_stack: RunningStack,
) -> None:
    """What gather dev does at start to a data directory of an older release, on DynamoDB Local."""
    client = local_stack.stack.dynamodb_client()
    name = f"counts-{uuid.uuid4().hex[:8]}"
    ensure_table(client, name)
    store = GatherStore(name, client)
    host = UserRecord(id="host", displayName="Host")
    event = event_record("older", title="Tea", attendeeCount=1, hostId="host", hostName="Host")
    store.events.create(event, host)
    client.delete_item(TableName=name, Key=key_item(event_counts_key("older")))  # the layout of an older release
    client.update_item(
        TableName=name,
        Key=key_item(event_key("older")),
        UpdateExpression="SET attendeeCount = :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
    )
    assert store.events.list_upcoming("2030-01-01", "2030-01-01", 10, None)[0] == []

    assert split_event_counts(client, name) == 1

    (listed,), _ = store.events.list_upcoming("2030-01-01", "2030-01-01", 10, None)
    assert (listed["id"], listed["attendeeCount"], listed["waitlistCount"]) == ("older", 1, 0)
    store.seats.add_attendee("older", host, "2030-05-02T12:00:00.000Z")
    with pytest.raises(EventFull):
        store.seats.add_attendee("older", UserRecord(id="late", displayName="Late"), "2030-05-02T12:00:00.000Z")
    client.delete_table(TableName=name)
