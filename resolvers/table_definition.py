"""The single-table design, declared once for boto3 (local bootstrap, tests) and CDK alike.

Access patterns (all without Scan):

| pattern                         | key condition                                              |
|---------------------------------|------------------------------------------------------------|
| get an event, details, counts   | PK = EVENT#<id>, SK begins_with EVENT (EVENT, EVENT#COUNTS, EVENT#DETAILS) |
| upcoming events by start time   | GSI1: GSI1PK = EVENTS, GSI1SK >= <now>  (startsAt#id), the event items whole |
| counts of a listing             | BatchGetItem PK = EVENT#<id>, SK = EVENT#COUNTS (hosts: hostName) |
| an event's comments, newest 1st | PK = EVENT#<id>, SK begins_with COMMENT#, descending       |
| newest comments of many events  | BatchGetItem PK = EVENT#<id>, SK = COMMENTS (the head)     |
| whether a user has a seat       | PK = EVENT#<id>, SK = RSVP#<userId>                        |
| the events a user has seats at  | PK = USER#<id>, SK begins_with RSVP# (eventId in the item) |
| a user's seats by start time    | GSI2: GSI2PK = USER#<id>, GSI2SK >= <time>  (startsAt#eventId) |
| the events a user hosts         | GSI2: GSI2PK = HOST#<id>  (GSI2SK = EVENT#<eventId>)       |
| users by id (batched)           | BatchGetItem PK = USER#<id>, SK = PROFILE                  |
| an event's waitlist, in order   | PK = EVENT#<id>, SK begins_with WAIT#  (ticket order)      |
| whether (where) a user waits    | PK = EVENT#<id>, SK = WAITER#<userId> (holds the ticket)   |
| what is left of a deleted event| PK = EVENT#<id> (every item of the partition, a page at a time) |

Every key and index name is spelled here and nowhere else; the store builds keys with the functions below.

Items are sized for their access patterns (vertical partitioning): the event item holds the short fields
only ``updateEvent`` changes, and the listing index projects it whole; what every RSVP, cancellation and
waitlist change rewrites (the counts, and copies of the capacity and start their conditions need) is the
event's counts item beside it, a few hundred bytes, in no index; the long text only a single event shows
lives in the event's details item. So an RSVP writes no index item and no more than 1 KB of the event.

The event item carries its host's display name (``hostName``), so neither a listing nor a single event reads the
host's profile; the stream consumer rewrites it on the events a user hosts when they choose a new name
(resolvers/store/host_names.py), finding them in GSI2 (overloaded: seats under USER#<id>, events under HOST#<id>).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PARTITION_KEY = "PK"
SORT_KEY = "SK"
UPCOMING_INDEX = "GSI1"
UPCOMING_PARTITION_KEY = "GSI1PK"
UPCOMING_SORT_KEY = "GSI1SK"

SEATS_INDEX = "GSI2"
SEATS_PARTITION_KEY = "GSI2PK"
SEATS_SORT_KEY = "GSI2SK"
HOSTED_INDEX, HOSTED_PARTITION_KEY, HOSTED_SORT_KEY = SEATS_INDEX, SEATS_PARTITION_KEY, SEATS_SORT_KEY
"""GSI2 again, overloaded: event items are in it under their host (``hosted_partition_key``), so the events a user
hosts are one Query away, and the index stays keys only."""

UPCOMING_PARTITION = "EVENTS"
"""Every event sits in one GSI1 partition, sorted by start time (fine at community scale: one query per page)."""
EVENT_SORT_KEY = "EVENT"
EVENT_DETAILS_SORT_KEY = "EVENT#DETAILS"
"""Begins with EVENT_SORT_KEY: one Query (SK begins_with EVENT) reads an event and its details together."""
EVENT_COUNTS_SORT_KEY = "EVENT#COUNTS"
"""Begins with EVENT_SORT_KEY too: the same Query reads the event's counts with it."""
CLEANUP_SORT_KEY = "CLEANUP"
SEAT_MOVE_SORT_KEY = "SEATMOVE"
PROFILE_SORT_KEY = "PROFILE"
HOST_NAMES_SORT_KEY = "HOSTNAMES"
COMMENT_SORT_PREFIX = "COMMENT#"
COMMENT_NUMBER_DIGITS = 12


