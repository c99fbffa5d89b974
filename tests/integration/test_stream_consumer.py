"""The stream consumer on DynamoDB Local's own stream, fed by the local event source mapping as Lambda's would
feed it: what a deleted event leaves is removed to the last item, and a poison record is retried, bisected and
sent to the on-failure destination while the records around it are processed."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from resolvers.function_settings import STREAM_CONSUMER
from resolvers.store.cleanup import CLEANUP_PAGE
from resolvers.table_definition import (
    HOSTED_PARTITION_KEY,
    HOSTED_SORT_KEY,
    UPCOMING_SORT_KEY,
    ItemKey,
    cleanup_key,
    event_counts_key,
    event_key,
    event_partition_key,
    rsvp_key,
    seat_key,
    upcoming_sort_key,
)
from tests.conftest import RunningStack
from tests.integration.conftest import Api

DELETE_EVENT = "mutation($id: ID!) { deleteEvent(id: $id) { id } }"


def _mentioning(local_stack: RunningStack, text: str) -> list[dict[str, Any]]:
    """Every item in the table whose keys or attributes contain ``text`` (a Scan: fine for a test's table)."""
    client = local_stack.stack.dynamodb_client()
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=local_stack.stack.options.table_name):
        items.extend(item for item in page["Items"] if text in str(item))
    return items


def _cleaned(local_stack: RunningStack, event_id: str) -> Callable[[], bool]:
    """Whether the event's partition is empty (a Query: cheap enough to ask after every batch)."""
    client = local_stack.stack.dynamodb_client()

    def empty() -> bool:
        response = client.query(
            TableName=local_stack.stack.options.table_name,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": event_partition_key(event_id)}},
            Select="COUNT",
            ConsistentRead=True,
        )
        return bool(response["Count"] == 0)

    return empty


def _put(local_stack: RunningStack, items: list[dict[str, Any]]) -> None:
    client = local_stack.stack.dynamodb_client()
    table = local_stack.stack.options.table_name
    for start in range(0, len(items), 25):
        requests: Any = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        while requests:
            requests = client.batch_write_item(RequestItems={table: requests}).get("UnprocessedItems", {}).get(table)


def _key(key: ItemKey) -> dict[str, Any]:
    return {name: {"S": value} for name, value in key.attributes().items()}


def test_deleting_an_event_removes_everything_it_left(
    local_stack: RunningStack, host: Api, api_as: Callable[[str | None], Api]
) -> None:
    event = host.create_event(capacity=3)
    guests = [api_as(f"guest-{uuid.uuid4().hex[:6]}") for _ in range(3)]
    for guest in guests:
        guest.run("mutation($id: ID!) { rsvp(eventId: $id) { id } }", id=event["id"])
    host.run("mutation($id: ID!) { joinWaitlist(eventId: $id) { id } }", id=event["id"])  # a place in line
    for text in ("first", "second"):
        guests[0].run(
            "mutation($id: ID!, $c: String!) { commentOnEvent(eventId: $id, content: $c) { id } }",
            id=event["id"],
            c=text,
        )
    assert len(_mentioning(local_stack, event["id"])) > 1 + 3 * 2 + 2 + 2  # event, seats, place in line, comments

    host.run(DELETE_EVENT, id=event["id"])

    assert local_stack.stream.wait_until(_cleaned(local_stack, event["id"]))
    assert _mentioning(local_stack, event["id"]) == []  # the seats in the users' partitions too


def test_an_event_larger_than_a_step_is_cleaned_across_invocations(local_stack: RunningStack, host: Api) -> None:
    event = host.create_event(capacity=5)
    attendees = [f"attendee-{uuid.uuid4().hex[:8]}" for _ in range(CLEANUP_PAGE + 50)]
    rsvps = [{**_key(rsvp_key(event["id"], user)), "userId": {"S": user}} for user in attendees]
    seats = [{**_key(seat_key(user, event["id"])), "eventId": {"S": event["id"]}} for user in attendees]
    _put(local_stack, rsvps + seats)
    batches_before = len(local_stack.stream.batches)

    host.run(DELETE_EVENT, id=event["id"])

    assert local_stack.stream.wait_until(_cleaned(local_stack, event["id"]), timeout=60)
    assert _mentioning(local_stack, event["id"]) == []
    steps = [
        line
        for batch in local_stack.stream.batches[batches_before:]
        if batch.invocation is not None
        for line in batch.invocation.logs.splitlines()
        if "Cleaned up" in line and event["id"] in line
    ]
    assert len(steps) >= 2, steps  # one invocation per page, carried on by the marker's own stream records


