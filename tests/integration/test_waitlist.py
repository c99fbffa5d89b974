"""Waitlists on DynamoDB Local, promoted by the stream consumer that `gather dev` runs: one seat, a line of
signed-in users, and hundreds of concurrent cancellations, joins and leaves. Every promotion is checked against
capacity (each image of the event item the table's own stream carried), joining order (tickets) and
exactly-once (what clients were told adds up to what the table holds); and a capacity raise larger than a
transaction is promoted in order across invocations."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import jwt
from boto3.dynamodb.types import TypeDeserializer

from resolvers.logic.waitlist import PROMOTION_TRANSACTIONS_PER_CHANGE
from resolvers.store.waitlist import PROMOTIONS_PER_TRANSACTION
from resolvers.table_definition import (
    EVENT_COUNTS_SORT_KEY,
    RSVP_SORT_PREFIX,
    WAIT_SORT_PREFIX,
    WAITER_SORT_PREFIX,
    event_partition_key,
)
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
"""Seats given back (each then promoted) before the visitors stop..."""
CHANGES = 300
"""... and mutations sent, refused ones included."""
EMPTY_READS_AT_THE_END = 3
"""An open shard never ends: reading stops after this many empty answers in a row."""
STEPS_MAX = 50
"""Each visitor's most reads of the page, whatever happens: the test ends even if promotion stalled."""


def _new_images(local_stack: RunningStack, partition: str, sort_key: str) -> list[dict[str, Any]]:
    """Each image one item had, in order, as the table's own stream carried it (DynamoDB Local's, read apart from
    the consumer, every shard from its start)."""
    streams = local_stack.stack.dynamodb_client("dynamodbstreams")
    table = local_stack.stack.options.table_name
    arn = local_stack.stack.dynamodb_client().describe_table(TableName=table)["Table"]["LatestStreamArn"]
    images: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        empty_reads = 0
        while iterator and empty_reads < EMPTY_READS_AT_THE_END:
            response = streams.get_records(ShardIterator=iterator, Limit=1000)
            empty_reads = 0 if response["Records"] else empty_reads + 1
            for record in response["Records"]:
                change = record["dynamodb"]
                keys = {name: value["S"] for name, value in change["Keys"].items()}
                if (keys["PK"], keys["SK"]) == (partition, sort_key) and "NewImage" in change:
                    images.append({name: TypeDeserializer().deserialize(v) for name, v in change["NewImage"].items()})
            iterator = response.get("NextShardIterator")
    return images


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
        key = {"PK": {"S": event_partition_key(event_id)}, "SK": {"S": EVENT_COUNTS_SORT_KEY}}
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


async def test_one_seat_a_line_and_hundreds_of_concurrent_changes(local_stack: RunningStack, host: Api) -> None:
    event = host.create_event(capacity=1)
    event_id = event["id"]
    suffix = uuid.uuid4().hex[:6]
    people = [f"waiter-{suffix}-{n:02d}" for n in range(LINE)]
    for person in people:
        local_stack.id_token(person)  # each user exists in the pool before the rush
    answers: Counter[tuple[str, str]] = Counter()
    async with httpx.AsyncClient(
        # A connection per request: under load, a pooled one the server's keep-alive just closed fails a request.
        timeout=120,
        limits=httpx.Limits(max_connections=LINE, max_keepalive_connections=0),
    ) as client:
        answers[("rsvp", await _post(client, local_stack, people[0], RSVP, event_id))] += 1
        for person in people[1:]:  # the line, in this order
            answers[("join", await _post(client, local_stack, person, JOIN, event_id))] += 1
        assert answers == {("rsvp", "ok"): 1, ("join", "ok"): LINE - 1}

        documents = {"cancel": CANCEL, "join": JOIN, "leave": LEAVE}
        chance = random.Random(20)

        async def person_acts(person: str) -> None:
            """A visitor with the event's page open: they read where they stand and act on it, mostly as the page
            offers (the holder of the seat gives it back, some in line leave, the rest join), sometimes not."""
            for _ in range(STEPS_MAX):
                if answers[("cancel", "ok")] >= CANCELLATIONS and answers.total() >= CHANGES:
                    return
                response = await client.post(
                    local_stack.graphql_url,
                    json={"query": STANDING, "variables": {"id": event_id}},
                    headers=local_stack.headers(person),
                )
                standing = response.json()["data"]["getEvent"]
                if standing["hasSeat"]:
                    name = chance.choices(["cancel", "join"], weights=[9, 1])[0]
                elif standing["waitlistPosition"] is not None:
                    name = chance.choices(["leave", "join", "read"], weights=[2, 1, 7])[0]
                else:
                    name = chance.choices(["join", "cancel", "leave"], weights=[8, 1, 1])[0]
                if name != "read":
                    answers[(name, await _post(client, local_stack, person, documents[name], event_id))] += 1

        await asyncio.gather(*(person_acts(person) for person in people))

    cancelled, joined, left = answers[("cancel", "ok")], answers[("join", "ok")], answers[("leave", "ok")]

    def all_promoted() -> bool:
        """Nothing left to promote, and every promotion the seats show is in the consumer's reports."""
        if not _settled(local_stack, event_id)():
            return False
        seats = host.run(COUNTS, id=event_id)["getEvent"]["attendeeCount"]
        return bool(len(_promotions(local_stack, event_id)) >= seats - 1 + cancelled)

    assert local_stack.stream.wait_until(all_promoted, timeout=60)
    assert answers.total() >= CHANGES, answers
    assert cancelled >= CANCELLATIONS, answers  # seats did free up, again and again, each promoted
    allowed = {"ok", "Busy", "NotRsvped", "AlreadyAttending", "AlreadyWaiting", "NotWaiting", "EventNotFull"}
    assert {error for _, error in answers} <= allowed, answers

    promoted = _promotions(local_stack, event_id)
    tickets = [place["ticket"] for place in promoted]
    assert tickets == sorted(set(tickets)), promoted  # in joining order, each place once
    waiting = _partition(local_stack, event_id, WAIT_SORT_PREFIX)
    assert all(place["ticket"] > max(tickets) for place in waiting)  # nobody passed over
    final = host.run(COUNTS, id=event_id)["getEvent"]
    # What clients were told adds up to what the table holds: no seat or place made or lost twice.
    assert final["attendeeCount"] == 1 + len(promoted) - cancelled
    assert final["waitlistCount"] == joined - left - len(promoted) == len(waiting)
    assert len(_partition(local_stack, event_id, WAITER_SORT_PREFIX)) == len(waiting)
    assert len(_partition(local_stack, event_id, RSVP_SORT_PREFIX)) == final["attendeeCount"]
    assert final["attendeeCount"] == 1 or final["waitlistCount"] == 0

    images = _new_images(local_stack, event_partition_key(event_id), EVENT_COUNTS_SORT_KEY)
    assert len(images) >= cancelled + len(promoted)
    assert all(0 <= image["attendeeCount"] <= image["capacity"] == 1 for image in images)
    assert all(image["waitlistCount"] >= 0 for image in images)


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
