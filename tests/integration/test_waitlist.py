"""Waitlists on DynamoDB Local, promoted by the stream consumer that `gather dev` runs: a capacity raise larger
than a stream record's share is promoted in joining order, each place once, across invocations."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import jwt
from boto3.dynamodb.types import TypeDeserializer

from resolvers.logic.waitlist import PROMOTION_TRANSACTIONS_PER_CHANGE
from resolvers.store.waitlist import PROMOTIONS_PER_TRANSACTION
from resolvers.table_definition import EVENT_SORT_KEY, event_partition_key
from tests.conftest import RunningStack
from tests.integration.conftest import Api

RSVP = "mutation($id: ID!) { rsvp(eventId: $id) { id } }"
CANCEL = "mutation($id: ID!) { cancelRsvp(eventId: $id) { id } }"
JOIN = "mutation($id: ID!) { joinWaitlist(eventId: $id) { id waitlistPosition } }"
LEAVE = "mutation($id: ID!) { leaveWaitlist(eventId: $id) { id } }"
STANDING = "query($id: ID!) { getEvent(id: $id) { hasSeat waitlistPosition } }"
COUNTS = "query($id: ID!) { getEvent(id: $id) { capacity attendeeCount waitlistCount } }"
LINE = 20
CANCELLATIONS = 8
"""Seats given back (each then promoted) before the visitors stop."""
STEPS_MAX = 50
"""Each visitor's most reads of the page, whatever happens: the test ends even if promotion stalled."""


class EventStream:
    """The table's own stream from now on (DynamoDB Local's, read apart from the consumer): every image of an
    item as each change left it."""

    def __init__(self, local_stack: RunningStack) -> None:
        self.streams = local_stack.stack.dynamodb_client("dynamodbstreams")
        table = local_stack.stack.options.table_name
        self.arn = local_stack.stack.dynamodb_client().describe_table(TableName=table)["Table"]["LatestStreamArn"]
        self.iterators = {
            shard["ShardId"]: self._iterator(shard["ShardId"], "LATEST")
            for shard in self._shards()
            if "EndingSequenceNumber" not in shard["SequenceNumberRange"]
        }

    def _shards(self) -> list[dict[str, Any]]:
        shards: list[dict[str, Any]] = self.streams.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"]
        return shards

    def _iterator(self, shard_id: str, kind: str) -> str:
        iterator: str = self.streams.get_shard_iterator(StreamArn=self.arn, ShardId=shard_id, ShardIteratorType=kind)[
            "ShardIterator"
        ]
        return iterator

    def new_images(self, partition: str, sort_key: str) -> Iterator[dict[str, Any]]:
        """Each new image of one item since this reader was made, in order."""
        for shard in self._shards():
            if shard["ShardId"] not in self.iterators:  # a shard opened since: all of it is new
                self.iterators[shard["ShardId"]] = self._iterator(shard["ShardId"], "TRIM_HORIZON")
        for iterator in self.iterators.values():
            current: str | None = iterator
            while current:
                response = self.streams.get_records(ShardIterator=current, Limit=1000)
                for record in response["Records"]:
                    change = record["dynamodb"]
                    keys = {name: value["S"] for name, value in change["Keys"].items()}
                    if tuple(keys.values()) == (partition, sort_key) and "NewImage" in change:
                        yield {name: TypeDeserializer().deserialize(v) for name, v in change["NewImage"].items()}
                current = response.get("NextShardIterator") if response["Records"] else None


def _promotions(local_stack: RunningStack, event_id: str) -> list[dict[str, Any]]:
    """The places the consumer promoted for the event, in the order it promoted them, from its log lines."""
    promoted: list[dict[str, Any]] = []
    for batch in local_stack.stream.batches:
        if batch.invocation is None:
            continue
        for line in batch.invocation.logs.splitlines():
            if '"Promoted"' in line and event_id in line:
                promoted.extend(json.loads(line[line.index("{") :])["promoted"])
    return promoted