def test_a_poison_record_is_bisected_retried_and_sent_on_without_blocking_the_rest(
    local_stack: RunningStack, host: Api
) -> None:
    doomed = host.create_event(capacity=5)
    host.run(DELETE_EVENT, id=doomed["id"])
    local_stack.stream.wait_until(_cleaned(local_stack, doomed["id"]))
    # Something left of a deleted event (an RSVP with its seat) and its clean-up marker, written in one
    # transaction behind a marker no consumer can read (it names no event): the poison comes first in its batch.
    leftover = f"leftover-{uuid.uuid4().hex[:8]}"
    poison = f"poison-{uuid.uuid4().hex[:8]}"
    client = local_stack.stack.dynamodb_client()
    table = local_stack.stack.options.table_name
    writes = [
        {**_key(cleanup_key(poison))},  # no eventId
        {**_key(rsvp_key(doomed["id"], leftover)), "userId": {"S": leftover}},
        {**_key(seat_key(leftover, doomed["id"])), "eventId": {"S": doomed["id"]}},
        {**_key(cleanup_key(doomed["id"])), "eventId": {"S": doomed["id"]}, "round": {"N": "1"}},
    ]
    client.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": item}} for item in writes])
    failures_before = len(local_stack.stream.failures)

    assert local_stack.stream.wait_until(lambda: len(local_stack.stream.failures) > failures_before)
    assert local_stack.stream.wait_until(_cleaned(local_stack, doomed["id"]))  # the records after it went on
    assert _mentioning(local_stack, leftover) == []

    (failure,) = local_stack.stream.failures[failures_before:]
    info = failure["DDBStreamBatchInfo"]
    assert (info["batchSize"], info["startSequenceNumber"]) == (1, info["endSequenceNumber"])
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert failure["requestContext"]["approximateInvokeCount"] == STREAM_CONSUMER.maximum_retry_attempts + 1
    # The batch it came in failed, was halved until the poison stood alone (halving is no retry), then retried.
    poisoned = [b for b in local_stack.stream.batches if b.first_sequence == info["startSequenceNumber"]]
    halvings = [b.size for b in poisoned if b.size > 1]
    alone = [b for b in poisoned if b.size == 1]
    assert halvings, [b.size for b in poisoned]
    assert halvings == sorted(set(halvings), reverse=True), [b.size for b in poisoned]
    assert [b.retries for b in alone] == list(range(STREAM_CONSUMER.maximum_retry_attempts + 1))
    assert [b.outcome for b in alone][-1] == "discarded"
    client.delete_item(TableName=table, Key=_key(cleanup_key(poison)))


MY_RSVPS = "query($limit: Int, $next: String) { myRsvps(limit: $limit, nextToken: $next) { items { id } nextToken } }"


