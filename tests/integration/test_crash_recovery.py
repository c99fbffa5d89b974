"""Faults with data: `gather dev` killed with SIGKILL, every process at once, in the middle of concurrent
writes; started again on the same data dir, it has every write it acknowledged, and every event's counts
agree with its items (seats with RSVP items, the comment head's count with comment items)."""

from __future__ import annotations

import json
import os
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import httpx

from dev_support.processes import process_tree
from local_stack.dynamodb_local import free_loopback_port
from local_stack.processes import wait_for_exit
from resolvers.table_definition import (
    COMMENT_SORT_PREFIX,
    PARTITION_KEY,
    SORT_KEY,
    comment_key,
    comments_head_key,
    event_counts_key,
    event_key,
    event_partition_key,
    rsvp_key,
)
from tests.integration.conftest import event_input
from tests.integration.dev_process import READY, DevProcess, sign_in

CREATE = "mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }"
COMMENT = "mutation($id: ID!, $c: String!) { commentOnEvent(eventId: $id, content: $c) { id } }"
RSVP = "mutation($id: ID!) { rsvp(eventId: $id) { id } }"
ME = "{ me { id } }"
ACKNOWLEDGED_BEFORE_THE_KILL = 40
EVENTS = 4


@dataclass
class Acknowledged:
    """Writes the API answered with data and no error: the ones that must survive."""

    events: set[str] = field(default_factory=set)
    comments: set[tuple[str, str]] = field(default_factory=set)
    seats: set[tuple[str, str]] = field(default_factory=set)
    enough: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, item: Any) -> None:
        with self._lock:
            getattr(self, kind).add(item)
            if len(self.events) + len(self.comments) + len(self.seats) >= ACKNOWLEDGED_BEFORE_THE_KILL:
                self.enough.set()


def _call(stack: dict[str, Any], token: str, query: str, **variables: Any) -> dict[str, Any] | None:
    """The data of a write the API acknowledged; None when it refused it or the stack was gone."""
    try:
        response = httpx.post(
            stack["graphqlUrl"],
            json={"query": query, "variables": variables},
            headers={"Authorization": token},
            timeout=30,
        )
        body = response.json()
    except (httpx.HTTPError, ValueError):
        return None
    if response.status_code != 200 or body.get("errors"):
        return None
    data: dict[str, Any] = body["data"]
    return data


def _write(stack: dict[str, Any], token: str, user_id: str, events: list[str], done: Acknowledged) -> None:
    """One person's stream of writes: comments on every event, a seat at each, a new event now and then."""
    for round_number in range(1000):
        event_id = events[round_number % len(events)]
        made = _call(stack, token, COMMENT, id=event_id, c=f"round {round_number} by {user_id}")
        if made is None:
            return
        done.add("comments", (event_id, made["commentOnEvent"]["id"]))
        if round_number < len(events) and _call(stack, token, RSVP, id=event_id) is not None:
            done.add("seats", (event_id, user_id))
        if round_number % 5 == 0:
            created = _call(stack, token, CREATE, input=event_input(capacity=50))
            if created is None:
                return
            done.add("events", created["createEvent"]["id"])


def _table(stack: dict[str, Any]) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=stack["dynamodbEndpoint"],
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def _exists(client: Any, table: str, key: Any) -> bool:
    return "Item" in client.get_item(
        TableName=table, Key={name: {"S": value} for name, value in key.attributes().items()}
    )


def _partition(client: Any, table: str, event_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    pages = client.get_paginator("query").paginate(
        TableName=table,
        KeyConditionExpression="#pk = :pk",
        ExpressionAttributeNames={"#pk": PARTITION_KEY},
        ExpressionAttributeValues={":pk": {"S": event_partition_key(event_id)}},
        ConsistentRead=True,
    )
    for page in pages:
        items.extend(page["Items"])
    return items


def _counts_disagree(items: list[dict[str, Any]]) -> list[str]:
    """Where an event's stored counts differ from its items."""
    by_sort = {item[SORT_KEY]["S"]: item for item in items}
    problems = []
    event = by_sort.get(event_counts_key("x").sort)
    seats = sum(1 for sort in by_sort if sort.startswith(rsvp_key("x", "").sort))
    if event is not None and int(event["attendeeCount"]["N"]) != seats:
        problems.append(f"attendeeCount {event['attendeeCount']['N']} but {seats} RSVP items")
    head = by_sort.get(comments_head_key("x").sort)
    comments = sum(1 for sort in by_sort if sort.startswith(COMMENT_SORT_PREFIX))
    if head is not None and int(head["count"]["N"]) != comments:
        problems.append(f"comment count {head['count']['N']} but {comments} comment items")
    return problems


def test_sigkill_during_writes_loses_nothing_acknowledged(tmp_path: Path) -> None:
    arguments = ("--port", str(free_loopback_port()), "--data-dir", str(tmp_path))
    dev = DevProcess(*arguments)
    done = Acknowledged()
    try:
        dev.wait_for(READY)
        stack = json.loads((tmp_path / "stack.json").read_text())
        people = [(sign_in(stack, user), user) for user in stack["demoUsers"]]
        host_token = people[0][0]
        events = []
        for _ in range(EVENTS):
            created = _call(stack, host_token, CREATE, input=event_input(capacity=50))
            assert created is not None
            events.append(created["createEvent"]["id"])
            done.add("events", events[-1])
        writers = []
        for token, _user in people:
            me = _call(stack, token, ME)
            assert me is not None
            writer = threading.Thread(target=_write, args=(stack, token, me["me"]["id"], events, done), daemon=True)
            writer.start()
            writers.append(writer)
        assert done.enough.wait(120), "the writers did not get far enough"
        for pid in process_tree(dev.process.pid):
            os.kill(pid, signal.SIGKILL)
        for writer in writers:
            writer.join(60)
    finally:
        dev.stop()
    assert not any(writer.is_alive() for writer in writers)

    again = DevProcess(*arguments)
    try:
        again.wait_for(READY)
        stack = json.loads((tmp_path / "stack.json").read_text())
        client = _table(stack)
        table = stack["tableName"]
        missing = [event for event in sorted(done.events) if not _exists(client, table, event_key(event))]
        missing += [f"comment {c}" for e, c in sorted(done.comments) if not _exists(client, table, comment_key(e, c))]
        missing += [f"seat {e} {u}" for e, u in sorted(done.seats) if not _exists(client, table, rsvp_key(e, u))]
        assert missing == []
        disagreements = {event: _counts_disagree(_partition(client, table, event)) for event in done.events}
        assert {event: problems for event, problems in disagreements.items() if problems} == {}
        assert (
            "errors"
            not in httpx.post(
                stack["graphqlUrl"],
                json={"query": "{ listEvents { items { id } } }"},
                headers={"x-api-key": stack["apiKey"]},
            ).json()
        )
    finally:
        status = again.stop()
    assert status == 0, again.printed
    assert len(done.comments) + len(done.seats) + len(done.events) >= ACKNOWLEDGED_BEFORE_THE_KILL
    assert all(wait_for_exit(pid, 10.0) for pid in [dev.process.pid, again.process.pid])
