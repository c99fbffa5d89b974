"""Seats hold under contention: DynamoDB's conditions decide, not a read-then-write in Python."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx

from tests.conftest import RunningStack
from tests.integration.conftest import Api

RSVP = "mutation($id: ID!) { rsvp(eventId: $id) { attendeeCount } }"


async def test_hundred_concurrent_rsvps_fill_exactly_ten_seats(local_stack: RunningStack, host: Api) -> None:
    event = host.create_event(capacity=10)

    async def rsvp(client: httpx.AsyncClient, person: int) -> dict[str, object]:
        response = await client.post(
            local_stack.graphql_url,
            json={"query": RSVP, "variables": {"id": event["id"]}},
            headers=local_stack.headers(f"crowd-{person}"),
        )
        body: dict[str, object] = response.json()
        return body

    limits = httpx.Limits(max_connections=100)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        answers = await asyncio.gather(*(rsvp(client, person) for person in range(100)))

    accepted = [a for a in answers if not a.get("errors")]
    refusals = Counter(a["errors"][0]["errorType"] for a in answers if a.get("errors"))  # type: ignore[index]
    assert len(accepted) == 10
    assert refusals == {"EventFull": 90}
    assert host.get_event(event["id"])["attendeeCount"] == 10  # type: ignore[index]
