"""Brings events stored before their counts had an item of their own to today's layout, data kept.

Such an event item holds ``attendeeCount``, ``waitlistCount`` and the last waitlist ticket itself. Each is
moved to the event's counts item (``resolvers/store/seats.py``) in one transaction: the counts item is written
only where there is none, and the counters leave the event item only if they still are what was read, so a
write of the older code running meanwhile is never lost (the event is taken up again on the next run). The
table is scanned once: this runs on a laptop's data directory at start (and, once, against a deployed table:
docs/deploying.md), never on a request's path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from resolvers.store.core import CONDITION_FAILED, ITEM_ABSENT, ITEM_EXISTS, KEY_NAMES, Table, key_item, number
from resolvers.store.seats import ATTENDEE_COUNT, COUNT_FIELDS, SEAT_RULE_FIELDS, WAITING_COUNT
from resolvers.store.waitlist import TICKET_COUNTER
from resolvers.table_definition import (
    EVENT_SORT_KEY,
    PARTITION_KEY,
    SORT_KEY,
    ItemKey,
    event_counts_key,
    event_partition_key,
)

MOVED_FIELDS = (*sorted(COUNT_FIELDS), TICKET_COUNTER)
"""What the counts item holds of its own (the capacity and start it holds are copies the event item keeps)."""


def split_event_counts(client: Any, table_name: str) -> int:
    """Moves the counters of every event item that still holds them; returns how many events moved."""
    table = Table(table_name, client)
    moved = 0
    for item in event_items(client, table_name, "attribute_exists(#count)", {"#count": ATTENDEE_COUNT}):
        key = ItemKey(item[PARTITION_KEY]["S"], item[SORT_KEY]["S"])
        held = {name: item[name] for name in MOVED_FIELDS if name in item}
        copies = {name: item[name] for name in SEAT_RULE_FIELDS}
        event_id = key.partition.removeprefix(event_partition_key(""))
        counts = {**key_item(event_counts_key(event_id)), WAITING_COUNT: number(0), **copies, **held}
        names = {f"#m{index}": name for index, name in enumerate(held)}
        values = {f":m{index}": held[name] for index, name in enumerate(held)}
        refused = table.transact(
            [
                table.put(counts, condition=ITEM_ABSENT, names=KEY_NAMES),
                table.update(
                    key,
                    "REMOVE " + ", ".join(names),
                    condition=" AND ".join([ITEM_EXISTS, *(f"{n} = {v}" for n, v in zip(names, values, strict=True))]),
                    names={**KEY_NAMES, **names},
                    values=values,
                ),
            ]
        )
        if refused is None:
            moved += 1
        elif CONDITION_FAILED not in refused.codes:
            raise RuntimeError(f"Moving the counts of {key.partition} was refused: {refused.codes}")
    return moved


def event_items(client: Any, table_name: str, condition: str, names: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Every event item (SK = EVENT) for which ``condition`` holds, read consistently, a Scan page at a time."""
    arguments: dict[str, Any] = {
        "TableName": table_name,
        "FilterExpression": f"#sk = :event AND {condition}",
        "ExpressionAttributeNames": {"#sk": SORT_KEY, **names},
        "ExpressionAttributeValues": {":event": {"S": EVENT_SORT_KEY}},
        "ConsistentRead": True,
    }
    while True:
        page = client.scan(**arguments)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def migrate_deployed(program: str, migrate: Callable[[Any, str], int], report: str) -> None:
    """``python -m PROGRAM TABLE``: a migration against a deployed table, with the credentials and Region of the
    environment (docs/deploying.md); ``report`` says what it did, given how many events."""
    import sys

    import boto3

    if len(sys.argv) != 2:  # the program's name and the table's
        sys.exit(f"usage: python -m {program} TABLE")
    print(report.format(migrate(boto3.client("dynamodb"), sys.argv[1])))


def main() -> None:
    migrate_deployed(
        "local_stack.item_migration", split_event_counts, "Moved the counts of {} events to their counts items"
    )


if __name__ == "__main__":
    main()
