"""Events: the event item, its details and counts items, and its place in the upcoming-events index.

The event item holds the short fields only an edit changes, and the listing index copies it whole. What every
RSVP and waitlist change rewrites (``EventCountsRecord``) is in the counts item beside it (owned by
``resolvers/store/seats.py``), and the long text only a single event shows (``EventDetailsRecord``) in the
details item: a single event is read with both in one Query, and a write that changes more than one of them
changes them in one transaction. Events stored before the details split hold their description on the event
item; it is read from there until the next edit of it moves it.

The event item also carries its host's display name (``hostName``), written from the host's profile in the
transaction that creates it, and sits in GSI2 under its host, where the stream consumer finds it when the host
chooses a new name (``resolvers/store/host_names.py``): a listing and a single event name their host unread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NoReturn, get_type_hints

from botocore.exceptions import ClientError

from resolvers.errors import Busy, CapacityBelowAttendance, NotFound, VersionConflict
from resolvers.inputs import EventInput
from resolvers.records import EventDetailsRecord, EventRecord, UserRecord
from resolvers.store.attributes import Item, attribute, item_of, record_of
from resolvers.store.core import (
    CONDITION_FAILED,
    ITEM_ABSENT,
    ITEM_EXISTS,
    KEY_NAMES,
    MAX_ATTEMPTS,
    Position,
    Table,
    TransactItem,
    key_item,
    number,
    read_string,
    string,
)
from resolvers.store.seats import COUNT_FIELDS, counts_item, seat_rules_update
from resolvers.store.users import UserStore, user_record
from resolvers.table_definition import (
    EVENT_COUNTS_SORT_KEY,
    EVENT_DETAILS_SORT_KEY,
    EVENT_SORT_KEY,
    HOSTED_PARTITION_KEY,
    HOSTED_SORT_KEY,
    PARTITION_KEY,
    SORT_KEY,
    UPCOMING_INDEX,
    UPCOMING_PARTITION,
    UPCOMING_PARTITION_KEY,
    UPCOMING_SORT_KEY,
    ItemKey,
    event_counts_key,
    event_details_key,
    event_key,
    event_partition_key,
    hosted_partition_key,
    hosted_sort_key,
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


def _event_record(
    item: Mapping[str, Any], details: Mapping[str, Any] | None = None, counts: Mapping[str, Any] | None = None
) -> EventRecord:
    """Only the record's fields: keys and index attributes stay in storage. A details item, where there is one,
    is where the detail fields are (an event stored before the split has them on its own item); the counts come
    from the counts item."""
    if details is not None:
        item = {**{name: value for name, value in item.items() if name not in DETAIL_FIELDS}, **details}
    if counts is not None:
        item = {**item, **{name: value for name, value in counts.items() if name in COUNT_FIELDS}}
    return record_of(EventRecord, item, DEFAULTS_OF_OLDER_EVENTS)


def _event_item(event: Mapping[str, Any]) -> Item:
    static = {name: value for name, value in event.items() if name not in DETAIL_FIELDS | COUNT_FIELDS}
    return {
        **key_item(event_key(event["id"])),
        UPCOMING_PARTITION_KEY: string(UPCOMING_PARTITION),
        UPCOMING_SORT_KEY: string(upcoming_sort_key(event["startsAt"], event["id"])),
        HOSTED_PARTITION_KEY: string(hosted_partition_key(event["hostId"])),
        HOSTED_SORT_KEY: string(hosted_sort_key(event["id"])),
        **item_of(static),
    }


def _details_item(event_id: str, fields: Mapping[str, Any]) -> Item:
    details = {name: fields.get(name) for name in DETAIL_FIELDS}
    return {**key_item(event_details_key(event_id)), **item_of(details)}


class _EventItems:
    """The items of events' partitions found by a read, by event id: event, counts and details items."""

    def __init__(self, items: Iterable[Item]) -> None:
        self.by_sort: dict[str, dict[str, Item]] = {
            sort: {} for sort in (EVENT_SORT_KEY, EVENT_COUNTS_SORT_KEY, EVENT_DETAILS_SORT_KEY)
        }
        prefix = event_partition_key("")
        for item in items:
            found = self.by_sort.get(read_string(item, SORT_KEY))
            if found is not None:
                found[read_string(item, PARTITION_KEY).removeprefix(prefix)] = item

    def record(self, event_id: str, event: Item | None = None, *, details: bool = True) -> EventRecord | None:
        """The event (``event`` its item from elsewhere, such as the listing index), or None where it is gone."""
        event = event or self.by_sort[EVENT_SORT_KEY].get(event_id)
        counts = self.by_sort[EVENT_COUNTS_SORT_KEY].get(event_id)
        if event is None or counts is None:  # deleted (since it was listed)
            return None
        return _event_record(event, self.by_sort[EVENT_DETAILS_SORT_KEY].get(event_id) if details else None, counts)


