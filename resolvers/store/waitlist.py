"""Waitlists: a line of places per event, kept in the event's partition, changed only in transactions.

A place is two items: ``WAIT#<ticket>`` (the line, in ticket order) and ``WAITER#<userId>`` (whether and with
which ticket a user waits, one GetItem away). The event's counts item holds ``waitlistCount`` and the last
ticket issued. Joining takes the next ticket only if nobody took it meanwhile, so tickets follow the order in which
joins commit; leaving and promotion delete both items and lower the count in the same transaction, so the
count is always the length of the line. A promotion also writes the seat (RSVP and the user's seat item)
and raises ``attendeeCount``, on condition that the seats are still free and each place still exists: a
place is promoted once, in order, and never past capacity, whatever runs at the same time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final, TypedDict

from resolvers.errors import AlreadyAttending, AlreadyWaiting, EventNotFull, NotFound, NotWaiting
from resolvers.records import UserRecord
from resolvers.store.attributes import item_of, record_of
from resolvers.store.core import (
    ITEM_ABSENT,
    ITEM_EXISTS,
    KEY_NAMES,
    TRANSACTION_MAX_ITEMS,
    Table,
    TransactItem,
    backoff,
    key_item,
    number,
    read_string,
    until_written,
)
from resolvers.store.seats import (
    ATTENDEE_COUNT,
    NOBODY_WAITING_NAMES,
    NOBODY_WAITING_VALUES,
    SAME_START,
    SAME_START_NAMES,
    WAITING_COUNT,
    SeatStore,
    same_start_values,
)
from resolvers.store.users import UserStore
from resolvers.table_definition import (
    PARTITION_KEY,
    WAIT_SORT_PREFIX,
    event_counts_key,
    event_partition_key,
    rsvp_key,
    wait_key,
    waiter_key,
)

TICKET_COUNTER: Final = "waitlistTicket"
"""The last ticket issued for the event (storage only: the counts item holds it, no record does)."""
WRITES_PER_PROMOTION: Final = 4
"""The place's two items deleted, the RSVP and the user's seat item written."""
PROMOTIONS_PER_TRANSACTION: Final = (TRANSACTION_MAX_ITEMS - 1) // WRITES_PER_PROMOTION
"""As many places as one transaction holds beside the counts item's update."""
JOIN_ATTEMPTS: Final = 20
"""Joins to one event race for its next ticket; each lost race is retried from a fresh read."""


class PlaceRecord(TypedDict):
    """A place in line (``WAIT#<ticket>``)."""

    userId: str
    ticket: int
    joinedAt: str


class WaiterRecord(TypedDict):
    """The waiting user's side of a place (``WAITER#<userId>``)."""

    ticket: int