@dataclass(frozen=True)
class ItemKey:
    """The primary key of one item."""

    partition: str
    sort: str

    def attributes(self) -> dict[str, str]:
        """The key as item attributes (name to string value)."""
        return {PARTITION_KEY: self.partition, SORT_KEY: self.sort}


def event_partition_key(event_id: str) -> str:
    """The partition holding an event with its RSVPs and comments."""
    return f"EVENT#{event_id}"


def event_key(event_id: str) -> ItemKey:
    return ItemKey(event_partition_key(event_id), EVENT_SORT_KEY)


def event_counts_key(event_id: str) -> ItemKey:
    """What every RSVP and waitlist change rewrites (``resolvers/store/seats.py``), out of the event item, which
    the listing index copies."""
    return ItemKey(event_partition_key(event_id), EVENT_COUNTS_SORT_KEY)


def event_details_key(event_id: str) -> ItemKey:
    """The event's long text (``EventDetailsRecord``), out of the event item every RSVP rewrites."""
    return ItemKey(event_partition_key(event_id), EVENT_DETAILS_SORT_KEY)


RSVP_SORT_PREFIX = "RSVP#"
"""An RSVP beside its event: the event's attendees are one Query away."""


def rsvp_key(event_id: str, user_id: str) -> ItemKey:
    return ItemKey(event_partition_key(event_id), f"{RSVP_SORT_PREFIX}{user_id}")


def comments_head_key(event_id: str) -> ItemKey:
    """The item that numbers an event's comments and caches its newest ones (see resolvers/store/comments.py)."""
    return ItemKey(event_partition_key(event_id), "COMMENTS")


def numbered_comment_id(number: int, nonce: str) -> str:
    """A comment's id starts with its number in commit order, zero-padded so string order is number order;
    the nonce makes ids unique across events (clients cache by id)."""
    return f"{number:0{COMMENT_NUMBER_DIGITS}d}-{nonce}"


def comment_number(comment_id: str) -> int:
    """The number ``numbered_comment_id`` gave the comment."""
    return int(comment_id.split("-", 1)[0])


def comment_key(event_id: str, comment_id: str) -> ItemKey:
    return ItemKey(event_partition_key(event_id), f"{COMMENT_SORT_PREFIX}{comment_id}")


WAIT_SORT_PREFIX = "WAIT#"
"""A place in an event's line: the ticket, zero-padded, so the partition holds the line in joining order."""
WAITER_SORT_PREFIX = "WAITER#"
"""The waiting user's side of a place in line (``begins_with(WAIT#)`` does not match it): whether a user waits,
and with which ticket, is one GetItem away."""
WAIT_TICKET_DIGITS = 12


def wait_key(event_id: str, ticket: int) -> ItemKey:
    return ItemKey(event_partition_key(event_id), f"{WAIT_SORT_PREFIX}{ticket:0{WAIT_TICKET_DIGITS}d}")


def waiter_key(event_id: str, user_id: str) -> ItemKey:
    return ItemKey(event_partition_key(event_id), f"{WAITER_SORT_PREFIX}{user_id}")


def user_partition_key(user_id: str) -> str:
    return f"USER#{user_id}"


def user_key(user_id: str) -> ItemKey:
    return ItemKey(user_partition_key(user_id), PROFILE_SORT_KEY)


def hosted_partition_key(user_id: str) -> str:
    """The GSI2 partition of the events a user hosts (a seat's GSI2 partition is ``user_partition_key``)."""
    return f"HOST#{user_id}"


def hosted_sort_key(event_id: str) -> str:
    """An event's GSI2 sort key under its host: fixed for the event's life, so no edit moves it."""
    return event_partition_key(event_id)


def host_names_key(user_id: str) -> ItemKey:
    """Marks a user whose hosted events do not all carry their new name yet; each rewrite of it is the stream record
    that carries the rename on to the next page of their events (resolvers/store/host_names.py)."""
    return ItemKey(user_partition_key(user_id), HOST_NAMES_SORT_KEY)


SEAT_SORT_PREFIX = "RSVP#"