def _items_of(event_id: str, *, details: bool = False) -> list[ItemKey]:
    """The keys of an event's own items: the event and its counts, and its details if ``details``."""
    keys = [event_key(event_id), event_counts_key(event_id)]
    return [*keys, event_details_key(event_id)] if details else keys


class EventStore:
    def __init__(self, table: Table, users: UserStore) -> None:
        self.table = table
        self.users = users

    def get(self, event_id: str, *, consistent: bool = False, details: bool = True) -> EventRecord | None:
        """The event with its counts and details from one Query (SK begins_with EVENT); ``details=False`` reads
        the event and counts items alone (its detail fields then are None, or an older event's own)."""
        if not details:
            return _EventItems(self.table.batch_get(_items_of(event_id), consistent=consistent)).record(
                event_id, details=False
            )
        items, _ = self.table.query_prefix(event_partition_key(event_id), EVENT_SORT_KEY, None, consistent=consistent)
        return _EventItems(items).record(event_id)

    def get_many(self, event_ids: Iterable[str], *, details: bool = False) -> list[EventRecord]:
        """Events by id, from one BatchGetItem per 100 keys (two or three per event), in no particular order;
        unknown ids are left out. ``details`` reads their details items in the same call."""
        wanted = list(dict.fromkeys(event_ids))
        keys = [key for event_id in wanted for key in _items_of(event_id, details=details)]
        found = _EventItems(self.table.batch_get(keys))
        records = (found.record(event_id, details=details) for event_id in wanted)
        return [record for record in records if record is not None]

    def list_upcoming(
        self, started_after: str, ended_after: str, limit: int, position: Position | None, *, details: bool = False
    ) -> tuple[list[EventRecord], Position | None]:
        """Events that start after ``started_after`` and end after ``ended_after``, by start time, with hosts.

        The index holds the event items whole (``LISTING_PROJECTION``), their hosts' names included; their
        counts come from one BatchGetItem (``details`` adds the details items to it). The filter can drop items
        from a read, so reads continue until the page is full or the index ends.
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

    def _with_hosts(self, listed: list[Item], *, details: bool) -> list[EventRecord]:
        """The listed event items with their counts, read in one BatchGetItem, in listing order; an event deleted
        since the Query is left out. An event stored before events carried their host's name has its host's
        profile read in the same BatchGetItem, and its ``hostName`` from there."""
        prefix = event_partition_key("")
        event_ids = [read_string(item, PARTITION_KEY).removeprefix(prefix) for item in listed]
        host_ids = {read_string(item, "hostId") for item in listed if "hostName" not in item}
        keys = [event_counts_key(event_id) for event_id in event_ids]
        keys += [user_key(host_id) for host_id in sorted(host_ids)]
        if details:
            keys += [event_details_key(event_id) for event_id in event_ids]
        read = self.table.batch_get(keys)
        found = _EventItems(read)
        user_prefix = user_partition_key("")
        users = [user_record(item) for item in read if read_string(item, PARTITION_KEY).startswith(user_prefix)]
        hosts = {user["id"]: user for user in users}
        records: list[EventRecord] = []
        for event_id, item in zip(event_ids, listed, strict=True):
            event = found.record(event_id, item, details=details)
            if event is None:
                continue
            host = hosts.get(event["hostId"])
            if event["hostName"] is None and host is not None:
                event["hostName"] = host["displayName"]
            records.append(event)
        return records

    def create(self, event: EventRecord, host: UserRecord) -> EventRecord:
        """Writes the event, returned as written: its ``hostName`` is the name the host's profile holds as the
        transaction commits, the sign-in's name unless the host chose one (a first attempt refused for that
        reads it back)."""
        name = host["displayName"]
        for _ in range(MAX_ATTEMPTS):
            written: EventRecord = {**event, "hostName": name}
            refused = self.table.transact(
                [
                    self.table.put(_event_item(written), condition=ITEM_ABSENT, names=KEY_NAMES),
                    self.table.put(counts_item(event["id"], event)),
                    self.table.put(_details_item(event["id"], event)),
                    self.users.profile_put(UserRecord(id=host["id"], displayName=name), named_so=True),
                ]
            )
            if refused is None:
                return written
            profile = refused.old_items[3] if len(refused.old_items) > 3 else None
            if refused.failed(0) or not refused.failed(3) or profile is None:
                raise Busy(f"Write refused ({', '.join(refused.codes)}); try again")
            name = user_record(profile)["displayName"]
        raise Busy(f"{host['id']} keeps changing their name; try again")

    def update(self, event_id: str, changes: EventInput, expected_version: int, updated_at: str) -> EventRecord:
        """Applies ``changes`` (None removes a field) only if nobody edited the event since ``expected_version``.

        A change to a detail field rewrites the details item, and one to a field the seats' conditions read
        (capacity, start) the counts item's copy, in the same transaction (a capacity only if it seats everyone
        attending)."""
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
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        condition = f"{ITEM_EXISTS} AND #version = :expected"
        writes = [self.table.update(event_key(event_id), expression, condition=condition, names=names, values=values)]
        if not DETAIL_FIELDS.isdisjoint(changes):
            before: Mapping[str, Any] = self.get(event_id, consistent=True) or {}
            after: Mapping[str, Any] = changes
            details = {name: after[name] if name in after else before.get(name) for name in DETAIL_FIELDS}
            writes.append(self.table.put(_details_item(event_id, details)))
        rules = seat_rules_update(self.table, event_id, changes)
        if rules is not None:
            writes.append(rules)
        if not self._written(writes):
            self._refused(event_id, expected_version)
        written = self.get(event_id, consistent=True)
        if written is None:
            raise NotFound(f"Event {event_id} does not exist")
        return written

    def _written(self, writes: list[TransactItem]) -> bool:
        """Whether the writes' conditions held: one write on its own (half the units of a transaction's), more in
        one transaction."""
        if len(writes) > 1:
            return self.table.transact(writes) is None
        try:
            self.table.client.update_item(**writes[0]["Update"])
        except ClientError as error:
            if error.response["Error"]["Code"] != f"{CONDITION_FAILED}Exception":
                raise
            return False
        return True

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
        """Deletes the event item and its counts item (so no seat can be taken any more): what they leave behind
        (details, RSVPs and seats, waitlist, comments) nothing can reach any more, and the stream consumer
        removes it (``CleanupStore``), however much there is. Returns the event as ``event`` (read just before)
        has it."""
        event_id = event["id"]
        refused = self.table.transact(
            [
                self.table.delete(event_key(event_id), condition=ITEM_EXISTS, names=KEY_NAMES),
                self.table.delete(event_counts_key(event_id)),
            ]
        )
        if refused is not None:
            raise NotFound(f"Event {event_id} does not exist")
        return event
