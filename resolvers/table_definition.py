"""The single-table design, declared once for boto3 (local bootstrap, tests) and CDK alike.

Access patterns (all without Scan):

| pattern                         | key condition                                              |
|---------------------------------|------------------------------------------------------------|
| get an event                    | PK = EVENT#<id>, SK = EVENT                                |
| upcoming events by start time   | GSI1: GSI1PK = EVENTS, GSI1SK >= <now>  (startsAt#id)     |
| an event's comments, newest 1st | PK = EVENT#<id>, SK begins_with COMMENT#, descending       |
| whether a user has a seat       | PK = EVENT#<id>, SK = RSVP#<userId>                        |
| users by id (batched)           | BatchGetItem PK = USER#<id>, SK = PROFILE                  |

The event item also carries the newest comments (a bounded preview), so a page of events with their
first comments costs no query per event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PARTITION_KEY = "PK"
SORT_KEY = "SK"
UPCOMING_INDEX = "GSI1"
UPCOMING_PARTITION_KEY = "GSI1PK"
UPCOMING_SORT_KEY = "GSI1SK"


@dataclass(frozen=True)
class GlobalIndex:
    name: str
    partition_key: str
    sort_key: str


@dataclass(frozen=True)
class TableDefinition:
    partition_key: str
    sort_key: str
    global_indexes: tuple[GlobalIndex, ...]

    def create_table_arguments(self, table_name: str) -> dict[str, Any]:
        """Arguments for boto3's ``create_table``, on-demand like the deployed table."""
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
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": index.name,
                    "KeySchema": [
                        {"AttributeName": index.partition_key, "KeyType": "HASH"},
                        {"AttributeName": index.sort_key, "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
                for index in self.global_indexes
            ],
        }


GATHER_TABLE = TableDefinition(
    partition_key=PARTITION_KEY,
    sort_key=SORT_KEY,
    global_indexes=(GlobalIndex(UPCOMING_INDEX, UPCOMING_PARTITION_KEY, UPCOMING_SORT_KEY),),
)