class WaitlistStore:
    def __init__(self, table: Table, users: UserStore, seats: SeatStore) -> None:
        self.table = table
        self.users = users
        self.seats = seats

    def join(self, event_id: str, user: UserRecord, joined_at: str) -> int:
        """Takes the next place in the event's line; returns its ticket."""
        return until_written(
            lambda: self._try_join(event_id, user, joined_at),
            "Too many people joining the waitlist at once; try again",
            attempts=JOIN_ATTEMPTS,
        )

    def _try_join(self, event_id: str, user: UserRecord, joined_at: str) -> int | None:
        counts = self.table.get(event_counts_key(event_id), consistent=True)
        if counts is None:
            raise NotFound(f"Event {event_id} does not exist")
        seen = _number(counts, TICKET_COUNTER)
        ticket = seen + 1
        refused = self.table.transact(
            [
                self.table.check(rsvp_key(event_id, user["id"]), ITEM_ABSENT, names=KEY_NAMES),
                self.table.put(
                    {**key_item(waiter_key(event_id, user["id"])), **item_of(WaiterRecord(ticket=ticket))},
                    condition=ITEM_ABSENT,
                    names=KEY_NAMES,
                ),
                self.table.update(
                    event_counts_key(event_id),
                    "SET #waiting = if_not_exists(#waiting, :nobody) + :one, #ticket = :ticket",
                    condition=(
                        f"{ITEM_EXISTS} AND (#count >= #capacity OR #waiting > :nobody)"
                        " AND (#ticket = :seen OR attribute_not_exists(#ticket))"
                    ),
                    names={
                        **KEY_NAMES,
                        **NOBODY_WAITING_NAMES,
                        "#ticket": TICKET_COUNTER,
                        "#count": ATTENDEE_COUNT,
                        "#capacity": "capacity",
                    },
                    values={
                        **NOBODY_WAITING_VALUES,
                        ":one": number(1),
                        ":ticket": number(ticket),
                        ":seen": number(seen),
                    },
                ),
                self.table.put(
                    {
                        **key_item(wait_key(event_id, ticket)),
                        **item_of(PlaceRecord(userId=user["id"], ticket=ticket, joinedAt=joined_at)),
                    },
                    condition=ITEM_ABSENT,
                    names=KEY_NAMES,
                ),
                self.users.profile_put(user),
            ]
        )
        if refused is None:
            return ticket
        if refused.failed(0):
            raise AlreadyAttending(f"You hold a seat at event {event_id}")
        if refused.failed(1):
            raise AlreadyWaiting(f"You are already on the waitlist of event {event_id}")
        current = self.table.get(event_counts_key(event_id), consistent=True)
        if current is None:
            raise NotFound(f"Event {event_id} does not exist")
        if _number(current, TICKET_COUNTER) == seen and not _line_open(current):
            raise EventNotFull(f"Event {event_id} has a free seat: take it instead")
        backoff(0)  # another join took this ticket: try the next one
        return None

    def leave(self, event_id: str, user_id: str) -> None:
        """Gives up the user's place in the event's line."""
        until_written(lambda: self._try_leave(event_id, user_id), "Too many changes to this waitlist; try again")

    def _try_leave(self, event_id: str, user_id: str) -> bool | None:
        waiter = self.table.get(waiter_key(event_id, user_id), consistent=True)
        if waiter is None:
            if self.table.get(event_counts_key(event_id), consistent=True) is None:
                raise NotFound(f"Event {event_id} does not exist")
            raise NotWaiting(f"You are not on the waitlist of event {event_id}")
        ticket = record_of(WaiterRecord, waiter)["ticket"]
        refused = self.table.transact(
            [
                *self._place_deletes(event_id, user_id, ticket),
                self.table.update(
                    event_counts_key(event_id),
                    "SET #waiting = #waiting - :one",
                    condition=ITEM_EXISTS,
                    names={**KEY_NAMES, **NOBODY_WAITING_NAMES},
                    values={":one": number(1)},
                ),
            ]
        )
        if refused is None:
            return True
        if refused.failed(2):
            raise NotFound(f"Event {event_id} does not exist")
        return None  # promoted meanwhile: the next attempt finds no place

    def positions(self, user_id: str, event_ids: Iterable[str]) -> dict[str, int]:
        """The user's 1-based place in the line of each of these events they wait for: one BatchGetItem per 100
        events, then for each event waited for one count of the places up to theirs (keys only)."""
        waiters = self.table.batch_get((waiter_key(event_id, user_id) for event_id in event_ids), consistent=True)
        prefix = event_partition_key("")
        places: dict[str, int] = {}
        for waiter in waiters:
            event_id = read_string(waiter, PARTITION_KEY).removeprefix(prefix)
            mine = wait_key(event_id, record_of(WaiterRecord, waiter)["ticket"])
            places[event_id] = self.table.count_between(mine.partition, WAIT_SORT_PREFIX, mine.sort, consistent=True)
        return places

    def front(self, event_id: str, count: int) -> list[PlaceRecord]:
        """The first ``count`` places in the event's line, in order."""
        items, _ = self.table.query_prefix(
            event_partition_key(event_id), WAIT_SORT_PREFIX, None, limit=count, consistent=True
        )
        return [record_of(PlaceRecord, item) for item in items]

    def promote_front(self, event_id: str, promoted_at: str) -> list[PlaceRecord]:
        """Gives the free seats to the first places in line, as many as one transaction holds; returns the places
        promoted, in order, or none when no seat is free, nobody waits or the event is gone."""
        return until_written(lambda: self._try_promote(event_id, promoted_at), "Too many changes to this waitlist")

    def _try_promote(self, event_id: str, promoted_at: str) -> list[PlaceRecord] | None:
        counts = self.table.get(event_counts_key(event_id), consistent=True)
        if counts is None:
            return []
        capacity, attendees = _number(counts, "capacity"), _number(counts, ATTENDEE_COUNT)
        free = min(capacity - attendees, _number(counts, WAITING_COUNT), PROMOTIONS_PER_TRANSACTION)
        starts_at = read_string(counts, "startsAt")
        places = self.front(event_id, free) if free > 0 else []
        if not places:
            return []
        writes: list[TransactItem] = [
            self.table.update(
                event_counts_key(event_id),
                "SET #count = #count + :promoted, #waiting = #waiting - :promoted",
                # Seats for all of them: at least the capacity read, and no more attendees than then.
                # The seats are written under the start read here: it must still hold (``SAME_START``).
                condition=f"{ITEM_EXISTS} AND #capacity >= :capacity AND #count <= :attendees AND {SAME_START}",
                names={
                    **KEY_NAMES,
                    **NOBODY_WAITING_NAMES,
                    **SAME_START_NAMES,
                    "#count": ATTENDEE_COUNT,
                    "#capacity": "capacity",
                },
                values={
                    ":promoted": number(len(places)),
                    ":capacity": number(capacity),
                    ":attendees": number(attendees),
                    **same_start_values(starts_at),
                },
            )
        ]
        for place in places:
            writes += self._place_deletes(event_id, place["userId"], place["ticket"])
            writes += self.seats.seat_puts(event_id, place["userId"], promoted_at, starts_at)
        if self.table.transact(writes) is None:
            return places
        backoff(0)  # a place left, or the seats changed: read again
        return None

    def _place_deletes(self, event_id: str, user_id: str, ticket: int) -> list[TransactItem]:
        """Both items of a place, each on condition that it is still this place."""
        return [
            self.table.delete(
                waiter_key(event_id, user_id),
                condition="#ticket = :ticket",
                names={"#ticket": "ticket"},
                values={":ticket": number(ticket)},
            ),
            self.table.delete(
                wait_key(event_id, ticket),
                condition="#user = :user",
                names={"#user": "userId"},
                values={":user": {"S": user_id}},
            ),
        ]


def _number(item: Mapping[str, Any], name: str) -> int:
    return int(item[name]["N"]) if name in item else 0


def _line_open(counts: Mapping[str, Any]) -> bool:
    """Whether joining the line is allowed: every seat is taken, or others already wait for the free ones."""
    return _number(counts, ATTENDEE_COUNT) >= _number(counts, "capacity") or _number(counts, WAITING_COUNT) > 0