def test_my_rsvps_follows_a_moved_start_once_the_consumer_moved_the_seats(
    local_stack: RunningStack, api_as: Callable[[str | None], Api]
) -> None:
    """myRsvps reads the seats index by start time; updateEvent's new start reaches it through the stream."""
    host, guest = api_as(f"host-{uuid.uuid4().hex[:6]}"), api_as(f"guest-{uuid.uuid4().hex[:6]}")
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=400)  # after every other test's events
    later = [
        host.create_event(startsAt=_iso(starts + timedelta(days=n)), endsAt=_iso(starts + timedelta(days=n, hours=2)))
        for n in (1, 2, 3)
    ]
    for event in later:
        guest.run("mutation($id: ID!) { rsvp(eventId: $id) { id } }", id=event["id"])

    def order() -> list[str]:
        ids: list[str] = []
        token = None
        while True:
            page = guest.run(MY_RSVPS, limit=2, next=token)["myRsvps"]
            ids.extend(item["id"] for item in page["items"])
            token = page["nextToken"]
            if token is None:
                return [event_id for event_id in ids if event_id in {event["id"] for event in later}]

    assert order() == [event["id"] for event in later]
    moved = {
        "id": later[2]["id"],
        "expectedVersion": later[2]["version"],
        "startsAt": _iso(starts),
        "endsAt": _iso(starts + timedelta(hours=2)),
    }
    host.run("mutation($input: UpdateEventInput!) { updateEvent(input: $input) { id } }", input=moved)
    expected = [later[2]["id"], later[0]["id"], later[1]["id"]]
    assert local_stack.stream.wait_until(lambda: order() == expected)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


RENAME = "mutation($name: String!) { setDisplayName(displayName: $name) { displayName } }"
LIST_HOSTS = (
    "query($next: String) { listEvents(limit: 100, nextToken: $next) { items { id host { displayName } } nextToken } }"
)


def _listed_hosts(api: Api, event_ids: set[str]) -> dict[str, str]:
    """The host's name each of these events shows in listEvents (paged to the last of them)."""
    found: dict[str, str] = {}
    token = None
    while True:
        page = api.run(LIST_HOSTS, next=token)["listEvents"]
        found.update({event["id"]: event["host"]["displayName"] for event in page["items"] if event["id"] in event_ids})
        token = page["nextToken"]
        if token is None or len(found) == len(event_ids):
            return found


def test_a_hosts_new_name_reaches_listings_and_single_events_created_during_the_rename_included(
    local_stack: RunningStack, api_as: Callable[[str | None], Api]
) -> None:
    user = f"host-{uuid.uuid4().hex[:6]}"
    host, visitor = api_as(user), api_as(None)
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=450)
    timing = {"startsAt": _iso(starts), "endsAt": _iso(starts + timedelta(hours=2))}
    before = [host.create_event(**timing) for _ in range(3)]
    assert {event["host"]["displayName"] for event in before} == {user}, "the sign-in's name, until one is chosen"
    # An event written as the rename commits that GSI2 does not list yet when the rename's steps read it: its item
    # as createEvent wrote it, with the old name and (as if the index lagged) without its GSI2 keys.
    client, table = local_stack.stack.dynamodb_client(), local_stack.stack.options.table_name
    late = f"late-{uuid.uuid4().hex[:8]}"
    item = client.get_item(TableName=table, Key=_key(event_key(before[0]["id"])), ConsistentRead=True)["Item"]
    unlisted = {name: value for name, value in item.items() if name not in (HOSTED_PARTITION_KEY, HOSTED_SORT_KEY)}
    unlisted.update(
        {
            **_key(event_key(late)),
            "id": {"S": late},
            UPCOMING_SORT_KEY: {"S": upcoming_sort_key(item["startsAt"]["S"], late)},
        }
    )

    counts = client.get_item(TableName=table, Key=_key(event_counts_key(before[0]["id"])), ConsistentRead=True)["Item"]
    client.put_item(TableName=table, Item={**counts, **_key(event_counts_key(late))})

    name = f"Renamed {uuid.uuid4().hex[:6]}"
    host.run(RENAME, name=name)
    client.put_item(TableName=table, Item=unlisted)
    during = host.create_event(**timing)
    assert during["host"]["displayName"] == name, "createEvent writes the name the profile holds as it commits"

    event_ids = {event["id"] for event in before} | {late, during["id"]}

    def renamed() -> bool:
        shown = {(visitor.get_event(event_id) or {})["host"]["displayName"] for event_id in event_ids}
        return shown == {name} and set(_listed_hosts(visitor, event_ids).values()) == {name}

    assert local_stack.stream.wait_until(renamed)
    stored = client.get_item(TableName=table, Key=_key(event_key(late)), ConsistentRead=True)["Item"]
    assert stored["hostName"] == {"S": name}, "the late event's INSERT was checked against the profile"