def seat_key(user_id: str, event_id: str) -> ItemKey:
    """The user's side of an RSVP, written with it, so a user's seats are one Query away."""
    return ItemKey(user_partition_key(user_id), f"{SEAT_SORT_PREFIX}{event_id}")


def seat_move_key(event_id: str) -> ItemKey:
    """Marks an event whose start changed while its seat items still carry the old one; each rewrite of it is
    the stream record that carries the move on to its next page of seats (resolvers/store/seats.py)."""
    return ItemKey(event_partition_key(event_id), SEAT_MOVE_SORT_KEY)


def cleanup_key(event_id: str) -> ItemKey:
    """Marks a deleted event whose partition is still being emptied; each rewrite of it is the stream record
    that carries the clean-up on to its next page (resolvers/store/cleanup.py)."""
    return ItemKey(event_partition_key(event_id), CLEANUP_SORT_KEY)


def upcoming_sort_key(starts_at: str, event_id: str) -> str:
    """Start time first (UTC, fixed width, so strings sort as times), then the id to keep keys unique."""
    return f"{starts_at}#{event_id}"


STREAM_VIEW_TYPE = "NEW_AND_OLD_IMAGES"
"""The stream consumer (resolvers/stream_handler.py) needs both: a deleted event's old image, a changed one's new."""


LISTING_PROJECTION = None
"""The event item whole (the only item with the listing index's keys): its short fields change only on
``updateEvent``, so a listing's Query answers them, and a new field joins by itself. Nothing an RSVP changes is
on it (the counts item is in no index)."""


@dataclass(frozen=True)
class GlobalIndex:
    name: str
    partition_key: str
    sort_key: str
    projected: tuple[str, ...] | None = None
    """Non-key attributes copied into the index (INCLUDE); none at all (KEYS_ONLY) for an empty tuple; None
    copies every attribute (ALL)."""

    @property
    def projection(self) -> dict[str, Any]:
        """The index's projection as boto3 names it."""
        if self.projected is None:
            return {"ProjectionType": "ALL"}
        if not self.projected:
            return {"ProjectionType": "KEYS_ONLY"}
        return {"ProjectionType": "INCLUDE", "NonKeyAttributes": list(self.projected)}


@dataclass(frozen=True)
class TableDefinition:
    partition_key: str
    sort_key: str
    global_indexes: tuple[GlobalIndex, ...]
    stream_view_type: str = STREAM_VIEW_TYPE

    @property
    def stream_specification(self) -> dict[str, Any]:
        """The table's stream as boto3 names it (``create_table``, ``update_table``)."""
        return {"StreamEnabled": True, "StreamViewType": self.stream_view_type}

    def create_table_arguments(self, table_name: str) -> dict[str, Any]:
        """Arguments for boto3's ``create_table``, on-demand and with its stream, like the deployed table."""
        attributes = {self.partition_key, self.sort_key}
        for index in self.global_indexes:
            attributes.update((index.partition_key, index.sort_key))
        return {
            "TableName": table_name,
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": name, "AttributeType": "S"} for name in sorted(attributes)],
            "KeySchema": [
                {"AttributeName": self.partition_key, "KeyType": "HASH"},
                {"AttributeName": self.sort_key, "KeyType": "RANGE"},
            ],
            "StreamSpecification": self.stream_specification,
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": index.name,
                    "KeySchema": [
                        {"AttributeName": index.partition_key, "KeyType": "HASH"},
                        {"AttributeName": index.sort_key, "KeyType": "RANGE"},
                    ],
                    "Projection": index.projection,
                }
                for index in self.global_indexes
            ],
        }


GATHER_TABLE = TableDefinition(
    partition_key=PARTITION_KEY,
    sort_key=SORT_KEY,
    global_indexes=(
        GlobalIndex(UPCOMING_INDEX, UPCOMING_PARTITION_KEY, UPCOMING_SORT_KEY, LISTING_PROJECTION),
        # A seat's keys say all myRsvps needs from it: the event's id (in SK) and start (in GSI2SK).
        GlobalIndex(SEATS_INDEX, SEATS_PARTITION_KEY, SEATS_SORT_KEY, projected=()),
    ),
)
