"""Seats: an RSVP item per attendee and the event's attendeeCount, changed together or not at all."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, TypedDict

from resolvers.errors import AlreadyRsvped, EventFull, NotFound, NotRsvped
from resolvers.records import UserRecord
from resolvers.store.attributes import item_of, record_of
from resolvers.store.core import (
    ITEM_ABSENT,
    ITEM_EXISTS,
    KEY_NAMES,
    Position,
    Table,
    TransactItem,
    key_item,
    number,
    read_string,
)
from resolvers.store.users import UserStore
from resolvers.table_definition import (
    PARTITION_KEY,
    RSVP_SORT_PREFIX,
    SEAT_SORT_PREFIX,
    event_key,
    event_partition_key,
    rsvp_key,
    seat_key,
    user_partition_key,
)

WAITING_COUNT: Final = "waitlistCount"
"""The event item's count of people in its waitlist (``resolvers/store/waitlist.py``)."""
NOBODY_WAITING: Final = "(attribute_not_exists(#waiting) OR #waiting = :nobody)"
"""A condition on the event item: its waitlist is empty (events stored before waitlists have no count)."""
NOBODY_WAITING_NAMES: Final = {"#waiting": WAITING_COUNT}
NOBODY_WAITING_VALUES: Final = {":nobody": number(0)}


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
        """Takes a seat in one transaction: the RSVP exists if and only if the count includes it."""
        refused = self.table.transact(
            [
                *self.seat_puts(event_id, attendee["id"], reserved_at),
                self.table.update(
                    event_key(event_id),
                    "SET #count = #count + :one",
                    # While anyone waits, a free seat is theirs (promoted by the stream consumer), not the next rsvp's.
                    condition=f"{ITEM_EXISTS} AND #count < #capacity AND {NOBODY_WAITING}",
                    names={**KEY_NAMES, "#count": "attendeeCount", "#capacity": "capacity", **NOBODY_WAITING_NAMES},
                    values={":one": number(1), **NOBODY_WAITING_VALUES},
                ),
                self.users.profile_put(attendee),
            ]
        )
        if refused is None:
            return
        if refused.failed(2):
            if self.table.get(event_key(event_id), consistent=True) is None:
                raise NotFound(f"Event {event_id} does not exist")
            if not refused.failed(0):
                raise EventFull(f"Event {event_id} is full")
        raise AlreadyRsvped(f"You already have a seat at event {event_id}")

    def seat_puts(self, event_id: str, user_id: str, reserved_at: str) -> list[TransactItem]:
        """A seat's two items, for a transaction that counts it: the RSVP (refused if the user has one) and the
        user's side."""
        return [
            self.table.put(
                {**key_item(rsvp_key(event_id, user_id)), **item_of(RsvpRecord(userId=user_id, createdAt=reserved_at))},
                condition=ITEM_ABSENT,
                names=KEY_NAMES,
            ),
            self.table.put({**key_item(seat_key(user_id, event_id)), **item_of(SeatRecord(eventId=event_id))}),
        ]

    def remove_attendee(self, event_id: str, user_id: str) -> None:
        refused = self.table.transact(
            [
                self.table.delete(rsvp_key(event_id, user_id), condition=ITEM_EXISTS, names=KEY_NAMES),
                self.table.update(
                    event_key(event_id),
                    "SET #count = #count - :one",
                    condition=ITEM_EXISTS,
                    names={**KEY_NAMES, "#count": "attendeeCount"},
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

    def events_of(self, user_id: str) -> list[str]:
        """The ids of every event the user holds a seat at (some may have been deleted since)."""
        event_ids: list[str] = []
        position = None
        while True:
            items, position = self.table.query_prefix(user_partition_key(user_id), SEAT_SORT_PREFIX, position)
            event_ids.extend(record_of(SeatRecord, item)["eventId"] for item in items)
            if position is None:
                return event_ids
