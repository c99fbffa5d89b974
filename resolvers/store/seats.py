"""Seats: an RSVP item per attendee and the event's attendeeCount, changed together or not at all.

The counts live in the event's counts item (``event_counts_key``), not in the event item: every RSVP,
cancellation and waitlist change rewrites them, so they are kept to a few hundred bytes and out of the listing
index, which copies the event item whole. Beside the counts it holds copies of what the seat transactions'
conditions read (``SEAT_RULE_FIELDS``: capacity, and the start the seats are written under), written in the
same transaction as the event item by every write that sets them, so the copies never disagree.

Each RSVP has a seat item in the user's partition, which carries the event's start in the seats index
(``SEATS_INDEX``), so a user's upcoming seats are one Query by start time, however many they ever held.
A seat is written only while the event starts when its seat says (a condition of the RSVP's transaction);
when an event's start changes, the stream consumer moves its seats to the new start a page at a time
(``move_step``), each page started by the rewrite of a marker item, as the clean-up of a deleted event is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypedDict, get_type_hints

from botocore.exceptions import ClientError

from resolvers.errors import AlreadyRsvped, Busy, EventFull, NotFound, NotRsvped
from resolvers.records import EventCountsRecord, UserRecord
from resolvers.store.attributes import Item, item_of, record_of
from resolvers.store.core import (
    CONDITION_FAILED,
    ITEM_ABSENT,
    ITEM_EXISTS,
    KEY_NAMES,
    MAX_ATTEMPTS,
    Cancellation,
    Position,
    Table,
    TransactItem,
    key_item,
    number,
    read_string,
    string,
)
from resolvers.store.users import UserStore
from resolvers.table_definition import (
    PARTITION_KEY,
    RSVP_SORT_PREFIX,
    SEAT_SORT_PREFIX,
    SEATS_INDEX,
    SEATS_PARTITION_KEY,
    SEATS_SORT_KEY,
    SORT_KEY,
    event_counts_key,
    event_partition_key,
    rsvp_key,
    seat_key,
    seat_move_key,
    upcoming_sort_key,
    user_partition_key,
)

COUNT_FIELDS: Final = frozenset(get_type_hints(EventCountsRecord))
"""Stored in the event's counts item, not in the event item."""
SEAT_RULE_FIELDS: Final = ("capacity", "startsAt")
"""The event's own fields the seat transactions' conditions read, copied onto its counts item."""
ATTENDEE_COUNT: Final = "attendeeCount"
WAITING_COUNT: Final = "waitlistCount"
"""The counts item's count of people in the event's waitlist (``resolvers/store/waitlist.py``)."""
NOBODY_WAITING: Final = "(attribute_not_exists(#waiting) OR #waiting = :nobody)"
"""A condition on the counts item: the waitlist is empty (events stored before waitlists have no count)."""
NOBODY_WAITING_NAMES: Final = {"#waiting": WAITING_COUNT}
NOBODY_WAITING_VALUES: Final = {":nobody": number(0)}

SAME_START: Final = "#startsAt = :startsAt"
"""A condition on the counts item: the event starts when the seat items written with it say."""
SAME_START_NAMES: Final = {"#startsAt": "startsAt"}


def same_start_values(starts_at: str) -> dict[str, dict[str, str]]:
    return {":startsAt": string(starts_at)}


def counts_item(event_id: str, event: Mapping[str, Any]) -> Item:
    """A new event's counts item: its counts, and copies of the fields the seats' conditions read."""
    fields = {name: event[name] for name in (*sorted(COUNT_FIELDS), *SEAT_RULE_FIELDS)}
    return {**key_item(event_counts_key(event_id)), **item_of(fields)}


def seat_rules_update(table: Table, event_id: str, changes: Mapping[str, Any]) -> TransactItem | None:
    """For an edit's transaction: the counts item's copies of the changed fields its conditions read (a capacity
    only if no more people attend than it seats), or None when the edit changes none of them."""
    changed = {name: changes[name] for name in SEAT_RULE_FIELDS if changes.get(name) is not None}
    if not changed:
        return None
    names = {**KEY_NAMES, **{f"#{name}": name for name in changed}}
    values = {f":{name}": value for name, value in item_of(changed).items()}
    condition = ITEM_EXISTS
    if "capacity" in changed:
        names["#count"] = ATTENDEE_COUNT
        condition += " AND #count <= :capacity"
    expression = "SET " + ", ".join(f"#{name} = :{name}" for name in changed)
    return table.update(event_counts_key(event_id), expression, condition=condition, names=names, values=values)