def _settled(local_stack: RunningStack, event_id: str) -> Callable[[], bool]:
    """Whether the consumer has nothing left to promote: no free seat, or nobody waiting."""
    client = local_stack.stack.dynamodb_client()
    table = local_stack.stack.options.table_name

    def settled() -> bool:
        key = {"PK": {"S": event_partition_key(event_id)}, "SK": {"S": EVENT_SORT_KEY}}
        item = client.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]
        count, capacity, waiting = (int(item[name]["N"]) for name in ("attendeeCount", "capacity", "waitlistCount"))
        return count >= capacity or waiting == 0

    return settled


def _partition(local_stack: RunningStack, event_id: str, prefix: str) -> list[dict[str, Any]]:
    client = local_stack.stack.dynamodb_client()
    items: list[dict[str, Any]] = []
    pages = client.get_paginator("query").paginate(
        TableName=local_stack.stack.options.table_name,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": {"S": event_partition_key(event_id)}, ":prefix": {"S": prefix}},
        ConsistentRead=True,
    )
    for page in pages:
        items.extend({name: TypeDeserializer().deserialize(v) for name, v in item.items()} for item in page["Items"])
    return items


async def _post(client: httpx.AsyncClient, local_stack: RunningStack, user: str, document: str, event_id: str) -> str:
    """Runs one mutation as ``user``; returns "ok" or the errorType."""
    response = await client.post(
        local_stack.graphql_url,
        json={"query": document, "variables": {"id": event_id}},
        headers=local_stack.headers(user),
    )
    body = response.json()
    return str(body["errors"][0]["errorType"]) if body.get("errors") else "ok"


SEATS_FREED = PROMOTION_TRANSACTIONS_PER_CHANGE * PROMOTIONS_PER_TRANSACTION + 10
"""More seats than one stream record promotes: the deployed bounds, on DynamoDB Local's 100-item limit."""


async def test_a_capacity_raise_beyond_one_record_is_promoted_in_order(
    local_stack: RunningStack, host: Api, api_as: Callable[[str | None], Api]
) -> None:
    event = host.create_event(capacity=1)
    host.run(RSVP, id=event["id"])
    suffix = uuid.uuid4().hex[:6]
    people = [f"raise-{suffix}-{n:03d}" for n in range(SEATS_FREED + 3)]
    async with httpx.AsyncClient(timeout=60) as client:
        for person in people:
            assert await _post(client, local_stack, person, JOIN, event["id"]) == "ok"
    batches_before = len(local_stack.stream.batches)
    host.run(
        "mutation($input: UpdateEventInput!) { updateEvent(input: $input) { capacity } }",
        input={"id": event["id"], "expectedVersion": event["version"], "capacity": 1 + SEATS_FREED},
    )

    def all_promoted() -> bool:
        return _settled(local_stack, event["id"])() and len(_promotions(local_stack, event["id"])) >= SEATS_FREED

    assert local_stack.stream.wait_until(all_promoted, timeout=120)
    promoted = [place["userId"] for place in _promotions(local_stack, event["id"])]
    assert promoted == [_sub(local_stack, person) for person in people[:SEATS_FREED]]
    final = host.run(COUNTS, id=event["id"])["getEvent"]
    assert (final["attendeeCount"], final["waitlistCount"]) == (1 + SEATS_FREED, 3)
    position = "query($id: ID!) { getEvent(id: $id) { hasSeat waitlistPosition } }"
    assert api_as(people[SEATS_FREED]).run(position, id=event["id"])["getEvent"] == {
        "hasSeat": False,
        "waitlistPosition": 1,
    }
    assert api_as(people[0]).run(position, id=event["id"])["getEvent"] == {"hasSeat": True, "waitlistPosition": None}
    invocations = [
        batch
        for batch in local_stack.stream.batches[batches_before:]
        if batch.invocation is not None and '"Promoted"' in batch.invocation.logs
    ]
    assert len(invocations) >= 2  # more than one record's worth, carried on by the promotions' own records


def _sub(local_stack: RunningStack, user: str) -> str:
    """The user's id in the API: the sub of their token."""
    sub: str = jwt.decode(local_stack.id_token(user), options={"verify_signature": False})["sub"]
    return sub
