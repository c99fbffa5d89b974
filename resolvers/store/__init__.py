"""The only package that talks to DynamoDB: one module per item type behind a small shared core.

| module        | items                                                   |
|---------------|---------------------------------------------------------|
| ``core``      | the table, wire-format attributes, transactions, retries |
| ``events``    | events and the upcoming-events index                     |
| ``seats``     | RSVPs, and each event's counts item                      |
| ``waitlist``  | each event's line for seats, and promotion from it       |
| ``comments``  | comments and each event's comments head                  |
| ``users``     | user profiles                                            |
| ``host_names``| each event's copy of its host's name, kept to the profile's |
| ``cleanup``   | what a deleted event leaves, removed by the stream consumer |

Keys and index names come from ``resolvers.table_definition`` alone; records are the TypedDicts of
``resolvers.records``. DynamoDB's condition failures become the domain errors a client sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.config import Config

from resolvers.aws import dynamodb_client
from resolvers.store.cleanup import CleanupStore
from resolvers.store.comments import CommentStore
from resolvers.store.core import Table
from resolvers.store.events import EventStore
from resolvers.store.host_names import HostNameStore
from resolvers.store.seats import SeatStore
from resolvers.store.users import UserStore
from resolvers.store.waitlist import WaitlistStore

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient


class GatherStore:
    """One table, reached through one store per item type."""

    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self.table = Table(
            table_name,
            client or dynamodb_client(Config(retries={"max_attempts": 3, "mode": "standard"})),
        )
        self.users = UserStore(self.table)
        self.events = EventStore(self.table, self.users)
        self.seats = SeatStore(self.table, self.users)
        self.waitlist = WaitlistStore(self.table, self.users, self.seats)
        self.comments = CommentStore(self.table, self.users)
        self.cleanup = CleanupStore(self.table)
        self.host_names = HostNameStore(self.table)

    @property
    def client(self) -> DynamoDBClient:
        return self.table.client

    @property
    def table_name(self) -> str:
        return self.table.name
