"""What a deleted event leaves behind, removed a page at a time by the stream consumer.

``deleteEvent`` deletes the event item and its counts item (so no seat can be taken); everything else of the
event lives in its partition (details, RSVPs, waitlist entries, comments, the comments head) plus one seat item
per RSVP in the user's partition. A page
of the partition is read (a Query on the partition key: no Scan, however large the table) and deleted with
the seats its RSVPs name. While more remains, the clean-up marker (``cleanup_key``) is rewritten: its stream
record invokes the consumer again for the next page, so an event with 100,000 seats takes as many
invocations as it needs, each well inside the function's timeout. The last page deletes the marker too.
Every step deletes what exists and nothing else, so a step that runs twice (a retried batch) does no harm.
"""

from __future__ import annotations

from dataclasses import dataclass

from resolvers.store.core import Table, key_item, number, read_string, string
from resolvers.table_definition import (
    CLEANUP_SORT_KEY,
    PARTITION_KEY,
    RSVP_SORT_PREFIX,
    SORT_KEY,
    ItemKey,
    cleanup_key,
    event_partition_key,
    seat_key,
)

CLEANUP_PAGE = 400
"""Items read per step: with a seat item for each RSVP at most 800 deletes (32 BatchWriteItem calls), a few
seconds at most, far inside the consumer's timeout; and one read unit per 4 KB of keys read."""


@dataclass(frozen=True)
class CleanupStep:
    event_id: str
    deleted: int
    """Items deleted by this step (seats included)."""
    done: bool
    """Nothing of the event is left, the marker included."""


class CleanupStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def step(self, event_id: str, round_number: int = 0) -> CleanupStep:
        """Deletes the next page of what the deleted event left; marks the event for the next step if more remains."""
        items, more = self.table.query_page(
            None,
            KeyConditionExpression="#pk = :pk",
            ExpressionAttributeNames={"#pk": PARTITION_KEY, "#sk": SORT_KEY, "#user": "userId"},
            ExpressionAttributeValues={":pk": string(event_partition_key(event_id))},
            ProjectionExpression="#pk, #sk, #user",
            ConsistentRead=True,
            Limit=CLEANUP_PAGE,
        )
        keys: list[ItemKey] = []
        for item in items:
            sort = read_string(item, SORT_KEY)
            if sort == CLEANUP_SORT_KEY:
                continue
            keys.append(ItemKey(read_string(item, PARTITION_KEY), sort))
            if sort.startswith(RSVP_SORT_PREFIX) and "userId" in item:
                keys.append(seat_key(read_string(item, "userId"), event_id))
        self.table.batch_delete(keys)
        if more is None:
            self.table.batch_delete([cleanup_key(event_id)])
            return CleanupStep(event_id, len(keys), done=True)
        marker = {**key_item(cleanup_key(event_id)), "eventId": string(event_id), "round": number(round_number + 1)}
        self.table.client.put_item(TableName=self.table.name, Item=marker)
        return CleanupStep(event_id, len(keys), done=False)
