"""Comments stay consistent under concurrency: hundreds posted at once by several people, some deleted
while others post, read page by page at several sizes, and compared with the table read directly."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import httpx

from resolvers.table_definition import (
    COMMENT_SORT_PREFIX,
    PARTITION_KEY,
    SORT_KEY,
    comments_head_key,
    event_partition_key,
)
from tests.conftest import RunningStack
from tests.integration.conftest import Api

POSTERS = ("poster-a", "poster-b", "poster-c")
COMMENTS_EACH = 80
DELETE_EVERY = 5
"""Each poster deletes every fifth of their own comments as soon as it is posted, while the others post on."""
PAGE_SIZES = (1, 3, 7, 20, 100)

COMMENT = "mutation($id: ID!, $content: String!) { commentOnEvent(eventId: $id, content: $content) { id content } }"
DELETE = "mutation($event: ID!, $id: ID!) { deleteComment(eventId: $event, id: $id) { id } }"
PAGE = """query($id: ID!, $limit: Int, $token: String) {
  getEvent(id: $id) { comments(limit: $limit, nextToken: $token) { items { id content } nextToken } }
}"""
LIST_TEASERS = """query($token: String) {
  listEvents(limit: 100, nextToken: $token) { items { id comments(limit: 3) { items { id } nextToken } } nextToken }
}"""


@dataclass
class Ledger:
    """What the clients know: comments confirmed, and deletions asked for and confirmed, in time order."""

    posted: dict[str, str] = field(default_factory=dict)
    delete_requested: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    refused: list[dict[str, Any]] = field(default_factory=list)
    enough_posted: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once a first crowd of comments is confirmed, when the reader starts paging."""


async def _teaser(client: httpx.AsyncClient, stack: RunningStack, event_id: str) -> dict[str, Any]:
    """The event's comment teaser in listEvents, paging on: the session's stack holds other tests' events too."""
    token = None
    while True:
        page = (await _call(client, stack, None, LIST_TEASERS, token=token))["data"]["listEvents"]
        found = [event["comments"] for event in page["items"] if event["id"] == event_id]
        if found or page["nextToken"] is None:
            assert found, f"{event_id} is not listed"
            teaser: dict[str, Any] = found[0]
            return teaser
        token = page["nextToken"]


async def _call(
    client: httpx.AsyncClient, stack: RunningStack, user: str | None, query: str, **variables: Any
) -> dict[str, Any]:
    response = await client.post(
        stack.graphql_url, json={"query": query, "variables": variables}, headers=stack.headers(user)
    )
    body: dict[str, Any] = response.json()
    return body


async def _post_and_delete(
    client: httpx.AsyncClient, stack: RunningStack, event_id: str, user: str, ledger: Ledger
) -> None:
    async def one(n: int) -> None:
        answer = await _call(client, stack, user, COMMENT, id=event_id, content=f"{user} #{n}")
        if answer.get("errors"):
            ledger.refused.append(answer)
            return
        comment = answer["data"]["commentOnEvent"]
        ledger.posted[comment["id"]] = comment["content"]
        if len(ledger.posted) >= COMMENTS_EACH:
            ledger.enough_posted.set()
        if n % DELETE_EVERY == 0:
            ledger.delete_requested.add(comment["id"])
            deleted = await _call(client, stack, user, DELETE, event=event_id, id=comment["id"])
            if deleted.get("errors"):
                ledger.refused.append(deleted)
            else:
                ledger.deleted.add(comment["id"])

    await asyncio.gather(*(one(n) for n in range(COMMENTS_EACH)))


async def _read_all(
    client: httpx.AsyncClient, stack: RunningStack, event_id: str, size: int
) -> list[list[dict[str, str]]]:
    pages: list[list[dict[str, str]]] = []
    token = None
    while True:
        answer = await _call(client, stack, None, PAGE, id=event_id, limit=size, token=token)
        assert not answer.get("errors"), answer
        connection = answer["data"]["getEvent"]["comments"]
        pages.append(connection["items"])
        token = connection["nextToken"]
        if token is None:
            return pages


def _table_comments(stack: RunningStack, event_id: str) -> list[dict[str, str]]:
    """The event's comments newest first, straight from DynamoDB (strongly consistent), keys and all."""
    paginator = stack.stack.dynamodb_client().get_paginator("query")
    items: list[dict[str, str]] = []
    for page in paginator.paginate(
        TableName=stack.stack.options.table_name,
        KeyConditionExpression="#pk = :pk AND begins_with(#sk, :prefix)",
        ExpressionAttributeNames={"#pk": PARTITION_KEY, "#sk": SORT_KEY},
        ExpressionAttributeValues={":pk": {"S": event_partition_key(event_id)}, ":prefix": {"S": COMMENT_SORT_PREFIX}},
        ScanIndexForward=False,
        ConsistentRead=True,
    ):
        items.extend({"id": item["id"]["S"], "content": item["content"]["S"]} for item in page["Items"])
    return items


def _assert_one_order(ids: list[str]) -> None:
    assert len(ids) == len(set(ids)), "a comment was listed twice"
    assert ids == sorted(ids, reverse=True), "comments are not in one newest-first order"


async def test_paging_while_hundreds_post_and_delete_is_consistent(local_stack: RunningStack, host: Api) -> None:
    event_id = host.create_event()["id"]
    ledger = Ledger()
    # Idle connections are dropped well before uvicorn's 5 s keep-alive (httpx's default is also 5 s, a race).
    limits = httpx.Limits(max_connections=100, keepalive_expiry=1)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        writers = asyncio.gather(*(_post_and_delete(client, local_stack, event_id, u, ledger) for u in POSTERS))
        # A reader pages through while the writers run: what was confirmed before its first page must all be
        # there (unless its deletion was asked for meanwhile), once each, in one newest-first order.
        await ledger.enough_posted.wait()
        confirmed_before = set(ledger.posted)
        during = [c for page in await _read_all(client, local_stack, event_id, 7) for c in page]
        deletions_asked_meanwhile = set(ledger.delete_requested)
        await writers

        assert ledger.refused == [], [e["errors"][0]["message"] for e in ledger.refused]
        during_ids = [c["id"] for c in during]
        _assert_one_order(during_ids)
        assert set(during_ids) <= set(ledger.posted)
        assert confirmed_before - deletions_asked_meanwhile <= set(during_ids)

        table = _table_comments(local_stack, event_id)
        kept = {
            comment_id: content for comment_id, content in ledger.posted.items() if comment_id not in ledger.deleted
        }
        assert {c["id"]: c["content"] for c in table} == kept
        assert len(kept) == len(POSTERS) * (COMMENTS_EACH - COMMENTS_EACH // DELETE_EVERY)
        _assert_one_order([c["id"] for c in table])

        for size in PAGE_SIZES:
            pages = await _read_all(client, local_stack, event_id, size)
            assert all(len(page) <= size for page in pages)
            assert [c for page in pages for c in page] == table, f"page size {size}"

        head = local_stack.stack.dynamodb_client().get_item(
            TableName=local_stack.stack.options.table_name,
            Key={name: {"S": value} for name, value in comments_head_key(event_id).attributes().items()},
            ConsistentRead=True,
        )["Item"]
        assert int(head["count"]["N"]) == len(table)
        assert [entry["M"]["id"]["S"] for entry in head["newest"]["L"]] == [c["id"] for c in table[:3]]
        teaser = await _teaser(client, local_stack, event_id)
        assert [c["id"] for c in teaser["items"]] == [c["id"] for c in table[:3]]
        assert teaser["nextToken"] is not None