SEAT_MOVE_PAGE = 200
"""Seats moved per step when an event's start changes: one UpdateItem each, a few seconds at most."""


class RsvpRecord(TypedDict):
    """An RSVP's own fields, beside the event."""

    userId: str
    createdAt: str


class SeatRecord(TypedDict):
    """The user's side of an RSVP, beside the user."""

    eventId: str


class SeatStore:
    def __init__(self, table: Table, users: UserStore) -> None:
        self.table = table
        self.users = users

    def add_attendee(self, event_id: str, attendee: UserRecord, reserved_at: str) -> None:
        """Takes a seat in one transaction: the RSVP exists if and only if the count includes it, and the seat
        carries the event's start as it is when the seat is taken."""
        starts_at = self._starts_at(event_id, consistent=False)
        for _ in range(MAX_ATTEMPTS):
            refused = self._take_seat(event_id, attendee, reserved_at, starts_at)
            if refused is None:
                return
            if refused.failed(2):
                current = self._starts_at(event_id, consistent=True)
                if current != starts_at:  # the start changed since it was read: take the seat at the new one
                    starts_at = current
                    continue
                if not refused.failed(0):
                    raise EventFull(f"Event {event_id} is full")
            raise AlreadyRsvped(f"You already have a seat at event {event_id}")
        raise Busy(f"Event {event_id} keeps changing its start; try again")

    def _starts_at(self, event_id: str, *, consistent: bool) -> str:
        item = self.table.get(event_counts_key(event_id), consistent=consistent)
        if item is None:
            raise NotFound(f"Event {event_id} does not exist")
        return read_string(item, "startsAt")

    def _take_seat(self, event_id: str, attendee: UserRecord, reserved_at: str, starts_at: str) -> Cancellation | None:
        return self.table.transact(
            [
                *self.seat_puts(event_id, attendee["id"], reserved_at, starts_at),
                self.table.update(
                    event_counts_key(event_id),
                    "SET #count = #count + :one",
                    # While anyone waits, a free seat is theirs (promoted by the stream consumer), not the next rsvp's.
                    condition=f"{ITEM_EXISTS} AND #count < #capacity AND {NOBODY_WAITING} AND {SAME_START}",
                    names={
                        **KEY_NAMES,
                        "#count": ATTENDEE_COUNT,
                        "#capacity": "capacity",
                        **NOBODY_WAITING_NAMES,
                        **SAME_START_NAMES,
                    },
                    values={":one": number(1), **NOBODY_WAITING_VALUES, **same_start_values(starts_at)},
                ),
                self.users.profile_put(attendee),
            ]
        )

    def seat_puts(self, event_id: str, user_id: str, reserved_at: str, starts_at: str) -> list[TransactItem]:
        """A seat's two items, for a transaction that counts it: the RSVP (refused if the user has one) and the
        user's side, under the event's start (the transaction must hold the event to it: ``SAME_START``)."""
        return [
            self.table.put(
                {**key_item(rsvp_key(event_id, user_id)), **item_of(RsvpRecord(userId=user_id, createdAt=reserved_at))},
                condition=ITEM_ABSENT,
                names=KEY_NAMES,
            ),
            self.table.put(seat_item(user_id, event_id, starts_at)),
        ]

    def remove_attendee(self, event_id: str, user_id: str) -> None:
        refused = self.table.transact(
            [
                self.table.delete(rsvp_key(event_id, user_id), condition=ITEM_EXISTS, names=KEY_NAMES),
                self.table.update(
                    event_counts_key(event_id),
                    "SET #count = #count - :one",
                    condition=ITEM_EXISTS,
                    names={**KEY_NAMES, "#count": ATTENDEE_COUNT},
                    values={":one": number(1)},
                ),
                self.table.delete(seat_key(user_id, event_id)),
            ]
        )
        if refused is None:
            return
        if refused.failed(1):
            raise NotFound(f"Event {event_id} does not exist")
        raise NotRsvped(f"You have no seat at event {event_id} to cancel")

    def held(self, user_id: str, event_ids: Iterable[str]) -> set[str]:
        """Which of these events the user holds a seat at: one BatchGetItem per 100 events."""
        items = self.table.batch_get(rsvp_key(event_id, user_id) for event_id in event_ids)
        prefix = event_partition_key("")
        return {read_string(item, PARTITION_KEY).removeprefix(prefix) for item in items}

    def attendees(self, event_id: str, limit: int, position: Position | None) -> tuple[list[str], Position | None]:
        """The ids of the users holding a seat at the event, a page at a time (in the order of their ids)."""
        items, last = self.table.query_prefix(event_partition_key(event_id), RSVP_SORT_PREFIX, position, limit=limit)
        return [record_of(RsvpRecord, item)["userId"] for item in items], last

    def upcoming_of(
        self, user_id: str, started_after: str, limit: int, position: Position | None
    ) -> tuple[list[str], Position | None]:
        """One page of the ids of the events the user holds a seat at that start after ``started_after``, by
        start time (some may have ended or been deleted since)."""
        items, last = self.table.query_page(
            position,
            IndexName=SEATS_INDEX,
            KeyConditionExpression="#pk = :pk AND #sk >= :after",
            ExpressionAttributeNames={"#pk": SEATS_PARTITION_KEY, "#sk": SEATS_SORT_KEY},
            ExpressionAttributeValues={":pk": string(user_partition_key(user_id)), ":after": string(started_after)},
            Limit=limit,
        )
        return [read_string(item, SORT_KEY).removeprefix(SEAT_SORT_PREFIX) for item in items], last

    def move_step(self, event_id: str, after: str | None = None) -> SeatMoveStep:
        """Gives the next page of the event's seats the event's current start; marks the event for the next
        step while more remain. Reading the start at every step makes a later change win, however the steps of
        two changes interleave; a seat cancelled meanwhile is left alone (the update needs it to exist)."""
        event = self.table.get(event_counts_key(event_id), consistent=True)
        if event is None:  # deleted: the clean-up removes the seats
            self.table.batch_delete([seat_move_key(event_id)])
            return SeatMoveStep(event_id, 0, done=True)
        starts_at = read_string(event, "startsAt")
        position = None if after is None else rsvp_key(event_id, after).attributes()
        items, more = self.table.query_prefix(
            event_partition_key(event_id), RSVP_SORT_PREFIX, position, limit=SEAT_MOVE_PAGE, consistent=True
        )
        for item in items:
            self._move_seat(read_string(item, "userId"), event_id, starts_at)
        if more is None:
            self.table.batch_delete([seat_move_key(event_id)])
            return SeatMoveStep(event_id, len(items), done=True)
        last_user = more[SORT_KEY].removeprefix(RSVP_SORT_PREFIX)
        marker = {**key_item(seat_move_key(event_id)), "eventId": string(event_id), "after": string(last_user)}
        self.table.client.put_item(TableName=self.table.name, Item=marker)
        return SeatMoveStep(event_id, len(items), done=False)

    def _move_seat(self, user_id: str, event_id: str, starts_at: str) -> None:
        try:
            self.table.client.update_item(
                TableName=self.table.name,
                Key=key_item(seat_key(user_id, event_id)),
                UpdateExpression="SET #sk = :sk",
                ConditionExpression=ITEM_EXISTS,
                ExpressionAttributeNames={**KEY_NAMES, "#sk": SEATS_SORT_KEY},
                ExpressionAttributeValues={":sk": string(upcoming_sort_key(starts_at, event_id))},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != f"{CONDITION_FAILED}Exception":
                raise


def seat_item(user_id: str, event_id: str, starts_at: str) -> Item:
    """The user's side of an RSVP, in the seats index under the event's start."""
    return {
        **key_item(seat_key(user_id, event_id)),
        SEATS_PARTITION_KEY: string(user_partition_key(user_id)),
        SEATS_SORT_KEY: string(upcoming_sort_key(starts_at, event_id)),
        **item_of(SeatRecord(eventId=event_id)),
    }


@dataclass(frozen=True)
class SeatMoveStep:
    event_id: str
    moved: int
    """Seat items given the event's current start by this step."""
    done: bool
