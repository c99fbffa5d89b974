"""Events: the event item, its details item, and their place in the upcoming-events index.

The event item holds the short fields and attendeeCount: every RSVP rewrites it and every listing reads it,
so it stays near 1 KB. The long text only a single event shows (``EventDetailsRecord``) is in the details item
beside it, read with it in one Query where a single event is read and written with it in one transaction.
Events stored before the split hold their description on the event item; it is read from there until the
next edit of it moves it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NoReturn, get_type_hints

from botocore.exceptions import ClientError

from resolvers.errors import Busy, CapacityBelowAttendance, NotFound, VersionConflict
from resolvers.inputs import EventInput
from resolvers.records import EventDetailsRecord, EventRecord, ListedEventRecord, UserRecord
from resolvers.store.attributes import Item, attribute, item_of, record_of
from resolvers.store.core import (
    ITEM_ABSENT,
    ITEM_EXISTS,
    KEY_NAMES,
    Position,
    Table,
    key_item,
    number,
    read_string,
    string,
)
from resolvers.store.users import UserStore, user_record
from resolvers.table_definition import (
    EVENT_DETAILS_SORT_KEY,
    EVENT_SORT_KEY,
    PARTITION_KEY,
    SORT_KEY,
    UPCOMING_INDEX,
    UPCOMING_PARTITION,
    UPCOMING_PARTITION_KEY,
    UPCOMING_SORT_KEY,
    event_details_key,
    event_key,
    event_partition_key,
    upcoming_sort_key,
    user_key,
    user_partition_key,
)

TIME_ZONE_OF_OLDER_EVENTS = "UTC"
"""Events stored before they had a time zone."""
DEFAULTS_OF_OLDER_EVENTS = {"timeZone": TIME_ZONE_OF_OLDER_EVENTS, "waitlistCount": 0}
"""What events stored before a field existed stand for: UTC, and nobody waiting."""


DETAIL_FIELDS = frozenset(get_type_hints(EventDetailsRecord))
"""Stored in the details item, not in the event item."""


def _event_record(item: Mapping[str, Any], details: Mapping[str, Any] | None = None) -> EventRecord:
    """Only the record's fields: keys and index attributes stay in storage. A details item, where there is one,
    is where the detail fields are (an event stored before the split has them on its own item)."""
    if details is not None:
        item = {**{name: value for name, value in item.items() if name not in DETAIL_FIELDS}, **details}
    return record_of(EventRecord, item, DEFAULTS_OF_OLDER_EVENTS)


def _event_item(event: EventRecord) -> Item:
    short = {name: value for name, value in event.items() if name not in DETAIL_FIELDS}
    return {
        **key_item(event_key(event["id"])),
        UPCOMING_PARTITION_KEY: string(UPCOMING_PARTITION),
        UPCOMING_SORT_KEY: string(upcoming_sort_key(event["startsAt"], event["id"])),
        **item_of(short),
    }


def _details_item(event_id: str, fields: Mapping[str, Any]) -> Item:
    details = {name: fields.get(name) for name in DETAIL_FIELDS}
    return {**key_item(event_details_key(event_id)), **item_of(details)}


def _by_event(items: Iterable[Item]) -> tuple[dict[str, Item], dict[str, Item]]:
    """Event items and details items by event id."""
    events: dict[str, Item] = {}
    details: dict[str, Item] = {}
    prefix = event_partition_key("")
    for item in items:
        sort = read_string(item, SORT_KEY)
        event_id = read_string(item, PARTITION_KEY).removeprefix(prefix)
        if sort == EVENT_SORT_KEY:
            events[event_id] = item
        elif sort == EVENT_DETAILS_SORT_KEY:
            details[event_id] = item
    return events, details


class EventStore:
    def __init__(self, table: Table, users: UserStore) -> None:
        self.table = table
        self.users = users

    def get(self, event_id: str, *, consistent: bool = False, details: bool = True) -> EventRecord | None:
        """The event with its details from one Query (SK begins_with EVENT); ``details=False`` reads the event
        item alone (its detail fields then are None, or an older event's own)."""
        if not details:
            item = self.table.get(event_key(event_id), consistent=consistent)
            return _event_record(item) if item else None
        items, _ = self.table.query_prefix(event_partition_key(event_id), EVENT_SORT_KEY, None, consistent=consistent)
        events, found = _by_event(items)
        item = events.get(event_id)
        return _event_record(item, found.get(event_id)) if item else None

    def get_many(self, event_ids: Iterable[str], *, details: bool = False) -> list[EventRecord]:
        """Events by id, from one BatchGetItem per 100 keys, in no particular order; unknown ids are left out.
        ``details`` reads their details items in the same call."""
        wanted = list(dict.fromkeys(event_ids))
        keys = [event_key(event_id) for event_id in wanted]
        if details:
            keys += [event_details_key(event_id) for event_id in wanted]
        events, found = _by_event(self.table.batch_get(keys))
        return [_event_record(item, found.get(event_id) if details else None) for event_id, item in events.items()]

    def list_upcoming(
        self, started_after: str, ended_after: str, limit: int, position: Position | None, *, details: bool = False
    ) -> tuple[list[ListedEventRecord], Position | None]:
        """Events that start after ``started_after`` and end after ``ended_after``, by start time, with hosts.

        The index holds what its Query needs (``LISTING_PROJECTION``); the events' own items, with their counts,
        and their hosts come from one BatchGetItem (``details`` adds the details items to it). The filter can
        drop items from a read, so reads continue until the page is full or the index ends.
        """
        listed: list[Item] = []
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
                Limit=limit - len(listed),
            )
            listed.extend(items)
            if position is None or len(listed) >= limit:
                return self._with_hosts(listed, details=details), position

    def _with_hosts(self, listed: list[Item], *, details: bool) -> list[ListedEventRecord]:
        """The listed events' own items and their hosts' profiles, in one BatchGetItem, in listing order;
        an event deleted since the Query is left out."""
        event_ids = [read_string(item, PARTITION_KEY).removeprefix(event_partition_key("")) for item in listed]
        host_ids = {read_string(item, "hostId") for item in listed}
        keys = [event_key(event_id) for event_id in event_ids] + [user_key(host_id) for host_id in sorted(host_ids)]
        if details:
            keys += [event_details_key(event_id) for event_id in event_ids]
        found = self.table.batch_get(keys)
        events, found_details = _by_event(found)
        user_prefix = user_partition_key("")
        users = [user_record(item) for item in found if read_string(item, PARTITION_KEY).startswith(user_prefix)]
        hosts = {user["id"]: user for user in users}
        records: list[ListedEventRecord] = []
        for event_id in event_ids:
            if event_id not in events:
                continue
            event = _event_record(events[event_id], found_details.get(event_id) if details else None)
            records.append(ListedEventRecord(**event, host=hosts.get(event["hostId"])))
        return records

    def create(self, event: EventRecord, host: UserRecord) -> None:
        refused = self.table.transact(
            [
                self.table.put(_event_item(event), condition=ITEM_ABSENT, names=KEY_NAMES),
                self.table.put(_details_item(event["id"], event)),
                self.users.profile_put(host),
            ]
        )
        if refused is not None:
            raise Busy(f"Write refused ({', '.join(refused.codes)}); try again")

    def update(self, event_id: str, changes: EventInput, expected_version: int, updated_at: str) -> EventRecord:
        """Applies ``changes`` (None removes a field) only if nobody edited the event since ``expected_version``.

        A change to a detail field rewrites the details item in the same transaction (and takes the field off
        the event item, where an event stored before the split had it)."""
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
            if value is None or field in DETAIL_FIELDS:
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
        if DETAIL_FIELDS.isdisjoint(changes):
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
                self._refused(event_id, expected_version)
            return _event_record(response["Attributes"])
        current = self.get(event_id, consistent=True)
        before: Mapping[str, Any] = current or {}
        after: Mapping[str, Any] = changes
        details = {name: after[name] if name in after else before.get(name) for name in DETAIL_FIELDS}
        refused = self.table.transact(
            [
                self.table.update(event_key(event_id), expression, condition=condition, names=names, values=values),
                self.table.put(_details_item(event_id, details)),
            ]
        )
        if refused is not None:
            self._refused(event_id, expected_version)
        written = self.get(event_id, consistent=True)
        if written is None:
            raise NotFound(f"Event {event_id} does not exist")
        return written

    def _refused(self, event_id: str, expected_version: int) -> NoReturn:
        """Why an edit's condition failed, as the error a client can act on."""
        current = self.get(event_id, consistent=True, details=False)
        if current is None:
            raise NotFound(f"Event {event_id} does not exist") from None
        if current["version"] != expected_version:
            raise VersionConflict(
                f"Event {event_id} is at version {current['version']}, not {expected_version}; reload it"
            ) from None
        raise CapacityBelowAttendance(
            f"capacity cannot drop below the {current['attendeeCount']} people already attending"
        ) from None

    def delete(self, event: EventRecord) -> EventRecord:
        """Deletes the event item alone: what it leaves behind (details, RSVPs and seats, waitlist, comments)
        nothing can reach any more, and the stream consumer removes it (``CleanupStore``), however much there is.
        Returns the event as it was, its detail fields as ``event`` (read with them) has them."""
        event_id = event["id"]
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
        return _event_record(
            response["Attributes"], item_of({name: value for name, value in event.items() if name in DETAIL_FIELDS})
        )
