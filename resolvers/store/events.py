"""Events: the event item (kept small: its own fields only) and its place in the upcoming-events index."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from botocore.exceptions import ClientError

from resolvers.errors import Busy, CapacityBelowAttendance, NotFound, VersionConflict
from resolvers.inputs import EventInput
from resolvers.records import EventRecord, UserRecord
from resolvers.store.attributes import Item, attribute, item_of, record_of
from resolvers.store.core import ITEM_ABSENT, ITEM_EXISTS, KEY_NAMES, Position, Table, key_item, number, string
from resolvers.store.users import UserStore
from resolvers.table_definition import (
    UPCOMING_INDEX,
    UPCOMING_PARTITION,
    UPCOMING_PARTITION_KEY,
    UPCOMING_SORT_KEY,
    event_key,
    upcoming_sort_key,
)

TIME_ZONE_OF_OLDER_EVENTS = "UTC"
"""Events stored before they had a time zone."""
DEFAULTS_OF_OLDER_EVENTS = {"timeZone": TIME_ZONE_OF_OLDER_EVENTS, "waitlistCount": 0}
"""What events stored before a field existed stand for: UTC, and nobody waiting."""


def _event_record(item: Mapping[str, Any]) -> EventRecord:
    """Only the record's fields: keys and index attributes stay in storage."""
    return record_of(EventRecord, item, DEFAULTS_OF_OLDER_EVENTS)


def _event_item(event: EventRecord) -> Item:
    return {
        **key_item(event_key(event["id"])),
        UPCOMING_PARTITION_KEY: string(UPCOMING_PARTITION),
        UPCOMING_SORT_KEY: string(upcoming_sort_key(event["startsAt"], event["id"])),
        **item_of(event),
    }


class EventStore:
    def __init__(self, table: Table, users: UserStore) -> None:
        self.table = table
        self.users = users

    def get(self, event_id: str, *, consistent: bool = False) -> EventRecord | None:
        item = self.table.get(event_key(event_id), consistent=consistent)
        return _event_record(item) if item else None

    def get_many(self, event_ids: Iterable[str]) -> list[EventRecord]:
        """Events by id, from one BatchGetItem per 100 ids, in no particular order; unknown ids are left out."""
        return [_event_record(item) for item in self.table.batch_get(event_key(event_id) for event_id in event_ids)]

    def list_upcoming(
        self, started_after: str, ended_after: str, limit: int, position: Position | None
    ) -> tuple[list[EventRecord], Position | None]:
        """Events that start after ``started_after`` and end after ``ended_after``, by start time.

        The filter can drop items from a read, so reads continue until the page is full or the index ends.
        """
        events: list[EventRecord] = []
        while True:
            items, position = self.table.query_page(
                position,
                IndexName=UPCOMING_INDEX,
                KeyConditionExpression="#pk = :pk AND #sk >= :after",
                FilterExpression="#endsAt > :ended",
                ExpressionAttributeNames={
                    "#pk": UPCOMING_PARTITION_KEY,
                    "#sk": UPCOMING_SORT_KEY,
                    "#endsAt": "endsAt",
                },
                ExpressionAttributeValues={
                    ":pk": string(UPCOMING_PARTITION),
                    ":after": string(started_after),
                    ":ended": string(ended_after),
                },
                Limit=limit - len(events),
            )
            events.extend(_event_record(item) for item in items)
            if position is None or len(events) >= limit:
                return events, position

    def create(self, event: EventRecord, host: UserRecord) -> None:
        refused = self.table.transact(
            [
                self.table.put(_event_item(event), condition=ITEM_ABSENT, names=KEY_NAMES),
                self.users.profile_put(host),
            ]
        )
        if refused is not None:
            raise Busy(f"Write refused ({', '.join(refused.codes)}); try again")

    def update(self, event_id: str, changes: EventInput, expected_version: int, updated_at: str) -> EventRecord:
        """Applies ``changes`` (None removes a field) only if nobody edited the event since ``expected_version``."""
        names: dict[str, str] = {**KEY_NAMES, "#version": "version", "#updatedAt": "updatedAt"}
        values: dict[str, Any] = {
            ":expected": number(expected_version),
            ":one": number(1),
            ":updatedAt": string(updated_at),
        }
        sets = ["#version = #version + :one", "#updatedAt = :updatedAt"]
        removes = []
        for index, (field, value) in enumerate(sorted(changes.items())):
            names[f"#f{index}"] = field
            if value is None:
                removes.append(f"#f{index}")
            else:
                values[f":f{index}"] = attribute(value)
                sets.append(f"#f{index} = :f{index}")
        starts_at = changes.get("startsAt")
        if starts_at is not None:
            names["#upcoming"] = UPCOMING_SORT_KEY
            values[":upcoming"] = string(upcoming_sort_key(starts_at, event_id))
            sets.append("#upcoming = :upcoming")
        condition = f"{ITEM_EXISTS} AND #version = :expected"
        capacity = changes.get("capacity")
        if capacity is not None:
            names["#attendeeCount"] = "attendeeCount"
            values[":capacity"] = number(capacity)
            condition += " AND #attendeeCount <= :capacity"
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        try:
            response = self.table.client.update_item(
                TableName=self.table.name,
                Key=key_item(event_key(event_id)),
                UpdateExpression=expression,
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            current = self.get(event_id, consistent=True)
            if current is None:
                raise NotFound(f"Event {event_id} does not exist") from None
            if current["version"] != expected_version:
                raise VersionConflict(
                    f"Event {event_id} is at version {current['version']}, not {expected_version}; reload it"
                ) from None
            raise CapacityBelowAttendance(
                f"capacity cannot drop below the {current['attendeeCount']} people already attending"
            ) from None
        return _event_record(response["Attributes"])

    def delete(self, event_id: str) -> EventRecord:
        """Deletes the event item alone: what it leaves behind (RSVPs and seats, waitlist, comments) nothing can
        reach any more, and the stream consumer removes it (``CleanupStore``), however much there is."""
        try:
            response = self.table.client.delete_item(
                TableName=self.table.name,
                Key=key_item(event_key(event_id)),
                ConditionExpression=ITEM_EXISTS,
                ExpressionAttributeNames=KEY_NAMES,
                ReturnValues="ALL_OLD",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise NotFound(f"Event {event_id} does not exist") from None
            raise
        return _event_record(response["Attributes"])
